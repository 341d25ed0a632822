package loadtest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"vendorcompare/data"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TargetListMedian is the highest median of a list page or API listing
// at scale.
const TargetListMedian = 20 * time.Millisecond

// ScaleConfig is one scale run.
type ScaleConfig struct {
	Bin         string
	Evaluations int // generated evaluations (the demo, copied)
	QuotesPer   int // vendor quotes per evaluation
	Samples     uint64
	Keep        bool
	Out         io.Writer
}

// ScaleReport is the outcome of a scale run.
type ScaleReport struct {
	Stats         []Stat
	Generate      time.Duration
	Bytes         int64 // the database file after generation
	Quotes        int
	BytesPerQuote float64
	Missed        []string
}

// Scale generates a database of cfg.Evaluations copies of the demo
// evaluation with cfg.QuotesPer vendor quotes each (store.Seed, big
// transactions through the store's own inserts), starts the server on it
// and times every list page and API listing with one connection,
// cfg.Samples requests each: the median must stay under
// TargetListMedian. It reports the database's size per quote.
func Scale(ctx context.Context, cfg ScaleConfig) (*ScaleReport, error) {
	out := cfg.Out
	tmp, bin, cleanup, err := prepare(ctx, "scale", cfg.Keep, cfg.Bin, out)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	fmt.Fprintf(out, "machine: %s\n", Machine())
	dir := filepath.Join(tmp, "data")
	rep := &ScaleReport{Quotes: cfg.Evaluations * cfg.QuotesPer}
	start := time.Now()
	if err := generate(ctx, dir, cfg, out); err != nil {
		return nil, err
	}
	rep.Generate = time.Since(start)
	fi, err := os.Stat(filepath.Join(dir, store.FileName))
	if err != nil {
		return nil, err
	}
	rep.Bytes = fi.Size()
	rep.BytesPerQuote = float64(rep.Bytes) / float64(rep.Quotes)
	fmt.Fprintf(out, "generated %d evaluations, %d quotes in %v: %.1f MB, %.0f bytes per quote\n",
		cfg.Evaluations, rep.Quotes, rep.Generate.Round(time.Second), float64(rep.Bytes)/1e6, rep.BytesPerQuote)

	const email = "scale-editor@example.com"
	token, err := Editor(ctx, bin, dir, email)
	if err != nil {
		return nil, err
	}
	srv, err := Start(ctx, bin, dir)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	cookie, err := Login(ctx, srv.URL, email)
	if err != nil {
		return nil, err
	}
	mid := cfg.Evaluations / 2 / 50 * 50
	search := url.QueryEscape("Help desk")
	bearer := http.Header{"Authorization": {"Bearer " + token}}
	page := http.Header{"Cookie": {cookie}}
	lists := []struct {
		name string
		path string
		h    http.Header
	}{
		{"page / (evaluations, first page)", "/", page},
		{"page / (middle page)", fmt.Sprintf("/?page=%d", cfg.Evaluations/20/2), page},
		{"page / ?q=Help desk", "/?q=" + search, page},
		{"page /audit", "/audit", page},
		{"page /evaluations/{id}/audit", fmt.Sprintf("/evaluations/%d/audit", cfg.Evaluations/2), page},
		{"GET /api/v1/evaluations (first page)", "/api/v1/evaluations?limit=50", bearer},
		{"GET /api/v1/evaluations (middle page)", fmt.Sprintf("/api/v1/evaluations?limit=50&offset=%d", mid), bearer},
		{"GET /api/v1/evaluations (last page)", fmt.Sprintf("/api/v1/evaluations?limit=50&offset=%d", cfg.Evaluations-50), bearer},
		{"GET /api/v1/evaluations?q=Help desk", "/api/v1/evaluations?limit=50&q=" + search, bearer},
		{"GET /api/v1/evaluations?q=Help desk (middle page)", fmt.Sprintf("/api/v1/evaluations?limit=50&q=%s&offset=%d", search, mid/8), bearer},
		{"GET /api/v1/evaluations?q=#0999 (rare)", "/api/v1/evaluations?limit=50&q=" + url.QueryEscape("#0999"), bearer},
		{"GET /api/v1/vendors (first page)", "/api/v1/vendors?limit=50", bearer},
		{"GET /api/v1/vendors (middle page)", fmt.Sprintf("/api/v1/vendors?limit=50&offset=%d", cfg.Evaluations/20/2), bearer},
		{"GET /api/v1/vendors?q=00042", "/api/v1/vendors?limit=50&q=00042", bearer},
		{"GET /api/v1/audit (first page)", "/api/v1/audit?limit=50", bearer},
		{"GET /api/v1/audit (middle page)", fmt.Sprintf("/api/v1/audit?limit=50&offset=%d", rep.Quotes/2), bearer},
		{"GET /api/v1/audit?entity=vendor", "/api/v1/audit?limit=50&entity=vendor", bearer},
		{"GET /api/v1/evaluations/{id}/audit", fmt.Sprintf("/api/v1/evaluations/%d/audit?limit=50", cfg.Evaluations/2), bearer},
		{"GET /api/v1/evaluations/{id}/options", fmt.Sprintf("/api/v1/evaluations/%d/options", cfg.Evaluations/2), bearer},
		{"GET /api/v1/options/{id}/rounds", fmt.Sprintf("/api/v1/options/%d/rounds", cfg.Evaluations*2), bearer},
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, l := range lists {
		t := vegeta.Target{Method: "GET", URL: srv.URL + l.path, Header: l.h}
		warm(ctx, client, t, 5)
		st := sequential(l.name, cfg.Samples, t)
		rep.Stats = append(rep.Stats, st)
		fmt.Fprintf(out, "  %-50s median %-9s p99 %-9s errors %d\n", st.Name, ms(st.P50), ms(st.P99), st.Errors)
		if st.P50 >= TargetListMedian {
			rep.Missed = append(rep.Missed, fmt.Sprintf("%s: median %s, target under %s", st.Name, ms(st.P50), ms(TargetListMedian)))
		}
		if st.Errors > 0 {
			rep.Missed = append(rep.Missed, fmt.Sprintf("%s: %d errors (%s)", st.Name, st.Errors, st.Extra))
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "listing\trequests\tmedian\tp99\tmax\terrors\t")
	for _, s := range rep.Stats {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%d\t\n", s.Name, s.Requests, ms(s.P50), ms(s.P99), ms(s.Max), s.Errors)
	}
	w.Flush()
	fmt.Fprintf(out, "\ndatabase: %d evaluations, %d quotes, %.1f MB, %.0f bytes per quote (generated in %v)\n",
		cfg.Evaluations, rep.Quotes, float64(rep.Bytes)/1e6, rep.BytesPerQuote, rep.Generate.Round(time.Second))
	fmt.Fprintf(out, "machine after the run: %s\n", Machine())
	if len(rep.Missed) == 0 {
		fmt.Fprintln(out, "all listings under", ms(TargetListMedian), "at the median")
	} else {
		fmt.Fprintln(out, "MISSED:")
		for _, m := range rep.Missed {
			fmt.Fprintln(out, " ", m)
		}
	}
	return rep, nil
}

// generate writes the scale database into dir through the store: the
// demo document copied cfg.Evaluations times with its vendors' quote
// rounds brought up to cfg.QuotesPer.
func generate(ctx context.Context, dir string, cfg ScaleConfig, out io.Writer) error {
	raw, err := fs.ReadFile(data.Demo, store.DemoFile)
	if err != nil {
		return err
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return err
	}
	last := time.Now()
	err = st.Seed(ctx, "generator", doc, cfg.Evaluations, cfg.QuotesPer, func(done int) {
		if time.Since(last) > 5*time.Second {
			fmt.Fprintf(out, "  … %d evaluations\n", done)
			last = time.Now()
		}
	})
	if cerr := st.Close(); err == nil {
		err = cerr // closing checkpoints the WAL into the file measured
	}
	return err
}
