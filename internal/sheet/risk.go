package sheet

import (
	"strconv"
	"strings"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
)

// sheetRisk is the finance workbook's risk sheet (spec §9), present only
// when the comparison simulated risk.
const sheetRisk = "Risk"

// writeRisk writes the Monte Carlo's figures as values (the simulation is
// the application's; a spreadsheet could not redo it): the runs, the seed
// and the drivers it drew from, then per option its savings percentiles,
// mean, and the shares of futures in which it saves money and ranks first,
// each with its sampling error at 90% confidence.
func writeRisk(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison) {
	g := newGrid()
	g.str(1, 1, "Risk: how sure (simulated futures)")
	g.style(1, 1, 1, 1, st.title)
	basis := strings.ToUpper(d.Price.Basis)
	rows := [][2]any{
		{"Runs", c.RiskRuns},
		{"Seed", c.RiskSeed},
		{"Savings on", basis + " (" + c.Currency + ")"},
	}
	for i, kv := range rows {
		g.str(1, 3+i, kv[0].(string))
		switch v := kv[1].(type) {
		case string:
			g.str(2, 3+i, v)
		default:
			g.num(2, 3+i, v)
		}
	}
	g.style(1, 3, 1, 2+len(rows), st.bold)

	// the drivers: low, mode, high multipliers; left out is fixed at 1
	dr := 4 + len(rows)
	for i, h := range []string{"Driver", "Low", "Mode", "High"} {
		g.str(1+i, dr, h)
	}
	g.style(1, dr, 4, dr, st.header)
	row := dr + 1
	if d.Risk != nil {
		for _, x := range []struct {
			name string
			t    *tco.Triangular
		}{{tco.DriverVolume, d.Risk.Drivers.Volume}, {tco.DriverPersonnel, d.Risk.Drivers.Personnel},
			{tco.DriverAHT, d.Risk.Drivers.AHT}, {tco.DriverVendorPrice, d.Risk.Drivers.VendorPrice},
			{tco.DriverFXRate, d.Risk.Drivers.FXRate}} {
			g.str(1, row, report.DriverWords(x.name).Label)
			if x.t == nil {
				g.str(2, row, "fixed at 1")
			} else {
				g.num(2, row, float(x.t.Low))
				g.num(3, row, float(x.t.Mode))
				g.num(4, row, float(x.t.High))
			}
			row++
		}
	}

	hr := row + 1
	heads := []string{"Option", "Savings P10", "Savings P50", "Savings P90", "Savings mean",
		"Saves money (share of runs)", "± at 90%", "Ranks first (share of runs)", "± at 90%"}
	for i, h := range heads {
		g.str(1+i, hr, h)
	}
	g.style(1, hr, len(heads), hr, st.header)
	g.wrapRow(hr)
	r := hr + 1
	for _, i := range rankOrder(c) {
		o := &c.Options[i]
		if o.Risk == nil {
			continue
		}
		k := o.Risk
		g.str(1, r, o.Name)
		for j, m := range []tco.Money{k.Savings.P10, k.Savings.P50, k.Savings.P90, k.Savings.Mean} {
			g.num(2+j, r, float(m.Value))
		}
		g.style(2, r, 5, r, st.money)
		g.num(6, r, k.PSaves)
		g.num(7, r, report.SamplingError(k.PSaves, c.RiskRuns))
		g.num(8, r, k.PFirst)
		g.num(9, r, report.SamplingError(k.PFirst, c.RiskRuns))
		g.style(6, r, 9, r, st.pct)
		r++
	}
	note := r + 1
	g.str(1, note, "Values, not formulas: "+strconv.Itoa(c.RiskRuns)+" futures drawn by the application from the seed above; the same evaluation and seed give the same figures.")
	g.str(1, note+1, report.RiskNote(c.RiskRuns))
	g.style(1, note, 1, note+1, st.note)
	g.fit(1, 22, 50)
	for col := 2; col <= len(heads); col++ {
		g.fit(col, 12, 24)
	}
	w.printSetup(sheetRisk, hr, hr, 0)
	g.flush(w, sheetRisk, nil)
}
