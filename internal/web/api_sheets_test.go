package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/store"
)

// The bid form's answer cells (internal/sheet's layout): the Pricing
// answers in column C from row 4, tiers from row 21 (B up to, C price),
// lines from row 4 of Lines, scores in column D of Quality.
var pricingCell = map[string]string{
	"vendor_name": "C4", "currency": "C5", "fx_rate": "C6", "per": "C7", "unit_factor": "C8",
	"block_size": "C9", "tier_mode": "C10", "fixed_monthly": "C11", "escalation": "C14",
	"setup_fee": "C15", "from_month": "C17",
}

// setCell writes a value into a workbook cell, failing the test on error.
func setCell(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatalf("set %s!%s: %v", sheet, cell, err)
	}
}

// fillVendorA fills an e2 bid form as e2's vendor-a answers it, under the
// vendor name given and with the given price of the second tier (4.5 in
// e2), and returns the workbook's bytes.
func fillVendorA(t testing.TB, form []byte, name string, tier2 float64, edit func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(form))
	if err != nil {
		t.Fatalf("open the bid form: %v", err)
	}
	defer f.Close()
	// The currency and its rate of 1 stay as the form prefills them: the
	// evaluation's own (USD at 1 into a EUR evaluation would be costed on a
	// guess, and is refused unless confirmed).
	for k, v := range map[string]any{"vendor_name": name, "per": "unit",
		"unit_factor": 1, "tier_mode": "graduated", "escalation": 0.03, "setup_fee": 40000, "from_month": 1} {
		setCell(t, f, "Pricing", pricingCell[k], v)
	}
	for cell, v := range map[string]any{"B21": 10000, "C21": 5, "B22": 20000, "C22": tier2, "C23": 4} {
		setCell(t, f, "Pricing", cell, v)
	}
	for i, row := range [][]any{
		{"Governance", "personnel", "share_of_vendor", 0.05},
		{"Vendor selection", "external", "one_time", 34200, 0},
		{"Parallel running", "operations", "one_time", 122160, 1},
		{"Severance", "personnel", "one_time", 120000, 1},
		{"Stranded lease", "operations", "fixed", 5000, nil, 2, 12},
	} {
		for c, v := range row {
			if v != nil {
				cell, _ := excelize.CoordinatesToCellName(c+1, 4+i)
				setCell(t, f, "Lines", cell, v)
			}
		}
	}
	setCell(t, f, "Quality", "D4", 8) // csat
	setCell(t, f, "Quality", "D5", 9) // security
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartBody is a multipart/form-data body with the file in the field
// "file" and the other fields as name, value pairs; it returns the body
// and its Content-Type.
func multipartBody(t testing.TB, filename string, content []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// importE2 stores e2 through the API and returns its id.
func importE2(t testing.TB, a *apiT) int64 {
	t.Helper()
	doc, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	var id createdID
	a.must(http.StatusCreated, &id, "POST", "/api/v1/evaluations/import", doc)
	return id.ID
}

// costs is an option's figures in a comparison's JSON, amounts as written.
type costs struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	TCO     json.RawMessage `json:"tco"`
	PV      json.RawMessage `json:"pv"`
	Quality *float64        `json:"quality"`
	Score   *float64        `json:"score"`
	Monthly []struct {
		Total json.RawMessage `json:"total"`
	} `json:"monthly"`
}

// amount is a JSON amount as text, without quotes.
func amount(r json.RawMessage) string { return strings.Trim(string(r), `"`) }

// comparisonOf reads an evaluation's comparison: each option's figures by
// option id, and the raw body.
func comparisonOf(t testing.TB, a *apiT, id int64) (map[string]costs, []byte) {
	t.Helper()
	var c struct{ Options []costs }
	r := a.must(http.StatusOK, &c, "GET", fmt.Sprintf("/api/v1/evaluations/%d/comparison", id), nil)
	out := map[string]costs{}
	for _, o := range c.Options {
		out[o.ID] = o
	}
	return out, r.body
}

