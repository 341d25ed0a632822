package web

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestPagesPluralUnits: the pages write a demand unit in the plural by the
// one rule (report/words): an evaluation counted in boxes says "boxes" on
// the dashboard, the workspace and the list, never "boxs"; in companies,
// never "companys".
func TestPagesPluralUnits(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	e2, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	for unit, want := range map[string]string{"box": "boxes", "company": "companies"} {
		doc := strings.Replace(string(e2), `"unit": "contact"`, fmt.Sprintf(`"unit": %q`, unit), 1)
		doc = strings.Replace(doc, `"name": "E2 `, `"name": "`+unit+` E2 `, 1)
		res := p.postFile("/evaluations/import", "/", "document", unit+".json", []byte(doc))
		if res.status != http.StatusOK && res.status != http.StatusSeeOther {
			t.Fatalf("import with unit %s: %d\n%s", unit, res.status, res.body)
		}
		var id int64
		if _, err := fmt.Sscanf(res.header.Get("Location"), "/evaluations/%d", &id); err != nil {
			t.Fatalf("import with unit %s: Location %q", unit, res.header.Get("Location"))
		}
		for _, c := range []struct{ path, says string }{
			{fmt.Sprintf("/evaluations/%d", id), "20,000 " + want + " a month"},
			{fmt.Sprintf("/evaluations/%d/workspace", id), "20,000 " + want + " a month"},
			{"/", "20,000 " + want + "</td>"},
		} {
			body := p.get(c.path).body
			if !strings.Contains(body, c.says) {
				t.Errorf("GET %s: no %q", c.path, c.says)
			}
			if strings.Contains(body, unit+"s ") || strings.Contains(body, unit+"s<") {
				i := strings.Index(body, unit+"s")
				t.Errorf("GET %s: says %q: …%s…", c.path, unit+"s", body[max(0, i-120):min(len(body), i+40)])
			}
		}
	}
}
