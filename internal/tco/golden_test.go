package tco

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"testing"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/*.golden.json from the engine")

// goldenAdded matches what spec §8 adds to a comparison of a document that
// has none of its fields: each option's staffing entries, and the aht row of
// a tornado (a workload capacity's aht_minutes is a driver too). With them
// removed, the answer must be byte for byte what it was before §8.
var goldenAdded = []*regexp.Regexp{
	regexp.MustCompile(`,"staffing":\[(\{[^{}]*\},?)*\]`),
	regexp.MustCompile(`\{"driver":"aht","low":"[^"]*","high":"[^"]*","tipping_point":[^}]*\},?`),
}

// TestGoldenComparisons holds e2 and e3 (documents without service-level
// fields) to the comparisons the engine gave before spec §8: the new fields
// are the only difference.
func TestGoldenComparisons(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2", "e3"} {
		t.Run(name, func(t *testing.T) {
			c, err := Compare(readDoc(t, name+".json"), CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, re := range goldenAdded {
				b = re.ReplaceAll(b, nil)
			}
			b = bytes.ReplaceAll(b, []byte(",]"), []byte("]"))
			path := "testdata/" + name + ".golden.json"
			if *updateGolden {
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("comparison of %s differs from %s:\n got %s\nwant %s", name, path, b, want)
			}
		})
	}
}