// sameCosts fails unless two options cost the same, month by month, and
// score the same.
func sameCosts(t testing.TB, got, want costs) {
	t.Helper()
	if amount(got.TCO) != amount(want.TCO) || amount(got.PV) != amount(want.PV) {
		t.Errorf("%s: TCO %s PV %s; %s: %s %s", got.ID, got.TCO, got.PV, want.ID, want.TCO, want.PV)
	}
	if got.Quality == nil || want.Quality == nil || *got.Quality != *want.Quality ||
		got.Score == nil || want.Score == nil || *got.Score != *want.Score {
		t.Errorf("%s: quality %v score %v; %s: %v %v", got.ID, got.Quality, got.Score, want.ID, want.Quality, want.Score)
	}
	if len(got.Monthly) != len(want.Monthly) || len(got.Monthly) != 37 {
		t.Fatalf("%s: %d months, %s %d", got.ID, len(got.Monthly), want.ID, len(want.Monthly))
	}
	for m := range got.Monthly {
		if g, w := amount(got.Monthly[m].Total), amount(want.Monthly[m].Total); g != w {
			t.Errorf("%s month %d: %s, want %s", got.ID, m, g, w)
		}
	}
}

// upload posts a bid file to an evaluation.
func (a *apiT) upload(evalID int64, filename string, content []byte, fields ...string) apiResult {
	a.t.Helper()
	body, ct := multipartBody(a.t, filename, content, fields...)
	return a.call("POST", fmt.Sprintf("/api/v1/evaluations/%d/bids", evalID), body, "Content-Type", ct)
}

// optionTotal counts an evaluation's options.
func (a *apiT) optionTotal(evalID int64) int {
	a.t.Helper()
	var p struct{ Total int }
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/evaluations/%d/options?limit=1", evalID), nil)
	return p.Total
}

// vendorACSV is e2's vendor-a in the CSV bid layout, under the name given.
func vendorACSV(name string) string {
	return "section,key,value\n" +
		"pricing,vendor_name," + name + "\n" +
		"pricing,currency,USD\npricing,per,unit\npricing,tier_mode,graduated\n" +
		"pricing,escalation,3%\npricing,setup_fee,40000\n" +
		"tier,10000,5.00\ntier,20000,4.50\ntier,,4.00\n" +
		"line,Governance,personnel,share_of_vendor,0.05\n" +
		"line,Vendor selection,external,one_time,34200,0\n" +
		"line,Parallel running,operations,one_time,122160,1\n" +
		"line,Severance,personnel,one_time,120000,1\n" +
		"line,Stranded lease,operations,fixed,5000,,2,12\n" +
		"score,csat,8\nscore,security,9\n"
}

