package tco

import "math"

// MonthlyCostAt returns the monthly cost of option opt (an index into
// d.Options) at demand v per month, in the evaluation currency, as the
// break-even monthly view sees it (spec section 4): one steady month H at
// demand v, with no seasonality, growth, escalation, one-time items or
// fees. Per-block quantities round up (a volume exactly on a block boundary
// needs no extra block, within the break-even tolerance) and the invoice
// follows the tiers, minimums and fixed fee of the quote, times its fx rate
// and share_of_vendor lines.
//
// It is the cost curve the dashboard draws against volume; the crossings of
// two such curves are the monthly view's break-even volumes. The result is
// an unrounded float64 (a chart value, not money). The document must be
// decoded (defaults applied) and valid; v < 0 counts as 0, and an index out
// of range gives NaN.
func MonthlyCostAt(d *Document, opt int, v float64) float64 {
	return NewCostCurve(d, opt).At(v)
}

// MonthlyCosts is MonthlyCostAt at each volume of vs, sharing the setup.
func MonthlyCosts(d *Document, opt int, vs []float64) []float64 {
	c := NewCostCurve(d, opt)
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = c.At(v)
	}
	return out
}

// CostCurve is one option's monthly cost as a function of volume
// (MonthlyCostAt), set up once for evaluating at many volumes; its At
// gives NaN for an option index out of range. It keeps no reference to
// the document.
type CostCurve struct{ c *curve }

// NewCostCurve sets up the cost curve of option opt of d.
func NewCostCurve(d *Document, opt int) *CostCurve {
	if opt < 0 || opt >= len(d.Options) {
		return &CostCurve{}
	}
	return &CostCurve{newCurve(d, opt)}
}

// At is the monthly cost at demand v (see MonthlyCostAt).
func (c *CostCurve) At(v float64) float64 {
	if c.c == nil {
		return math.NaN()
	}
	return c.c.at(v)
}

// curve is one option's monthly-view cost as a function of volume.
type curve struct {
	fixed   float64 // fixed lines
	perUnit float64 // Σ amount × share of per-unit lines
	blocks  []beBlockLine
	inv     *beInvoice // nil without pricing or before go-live
	invW    float64    // fx × (1 + Σ share_of_vendor)
	invA    float64    // the option's volume share
}

// beBlockLine is a per-block line: amount per block of size block at
// demand share × v.
type beBlockLine struct{ amount, share, block float64 }

func newCurve(d *Document, opt int) *curve {
	o := &d.Options[opt]
	h := d.HorizonMonths
	c := &curve{}
	share := o.VolumeShare.InexactFloat64()
	for li := range o.Lines {
		l := &o.Lines[li]
		amount := l.Amount.InexactFloat64()
		if amount == 0 || !beInWindow(l, h) {
			continue
		}
		ls := share
		if l.VolumeShare != nil {
			ls = l.VolumeShare.InexactFloat64()
		}
		switch l.Basis {
		case BasisFixed:
			c.fixed += amount
		case BasisPerUnit:
			c.perUnit += amount * ls
		case BasisPerBlock:
			if b := beBlock(l.BlockSize, l.Capacity); b > 0 && ls > 0 {
				c.blocks = append(c.blocks, beBlockLine{amount, ls, b})
			}
		}
	}
	p := o.Pricing
	if p == nil || h < p.FromMonth {
		return c
	}
	f := 1.0
	for li := range o.Lines {
		l := &o.Lines[li]
		if l.Basis == BasisShareOfVendor && beInWindow(l, h) {
			f += l.Amount.InexactFloat64()
		}
	}
	c.inv = newBeInvoice(p)
	c.invW = p.FXRate.InexactFloat64() * f
	c.invA = share
	return c
}

// at is the cost at demand v.
func (c *curve) at(v float64) float64 {
	if v < 0 || math.IsNaN(v) {
		v = 0
	}
	total := c.fixed + c.perUnit*v
	for _, b := range c.blocks {
		x := b.share * v
		if x <= 0 {
			continue
		}
		n := math.Ceil(x / b.block)
		if x-(n-1)*b.block <= beRel*math.Max(1, (n-1)*b.block) {
			n--
		}
		total += b.amount * n
	}
	if c.inv != nil && c.invW != 0 {
		total += c.invW * c.inv.at(c.invA*v)
	}
	return total
}
