package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The export's CSV dialects (?sep=semicolon, ?bom=1; RFC 4180 by default)
// and the workbook's About sheet naming the user who exported it.
func TestExportDialectsAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)
	base := fmt.Sprintf("/api/v1/evaluations/%d/export", id)

	plain := a.must(http.StatusOK, nil, "GET", base+"?format=csv", nil).body
	eu := a.must(http.StatusOK, nil, "GET", base+"?format=csv&sep=semicolon&bom=1", nil).body
	if bytes.HasPrefix(plain, []byte("\xef\xbb\xbf")) || bytes.ContainsRune(plain, ';') {
		t.Errorf("the default CSV is not RFC 4180: %.80q", plain)
	}
	body, ok := bytes.CutPrefix(eu, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no byte-order mark: %.40q", eu)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := csv.NewReader(bytes.NewReader(plain)).ReadAll()
	if len(recs) != len(want) || recs[1][len(recs[1])-1] != strings.Replace(want[1][len(want[1])-1], ".", ",", 1) {
		t.Errorf("semicolon CSV %v, plain %v", recs[1], want[1])
	}
	for _, q := range []string{"?format=csv&sep=tab", "?format=csv&bom=yes"} {
		if r := a.call("GET", base+q, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}

	x := a.must(http.StatusOK, nil, "GET", base+"?format=xlsx", nil).body
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("About")
	about := map[string]string{}
	for _, row := range rows {
		if len(row) > 1 {
			about[row[0]] = row[1]
		}
	}
	if !strings.Contains(about["Exported by"], "@") || about["Evaluation id"] != fmt.Sprint(id) || about["Evaluation version"] == "" {
		t.Errorf("About %v", about)
	}
}