// TestBidsAPI: the bid form round trip, every problem of a bad form at its
// cell with nothing saved, the refusals, and a new round by upload.
func TestBidsAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)
	base := fmt.Sprintf("/api/v1/evaluations/%d", id)

	r := a.must(http.StatusOK, nil, "GET", base+"/bid-form", nil)
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("bid form Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="E2_36-month_outsourcing_decision-bid-form.xlsx"` {
		t.Errorf("bid form Content-Disposition %q", cd)
	}
	form := r.body

	t.Run("RoundTrip", func(t *testing.T) {
		// The same quote entered through the API, as a new option.
		var e2 struct {
			Options []struct {
				Pricing json.RawMessage
				Lines   json.RawMessage
			}
		}
		doc, _ := os.ReadFile("../tco/testdata/e2.json")
		if err := json.Unmarshal(doc, &e2); err != nil {
			t.Fatal(err)
		}
		var api store.Option
		a.must(http.StatusCreated, &api, "POST", base+"/options", map[string]any{
			"slug": "vendor-a-api", "name": "Vendor A (API)", "kind": "vendor",
			"quote": map[string]any{"pricing": e2.Options[1].Pricing, "lines": e2.Options[1].Lines}})
		for k, v := range map[string]int{"csat": 8, "security": 9} {
			a.must(http.StatusCreated, nil, "POST", fmt.Sprintf("/api/v1/options/%d/scores", api.ID), map[string]any{"key": k, "value": v})
		}

		// The form, filled in as vendor-a answers it, as a separate quote
		// beside e2's own Vendor A (new=1; without it, a 409).
		r := a.upload(id, "vendor-a.xlsx", fillVendorA(t, form, "Vendor A", 4.5, nil), "new", "1")
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var o store.Option
		if err := json.Unmarshal(r.body, &o); err != nil {
			t.Fatal(err)
		}
		if o.Slug != "vendor-a-2" || o.Name != "Vendor A" || o.Kind != "vendor" || len(o.Lines) != 5 ||
			r.header.Get("Location") != fmt.Sprintf("/api/v1/options/%d", o.ID) {
			t.Fatalf("created %+v at %q", o, r.header.Get("Location"))
		}
		// The CSV layout, too.
		r = a.upload(id, "vendor-a.csv", []byte(vendorACSV("Vendor A")), "new", "1")
		if r.status != http.StatusCreated {
			t.Fatalf("CSV upload: %d %s", r.status, r.body)
		}

		// The vendor's own scores count once procurement confirms them.
		selfs, err := a.st.ListSelfScores(context.Background(), id)
		if err != nil || len(selfs) != 4 {
			t.Fatalf("self-assessments %d %v, want 2 per upload", len(selfs), err)
		}
		for _, sf := range selfs {
			if _, err := a.st.ResolveSelfScore(context.Background(), "test", sf.ID, sf.Version, nil); err != nil {
				t.Fatal(err)
			}
		}
		c, _ := comparisonOf(t, a, id)
		want := c["vendor-a"]
		if amount(want.TCO) != "4071167.36" || amount(want.PV) != "3655591.30" {
			t.Fatalf("e2 vendor-a costs %s / %s: the engine's figures moved", want.TCO, want.PV)
		}
		sameCosts(t, c["vendor-a-api"], want)
		sameCosts(t, c["vendor-a-2"], c["vendor-a-api"])
		sameCosts(t, c["vendor-a-3"], c["vendor-a-api"])
	})

	t.Run("ErrSeveral", func(t *testing.T) {
		opts, audits := a.optionTotal(id), a.auditTotal()
		bad := fillVendorA(t, form, "Vendor B", 4.5, func(f *excelize.File) {
			setCell(t, f, "Pricing", "C7", "per-seat") // unknown model
			setCell(t, f, "Pricing", "C11", "2,000")   // not a number
			setCell(t, f, "Pricing", "B22", 9000)      // bounds do not increase
			setCell(t, f, "Pricing", "C22", -4.5)      // negative price
			setCell(t, f, "Lines", "B8", "vendor")     // not a category
			setCell(t, f, "Lines", "F8", 40)           // past the horizon
			setCell(t, f, "Quality", "D4", 11)         // above the scale
		})
		r := a.upload(id, "vendor-b.xlsx", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		e := errorOf(t, r)
		var where []string
		for _, p := range e.Problems {
			where = append(where, p.Where)
			if p.Where != p.Sheet+"!"+p.Cell || p.Row == 0 || p.Column == 0 || p.Message == "" {
				t.Errorf("problem %+v", p)
			}
		}
		want := []string{"Pricing!C7", "Pricing!C11", "Pricing!B22", "Pricing!C22", "Lines!B8", "Lines!F8", "Lines!G8", "Quality!D4"}
		if strings.Join(where, " ") != strings.Join(want, " ") {
			t.Errorf("problems at %v, want %v", where, want)
		}
		for cell, msg := range map[string]string{
			"Pricing!C7":  `must be unit or block (found "per-seat")`,
			"Pricing!B22": `must be greater than the previous tier's bound (10000) (found "9000")`,
			"Quality!D4":  `must be at most the criterion's scale (10) (found "11")`,
		} {
			if e.Fields[cell] != msg {
				t.Errorf("fields[%s] = %q, want %q", cell, e.Fields[cell], msg)
			}
		}
		if e.Message != "the file has 8 problems; nothing was saved" {
			t.Errorf("message %q", e.Message)
		}
		if a.optionTotal(id) != opts || a.auditTotal() != audits {
			t.Errorf("a refused bid saved something: options %d → %d, audit %d → %d", opts, a.optionTotal(id), audits, a.auditTotal())
		}
	})

	t.Run("ErrNotSpreadsheet", func(t *testing.T) {
		r := a.upload(id, "logo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		if r.status != http.StatusUnsupportedMediaType || !strings.Contains(errorOf(t, r).Message, "not a spreadsheet") {
			t.Errorf("PNG: %d %s", r.status, r.body)
		}
		r = a.call("POST", base+"/bids", vendorACSV("Vendor C"), "Content-Type", "text/csv")
		if r.status != http.StatusUnsupportedMediaType {
			t.Errorf("a bare CSV body: %d %s", r.status, r.body)
		}
	})

	t.Run("ErrNotBidForm", func(t *testing.T) {
		f := excelize.NewFile()
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		r := a.upload(id, "other.xlsx", buf.Bytes())
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(errorOf(t, r).Message, "not this evaluation's bid form") {
			t.Errorf("a workbook of our own: %d %s", r.status, r.body)
		}
	})

	t.Run("ErrTooLarge", func(t *testing.T) {
		opts := a.optionTotal(id)
		big := bytes.Repeat([]byte("# padding,,\n"), 6<<20/12)
		r := a.upload(id, "big.csv", big)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(errorOf(t, r).Message, "5 MiB") {
			t.Errorf("6 MiB: %d %s", r.status, r.body)
		}
		// A body of unknown length (chunked) stops being read at the limit.
		body, ct := multipartBody(t, "big.csv", big)
		req, err := http.NewRequest("POST", a.base+base+"/bids", io.MultiReader(bytes.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+a.token)
		res, err := a.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.ContentLength == 0 || req.ContentLength > 0 || res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("6 MiB chunked: %d (request length %d)", res.StatusCode, req.ContentLength)
		}
		// Over the server's 1 MiB limit but within the upload's: read.
		r = a.upload(id, "padded.csv", append(append([]byte("# "), bytes.Repeat([]byte("x"), 2<<20)...), "\n"+vendorACSV("Vendor Padded")...))
		if r.status != http.StatusCreated {
			t.Errorf("2 MiB: %d %.300s", r.status, r.body)
		}
		if a.optionTotal(id) != opts+1 {
			t.Errorf("options %d → %d", opts, a.optionTotal(id))
		}
	})

	t.Run("ErrRequest", func(t *testing.T) {
		csvBid := []byte(vendorACSV("Vendor D"))
		for _, tc := range []struct {
			name   string
			fields []string
			status int
			field  string
		}{
			{"LabelAlone", []string{"label", "revised"}, 422, "label"},
			{"BadLabel", []string{"option_id", "1", "label", "final"}, 422, "label"},
			{"BadOption", []string{"option_id", "x"}, 422, "option_id"},
			{"OtherEvaluation", []string{"option_id", "1"}, 404, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := a.upload(id, "bid.csv", csvBid, tc.fields...)
				if r.status != tc.status {
					t.Fatalf("%d %s", r.status, r.body)
				}
				if tc.field != "" && errorOf(t, r).Fields[tc.field] == "" {
					t.Errorf("no problem at %s: %s", tc.field, r.body)
				}
			})
		}
		body, ct := multipartBody(t, "bid.csv", csvBid)
		if r := a.call("POST", "/api/v1/evaluations/999/bids", body, "Content-Type", ct); r.status != http.StatusNotFound {
			t.Errorf("unknown evaluation: %d", r.status)
		}
	})

	t.Run("Round", func(t *testing.T) {
		before, _ := comparisonOf(t, a, id)
		opts := a.demoOptionsOf(id)
		target := opts["vendor-a"]
		n := a.optionTotal(id)
		// A best and final offer: the second tier at 4.25 instead of 4.50.
		r := a.upload(id, "bafo.xlsx", fillVendorA(t, form, "Vendor A", 4.25, nil),
			"option_id", strconv.FormatInt(target.ID, 10), "label", "best_and_final")
		if r.status != http.StatusCreated {
			t.Fatalf("round: %d %s", r.status, r.body)
		}
		var o store.Option
		if err := json.Unmarshal(r.body, &o); err != nil {
			t.Fatal(err)
		}
		if o.ID != target.ID || o.Slug != "vendor-a" || o.RoundID == target.RoundID || !o.Pricing.Tiers[1].Price.Equal(decimal.RequireFromString("4.25")) {
			t.Fatalf("revised option %+v", o)
		}
		if a.optionTotal(id) != n {
			t.Error("a new round added an option")
		}
		var rounds struct {
			Items []store.Round
		}
		a.must(http.StatusOK, &rounds, "GET", fmt.Sprintf("/api/v1/options/%d/rounds", target.ID), nil)
		if len(rounds.Items) != 2 || rounds.Items[1].Label != "best_and_final" {
			t.Fatalf("rounds %+v", rounds.Items)
		}
		after, _ := comparisonOf(t, a, id)
		was, now := decimal.RequireFromString(amount(before["vendor-a"].TCO)), decimal.RequireFromString(amount(after["vendor-a"].TCO))
		// 10,000 contacts a month at 0.25 less, escalated 3% a year: 2,500,
		// 2,575 and 2,652.25 a month, 12 months each, plus the 5% governance
		// line on the invoice, rounded each month: 125, 128.75, and in year 3
		// 5,039.28 − 4,906.66 = 132.62 (not 132.6125). 12 × (2,625 +
		// 2,703.75 + 2,784.87) = 97,363.44.
		if want := decimal.RequireFromString("-97363.44"); !now.Sub(was).Equal(want) {
			t.Errorf("the round changed the TCO by %s (%s → %s), want %s", now.Sub(was), was, now, want)
		}
	})
}

