package web

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
)

// Issue 11, defect 7 through the API: each upload got an unhelpful answer
// before ("…not a readable XLSX workbook: EOF", "row 1: is not valid CSV",
// 32 "unknown section" lines, "must be between 1 and 36").
func TestBidUploadMessagesHelp(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)

	var ods bytes.Buffer
	z := zip.NewWriter(&ods)
	w, _ := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	z.Close()

	semicolon := strings.NewReplacer(",", ";", ".", ",").Replace(vendorACSV("Vendor Semicolon"))
	formSheet := "Pricing,,,\nField,Key,Your answer,Notes\n" + strings.Repeat("Vendor name,vendor_name,Acme,note\n", 31)
	dated := strings.Replace(vendorACSV("Vendor Dated"), "pricing,setup_fee,40000\n", "pricing,setup_fee,40000\npricing,from_month,2027-03-01\n", 1)

	for _, tc := range []struct {
		name, file string
		body       []byte
		status     int
		want       string
	}{
		{"ODS", "bid.ods", ods.Bytes(), http.StatusUnsupportedMediaType, "save it as .xlsx"},
		{"FormSheetAsCSV", "Pricing.csv", []byte(formSheet), http.StatusUnprocessableEntity, "upload the filled bid form itself, the .xlsx file"},
		{"DateInGoLive", "dated.csv", []byte(dated), http.StatusUnprocessableEntity, `is a date, but this is a month number of the horizon (1 = 2027-01): 2027-03 is month 3 (found \"2027-03-01\")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.upload(id, tc.file, tc.body)
			if r.status != tc.status || !strings.Contains(string(r.body), tc.want) {
				t.Fatalf("got %d %s, want %d with %q", r.status, r.body, tc.status, tc.want)
			}
			if strings.Count(string(r.body), "unknown section") > 0 {
				t.Errorf("unknown section: %s", r.body)
			}
		})
	}
	t.Run("SemicolonCSV", func(t *testing.T) {
		if r := a.upload(id, "eu.csv", []byte(semicolon)); r.status != http.StatusCreated {
			t.Fatalf("got %d %s", r.status, r.body)
		}
		// the vendor's own scores count once confirmed (self-assessments)
		selfs, err := a.st.ListSelfScores(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, sf := range selfs {
			if _, err := a.st.ResolveSelfScore(context.Background(), "test", sf.ID, sf.Version, nil); err != nil {
				t.Fatal(err)
			}
		}
		c, _ := comparisonOf(t, a, id)
		sameCosts(t, c["vendor-semicolon"], c["vendor-a"])
	})
}
