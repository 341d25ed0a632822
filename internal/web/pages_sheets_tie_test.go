package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// Issue 11, defect 4 in the browser: the demo's bid form uploaded into a
// copy of the demo is refused with the reason and a confirm checkbox;
// ticked (the file chosen again), the second submit saves it.
func TestBidsPageConfirmOtherEvaluation(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	cp, err := p.st.CopyEvaluation(context.Background(), "test", p.demoID, "Demo, what-if")
	if err != nil {
		t.Fatal(err)
	}
	dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
	if dl.status != http.StatusOK {
		t.Fatalf("bid form: %d", dl.status)
	}
	bid := fillVendorA(t, []byte(dl.body), "Vendor Copy", 4.5, nil)
	path := fmt.Sprintf("/evaluations/%d/bids", cp.ID)

	before, audits := p.counts(cp.ID)
	res := p.postBid(path, "copy.xlsx", bid)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.status)
	}
	contains(t, "refused upload", res.body,
		fmt.Sprintf("Nothing was saved: This bid form belongs to evaluation %d", p.demoID),
		"copy.xlsx is kept: tick this box and upload again.",
		fmt.Sprintf("not to evaluation %d &#34;Demo, what-if&#34;", cp.ID),
		`name="confirm" type="checkbox" value="1"`,
	)
	if now, n := p.counts(cp.ID); len(now) != len(before) || n != audits {
		t.Fatalf("a refused upload saved something")
	}
	res = p.postBid(path, "copy.xlsx", bid, "confirm", "1")
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirmed: status %d: %s", res.status, res.body)
	}
	if now, _ := p.counts(cp.ID); len(now) != len(before)+1 {
		t.Fatalf("confirmed: %d options, want %d", len(now), len(before)+1)
	}
}