// demoOptionsOf returns an evaluation's options by slug.
func (a *apiT) demoOptionsOf(evalID int64) map[string]store.Option {
	a.t.Helper()
	var p listPage[store.Option]
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/evaluations/%d/options", evalID), nil)
	out := map[string]store.Option{}
	for _, o := range p.Items {
		out[o.Slug] = o
	}
	return out
}

// TestExportAPI: the finance workbook recalculates to the app's totals to
// the cent, the CSV neutralises formula-like text, the JSON is the
// comparison's.
func TestExportAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)
	base := fmt.Sprintf("/api/v1/evaluations/%d", id)
	// Names a spreadsheet would read as formulas.
	names := []string{"=Vendor Eq", "+Vendor Plus", "-Vendor Minus", "@Vendor At"}
	for _, n := range names {
		if r := a.upload(id, "bid.csv", []byte(vendorACSV(n))); r.status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", n, r.status, r.body)
		}
	}
	c, comparison := comparisonOf(t, a, id)
	if len(c) != 6 {
		t.Fatalf("%d options", len(c))
	}

	t.Run("XLSX", func(t *testing.T) {
		r := a.must(http.StatusOK, nil, "GET", base+"/export?format=xlsx", nil)
		if ct := r.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="E2_36-month_outsourcing_decision-comparison.xlsx"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Summary")
		if err != nil {
			t.Fatal(err)
		}
		// The header row names the columns; each option's row follows.
		head, cols := -1, map[string]int{}
		for i, row := range rows {
			for j, v := range row {
				if v == "Option" || v == "TCO" || v == "PV" {
					head, cols[v] = i, j+1
				}
			}
			if head >= 0 {
				break
			}
		}
		if head < 0 || len(cols) != 3 {
			t.Fatalf("no header row on the Summary: %v", rows)
		}
		checked := 0
		for _, o := range c {
			row := 0
			for i := head + 1; i < len(rows); i++ {
				if len(rows[i]) >= cols["Option"] && rows[i][cols["Option"]-1] == neutralised(o.Name) {
					row = i + 1
				}
			}
			if row == 0 {
				t.Fatalf("%s is not on the Summary", o.Name)
			}
			for what, want := range map[string]json.RawMessage{"TCO": o.TCO, "PV": o.PV} {
				cell, _ := excelize.CoordinatesToCellName(cols[what], row)
				if fx, _ := f.GetCellFormula("Summary", cell); fx == "" {
					t.Errorf("%s %s (Summary!%s) is not a formula", o.ID, what, cell)
				}
				v, err := f.CalcCellValue("Summary", cell, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatalf("calc Summary!%s: %v", cell, err)
				}
				got, err := decimal.NewFromString(v)
				if err != nil {
					t.Fatalf("Summary!%s = %q", cell, v)
				}
				if w := decimal.RequireFromString(amount(want)); !got.Round(2).Equal(w) {
					t.Errorf("%s %s recalculates to %s, the app says %s", o.ID, what, got.StringFixed(2), w.StringFixed(2))
				}
				checked++
			}
		}
		if checked != 12 {
			t.Errorf("%d figures checked", checked)
		}
	})

	t.Run("CSV", func(t *testing.T) {
		r := a.must(http.StatusOK, nil, "GET", base+"/export?format=csv", nil)
		if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="E2_36-month_outsourcing_decision-comparison.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1+6*37 {
			t.Fatalf("%d rows, want a header and 37 months of 6 options", len(recs))
		}
		seen := map[string]bool{}
		sums := map[string]decimal.Decimal{}
		total := slices.Index(recs[0], "total")
		for _, rec := range recs[1:] {
			for _, i := range []int{0, 1, 3} { // option, name, label: text
				if v := rec[i]; v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
					t.Errorf("text %q is not neutralised", v)
				}
			}
			seen[rec[1]] = true
			sums[rec[0]] = sums[rec[0]].Add(decimal.RequireFromString(rec[total]))
		}
		for _, n := range names {
			if !seen["'"+n] {
				t.Errorf("no rows named %q", "'"+n)
			}
		}
		if got := sums["vendor-a"].StringFixed(2); got != amount(c["vendor-a"].TCO) {
			t.Errorf("vendor-a's monthly totals add up to %s, TCO %s", got, c["vendor-a"].TCO)
		}
	})

	t.Run("JSON", func(t *testing.T) {
		r := a.must(http.StatusOK, nil, "GET", base+"/export?format=json", nil)
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="E2_36-month_outsourcing_decision-comparison.json"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !bytes.Equal(r.body, comparison) {
			t.Error("the JSON export differs from GET …/comparison")
		}
	})

	t.Run("Errors", func(t *testing.T) {
		if r := a.call("GET", base+"/export?format=pdf", nil); r.status != http.StatusUnprocessableEntity || errorOf(t, r).Fields["format"] == "" {
			t.Errorf("format=pdf: %d %s", r.status, r.body)
		}
		if r := a.call("GET", "/api/v1/evaluations/999/export?format=csv", nil); r.status != http.StatusNotFound {
			t.Errorf("unknown evaluation: %d", r.status)
		}
		if r := a.call("GET", "/api/v1/evaluations/999/bid-form", nil); r.status != http.StatusNotFound {
			t.Errorf("unknown evaluation's form: %d", r.status)
		}
	})
}

// neutralised is a text as the exports write it (sheet.Neutralise).
func neutralised(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
