package evaluation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// StaffingPanel is the dashboard's staffing panel (issue 15): the heads
// each option's capacities need, by month, by the method each is staffed
// with and, for a service level, also at average workload (what the
// service level costs in heads); and for per-FTE bids a sentence such as
// "Vendor B bills 25 FTE at 80/20 (21 at average workload)".
type StaffingPanel struct {
	Rows      []StaffingRow
	Sentences []string
	Months    []string // labels of months 1..H
	Monthly   []StaffingMonth
}

// StaffingRow is one capacity of one option.
type StaffingRow struct {
	Option, Source, Method string // Source: the line's name or "per-FTE invoice"
	Colour                 int
	Standard               string // "80/20" or "average workload"
	First, Last, Peak      int64
	Average                string
	Workload               bool // a second row: the same capacity at average workload
}

// StaffingMonth is one month of the panel's monthly table: each row's heads.
type StaffingMonth struct {
	Label string
	Heads []int64
}

// Staffing returns the panel, or nil when no option uses a capacity.
func (d *Dashboard) Staffing() *StaffingPanel {
	if d == nil || d.Doc == nil || d.Cmp == nil {
		return nil
	}
	p := &StaffingPanel{Months: d.Cmp.Months}
	var cols [][]int64
	colour := map[string]int{}
	for _, r := range d.DocRows {
		colour[r.ID] = r.Colour
	}
	// lines on one capacity with the same heads (agents, attrition,
	// seats) are one row
	add := func(row StaffingRow, heads []int64) {
		for k := range p.Rows {
			q := &p.Rows[k]
			if q.Option == row.Option && q.Standard == row.Standard && q.Workload == row.Workload && slices.Equal(cols[k], heads) {
				q.Source += ", " + row.Source
				return
			}
		}
		p.Rows = append(p.Rows, row)
		cols = append(cols, heads)
	}
	for i := range d.Cmp.Options {
		r := &d.Cmp.Options[i]
		o := d.Doc.Option(r.ID)
		if o == nil {
			continue
		}
		for _, s := range r.Staffing {
			c, name, share, from := capacityOf(o, s.Source)
			if c == nil {
				continue
			}
			row := StaffingRow{Option: r.Name, Source: name, Method: s.Method, Colour: colour[r.ID], Standard: "average workload"}
			if s.Method == tco.MethodServiceLevel {
				row.Standard = slShort(c)
			}
			fillStats(&row, s.Heads)
			add(row, s.Heads)
			if s.Method != tco.MethodServiceLevel {
				if s.Source == "pricing" && from >= 1 && from <= len(s.Heads) {
					p.Sentences = append(p.Sentences, fmt.Sprintf("%s bills %d FTE at average workload (no service level) in %s, its first month.",
						r.Name, s.Heads[from-1], monthWords(d.Cmp.Months[from-1])))
				}
				continue
			}
			// the same capacity at average workload, where it differs
			wl := workloadHeads(c, d.Cmp, share, s.Heads)
			differ := false
			for m := range wl {
				differ = differ || wl[m] != s.Heads[m]
			}
			if differ {
				w := StaffingRow{Option: r.Name, Source: name, Method: tco.MethodWorkload, Colour: row.Colour, Standard: "average workload", Workload: true}
				fillStats(&w, wl)
				add(w, wl)
			}
			if s.Source == "pricing" && from >= 1 && from <= len(s.Heads) {
				p.Sentences = append(p.Sentences, fmt.Sprintf("%s bills %d FTE at %s (%d at average workload) in %s, its first month.",
					r.Name, s.Heads[from-1], row.Standard, wl[from-1], monthWords(d.Cmp.Months[from-1])))
			}
		}
	}
	if len(p.Rows) == 0 {
		return nil
	}
	for m, label := range d.Cmp.Months {
		sm := StaffingMonth{Label: label}
		for _, c := range cols {
			sm.Heads = append(sm.Heads, c[m])
		}
		p.Monthly = append(p.Monthly, sm)
	}
	return p
}

// capacityOf returns the capacity of an option's staffing source, its name
// in words, the share of demand it sees and the first month it is billed
// (pricing's go-live; 1 for lines).
func capacityOf(o *tco.Option, source string) (*tco.Capacity, string, decimal.Decimal, int) {
	if source == "pricing" {
		if o.Pricing == nil {
			return nil, "", decimal.Zero, 0
		}
		return o.Pricing.Capacity, "per-FTE invoice", o.VolumeShare, max(o.Pricing.FromMonth, 1)
	}
	k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(source, "lines["), "]"))
	if err != nil || k < 0 || k >= len(o.Lines) {
		return nil, "", decimal.Zero, 0
	}
	l := &o.Lines[k]
	share := o.VolumeShare
	if l.VolumeShare != nil {
		share = *l.VolumeShare
	}
	return l.Capacity, l.Name, share, 1
}

// workloadHeads is a staffed capacity's heads at average workload in each
// month it has heads (§1's block, ceil(U / block)).
func workloadHeads(c *tco.Capacity, cmp *tco.Comparison, share decimal.Decimal, heads []int64) []int64 {
	wc := *c
	wc.ServiceLevel, wc.OpenHours, wc.IntervalMinutes, wc.Profile = nil, nil, 0, nil
	out := make([]int64, len(heads))
	for m := range heads {
		if heads[m] == 0 || m >= len(cmp.Volume) {
			continue
		}
		plan, err := tco.Staff(wc, cmp.Volume[m].Decimal.Mul(share))
		if err == nil {
			out[m] = plan.WorkloadHeads
		}
	}
	return out
}

// slShort writes a service level as planners say it: "80/20".
func slShort(c *tco.Capacity) string {
	if !c.Staffed() {
		return "average workload"
	}
	return c.ServiceLevel.Target.Shift(2).String() + "/" + c.ServiceLevel.Seconds.String()
}

// fillStats sets a row's first, last, peak and average heads over the
// months it has any.
func fillStats(r *StaffingRow, heads []int64) {
	var sum, n int64
	for _, h := range heads {
		if h == 0 {
			continue
		}
		if n == 0 {
			r.First = h
		}
		r.Last = h
		r.Peak = max(r.Peak, h)
		sum += h
		n++
	}
	if n > 0 {
		r.Average = strconv.FormatFloat(float64(sum)/float64(n), 'f', 1, 64)
	}
}

// monthWords writes "2027-03" as "March 2027".
func monthWords(label string) string {
	y, m, ok := strings.Cut(label, "-")
	mi, err := strconv.Atoi(m)
	if !ok || err != nil || mi < 1 || mi > 12 {
		return label
	}
	return [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}[mi-1] + " " + y
}
