package main

import (
	"strings"
	"testing"
)

// TestCompareOverBudget is issue 12 defect 1 at the command line: the
// hostile document is refused before costing, each problem on its line
// with its path and what to lower, and the command fails.
func TestCompareOverBudget(t *testing.T) {
	t.Parallel()
	_, errOut, err := runCmd(t, nil, "compare", "-json", "../../internal/tco/testdata/hostile.json")
	if err == nil {
		t.Fatal("compare accepted the hostile document")
	}
	if !strings.Contains(errOut, "hostile.json: options[1].pricing.block_size: ") || !strings.Contains(errOut, "break_even_max") {
		t.Errorf("stderr %q: want the block size's path and what to lower", errOut)
	}
}
