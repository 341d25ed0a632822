package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web"
)

// e2WithRisk writes e2 with the preset risk block to a file.
func e2WithRisk(t *testing.T) (string, []byte) {
	t.Helper()
	raw, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["risk"] = map[string]any{"runs": 2000, "seed": 7, "drivers": map[string]any{
		"volume": map[string]any{"low": 0.8, "mode": 1.0, "high": 1.3},
		"aht":    map[string]any{"low": 0.9, "mode": 1.0, "high": 1.2},
	}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "e2-risk.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// TestCompareRisk: compare -runs -seed gives what the API gives with
// ?runs=&seed=, the report has the risk section, and without a risk block
// both refuse the override at "runs".
func TestCompareRisk(t *testing.T) {
	t.Parallel()
	path, body := e2WithRisk(t)
	cli, _, err := runCmd(t, nil, "compare", "-json", "-runs", "150", "-seed", "4", path)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(web.New(web.Config{}, web.Deps{}).Handler())
	defer ts.Close()
	post := func(query string, doc []byte) (int, string) {
		res, err := http.Post(ts.URL+"/api/v1/compare"+query, "application/json", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	status, api := post("?runs=150&seed=4", body)
	if status != http.StatusOK || cli != api {
		t.Fatalf("status %d; compare -json and the API differ:\ncli: %.300s\napi: %.300s", status, cli, api)
	}
	if _, plain := post("", body); plain == api || !strings.Contains(plain, `"p_first"`) {
		t.Error("the override made no difference, or the document's own risk is missing")
	}

	out, _, err := runCmd(t, nil, "compare", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"How sure: 2,000 simulated futures (seed 7)", "Vendor A saves money in", "drawn independently"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	_, errOut, err := runCmd(t, nil, "compare", "-runs", "500", e2Path)
	var fields tco.Errors
	if !errors.As(err, &fields) || !strings.Contains(errOut, "runs: the evaluation has no risk block") {
		t.Errorf("-runs without a risk block: %v\n%s", err, errOut)
	}
	plainDoc, _ := os.ReadFile(e2Path)
	if status, b := post("?seed=3", plainDoc); status != http.StatusUnprocessableEntity || !strings.Contains(b, `"seed"`) {
		t.Errorf("?seed= without a risk block: %d %s", status, b)
	}
	if status, b := post("?runs=99&seed=x&break_even_max=-1", body); status != http.StatusUnprocessableEntity ||
		!strings.Contains(b, `"runs"`) || !strings.Contains(b, `"seed"`) || !strings.Contains(b, `"break_even_max"`) {
		t.Errorf("bad runs, seed and break_even_max: %d %s", status, b)
	}
	_, _, err = runCmd(t, nil, "compare", "-runs", "5", path)
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "-runs") {
		t.Errorf("-runs 5: %v", err)
	}
}
