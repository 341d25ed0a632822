package tco

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"
)

// Risk (spec §9): every run draws the drivers, costs every option with the
// full rounded model on the price basis, and ranks that run's totals.
//
// The random numbers. Run i (0-based) reads its uniforms from its own
// ChaCha8 stream keyed by "vcrisk-1", the seed and i (each 8 bytes, little
// endian, then 8 zero bytes); u = (x >> 11) × 2^−53 for each 64-bit output
// x, in [0, 1). A run's draws depend on (seed, i) alone, so spreading the
// runs over any number of cores gives the same answer byte for byte. In
// each run the uniforms go, in this order, to volume, personnel and aht,
// then vendor_price for each option with pricing (document order, the
// baseline included), then fx_rate for each quote currency other than the
// evaluation's (in order of first appearance). A fixed or absent driver
// still takes its uniform, so narrowing one driver never moves another's
// draws. A drawn multiplier is taken to 9 decimals (a millionth of a
// thousandth, far below any input's precision), which keeps the exact
// costing of a run cheap.

// OptionRisk is one option's risk (spec §9): its savings on the price basis
// over the simulated futures, and how often it saves money and ranks first.
type OptionRisk struct {
	Savings RiskSavings `json:"savings"`
	PSaves  float64     `json:"p_saves"` // share of runs with savings > 0
	PFirst  float64     `json:"p_first"` // share of runs in which it ranks first
}

// RiskSavings are savings percentiles (nearest rank) and the mean, each
// rounded to the minor unit.
type RiskSavings struct {
	P10  Money `json:"p10"`
	P50  Money `json:"p50"`
	P90  Money `json:"p90"`
	Mean Money `json:"mean"`
}

// riskKey is the fixed part of every run's ChaCha8 key.
var riskKey = [8]byte{'v', 'c', 'r', 'i', 's', 'k', '-', '1'}

// driverList is the drivers in draw order with their names.
type namedDriver struct {
	name string
	t    *Triangular
}

func (r RiskDrivers) list() []namedDriver {
	return []namedDriver{{DriverVolume, r.Volume}, {DriverPersonnel, r.Personnel}, {DriverAHT, r.AHT},
		{DriverVendorPrice, r.VendorPrice}, {DriverFXRate, r.FXRate}}
}

// triangle is a driver ready to draw from: its bounds as doubles, and as
// decimals for a fixed driver.
type triangle struct {
	fixed           bool
	value           decimal.Decimal // the multiplier of a fixed driver
	low, mode, high float64
	lowD, highD     decimal.Decimal
}

func newTriangle(t *Triangular) triangle {
	if t == nil {
		return triangle{fixed: true, value: one}
	}
	if t.Low.Equal(t.High) {
		return triangle{fixed: true, value: t.Low}
	}
	return triangle{low: t.Low.InexactFloat64(), mode: t.Mode.InexactFloat64(), high: t.High.InexactFloat64(), lowD: t.Low, highD: t.High}
}

// drawFloat is the triangular inverse CDF of spec §9 at u in [0, 1).
func drawFloat(u, low, mode, high float64) float64 {
	if high == low {
		return low
	}
	if u < (mode-low)/(high-low) {
		return low + math.Sqrt(u*(high-low)*(mode-low))
	}
	return high - math.Sqrt((1-u)*(high-low)*(high-mode))
}

// draw returns the multiplier at u, to 9 decimals and inside [low, high].
func (t *triangle) draw(u float64) decimal.Decimal {
	if t.fixed {
		return t.value
	}
	x := decimal.NewFromFloatWithExponent(drawFloat(u, t.low, t.mode, t.high), -9)
	if x.LessThan(t.lowD) {
		return t.lowD
	}
	if x.GreaterThan(t.highD) {
		return t.highD
	}
	return x
}

// riskPlan is what every run draws and costs.
type riskPlan struct {
	runs              int
	seed              int64
	volume, pers, aht triangle
	price, fx         triangle
	priced            []int // options with pricing, in document order
	currencies        []string
	optPrice, optFX   []int // per option: its vendor_price slot, its currency's slot; −1 none
	uniforms          int   // uniforms a run takes
	places            int32
	basis             string
	over              atomic.Bool // a run had an amount too large to cost exactly
}

func newRiskPlan(d *Document, runs int, seed int64) *riskPlan {
	k := d.Risk
	p := &riskPlan{runs: runs, seed: seed, volume: newTriangle(k.Drivers.Volume), pers: newTriangle(k.Drivers.Personnel),
		aht: newTriangle(k.Drivers.AHT), price: newTriangle(k.Drivers.VendorPrice), fx: newTriangle(k.Drivers.FXRate),
		optPrice: make([]int, len(d.Options)), optFX: make([]int, len(d.Options)), basis: d.Price.Basis}
	for i := range d.Options {
		p.optPrice[i], p.optFX[i] = -1, -1
		pr := d.Options[i].Pricing
		if pr == nil {
			continue
		}
		p.optPrice[i] = len(p.priced)
		p.priced = append(p.priced, i)
		if pr.Currency != d.Currency {
			j := slices.Index(p.currencies, pr.Currency)
			if j < 0 {
				j = len(p.currencies)
				p.currencies = append(p.currencies, pr.Currency)
			}
			p.optFX[i] = j
		}
	}
	p.uniforms = 3 + len(p.priced) + len(p.currencies)
	return p
}

// uniforms fills u with run i's uniforms in [0, 1).
func (p *riskPlan) uniformsOf(i int, u []float64) {
	var key [32]byte
	copy(key[:8], riskKey[:])
	binary.LittleEndian.PutUint64(key[8:], uint64(p.seed))
	binary.LittleEndian.PutUint64(key[16:], uint64(i))
	src := rand.NewChaCha8(key)
	for j := range u {
		u[j] = float64(src.Uint64()>>11) * 0x1p-53
	}
}

// riskDraw is one run's multipliers.
type riskDraw struct {
	volume, pers, aht decimal.Decimal
	price             []decimal.Decimal // by slot of riskPlan.priced
	fx                []decimal.Decimal // by slot of riskPlan.currencies
}

// drawRun returns run i's multipliers (u is scratch of p.uniforms).
func (p *riskPlan) drawRun(i int, u []float64, out *riskDraw) {
	p.uniformsOf(i, u)
	out.volume, out.pers, out.aht = p.volume.draw(u[0]), p.pers.draw(u[1]), p.aht.draw(u[2])
	out.price = out.price[:0]
	for j := range p.priced {
		out.price = append(out.price, p.price.draw(u[3+j]))
	}
	out.fx = out.fx[:0]
	for j := range p.currencies {
		out.fx = append(out.fx, p.fx.draw(u[3+len(p.priced)+j]))
	}
}

// scaleOf is option i's scale in a run.
func (p *riskPlan) scaleOf(i int, r *riskDraw) scale {
	s := unscaled
	s.volume, s.personnel, s.aht = r.volume, r.pers, r.aht
	if j := p.optPrice[i]; j >= 0 {
		s.price = r.price[j]
	}
	if j := p.optFX[i]; j >= 0 {
		s.fx = r.fx[j]
	}
	return s
}

// riskOutcome is every run's result: savings[option][run] in minor units and
// the option that ranked first in each run (−1: none ranked).
type riskOutcome struct {
	savings [][]int64
	first   []int32
}

// risk runs the Monte Carlo of spec §9 and fills each option's Risk. It
// spreads the runs over at most workers goroutines (GOMAXPROCS when 0 or
// more); a cancelled context stops them
// and risk returns its error. A run with an amount too large to cost
// exactly leaves risk out, with a warning.
func (e *engine) risk(c *Comparison, sc *scoring, runs int, seed int64, workers int) error {
	d := e.d
	p := newRiskPlan(d, runs, seed)
	p.places = e.m.places
	out := &riskOutcome{savings: make([][]int64, len(d.Options)), first: make([]int32, runs)}
	for i := range out.savings {
		out.savings[i] = make([]int64, runs)
	}
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	rm := newRunModel(e, p)
	if n := runtime.GOMAXPROCS(0); workers <= 0 || workers > n {
		workers = n
	}
	workers = min(workers, runs)
	var next atomic.Int64
	const chunk = 8
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h := riskWorkerHook; h != nil {
				h(1)
				defer h(-1)
			}
			rw, err := e.newRiskWorker(p, sc, rm)
			if err != nil {
				errs[w] = err
				return
			}
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= runs {
					return
				}
				for i := from; i < min(from+chunk, runs); i++ {
					if err := ctx.Err(); err != nil {
						errs[w] = err
						return
					}
					rw.run(i, out)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if p.over.Load() {
		c.Warnings = append(c.Warnings, "risk is not given: with the drivers drawn in some runs the amounts are too large to cost exactly; narrow the drivers' ranges")
		return nil
	}
	n := float64(runs)
	firsts := make([]int, len(d.Options))
	for _, f := range out.first {
		if f >= 0 {
			firsts[f]++
		}
	}
	for i := range d.Options {
		s := out.savings[i]
		saves := 0
		sum := new(big.Int)
		var t big.Int
		for _, v := range s {
			if v > 0 {
				saves++
			}
			sum.Add(sum, t.SetInt64(v))
		}
		slices.Sort(s)
		pct := func(q int) Money {
			k := (q*runs + 99) / 100 // ceil(q × n / 100), 1-based
			return e.money(decimal.New(s[max(k, 1)-1], -e.m.places))
		}
		mean := decimal.NewFromBigInt(sum, -e.m.places).DivRound(decimal.NewFromInt(int64(runs)), e.m.places)
		c.Options[i].Risk = &OptionRisk{
			Savings: RiskSavings{P10: pct(10), P50: pct(50), P90: pct(90), Mean: e.money(mean)},
			PSaves:  float64(saves) / n,
			PFirst:  float64(firsts[i]) / n,
		}
	}
	c.RiskRuns, c.RiskSeed = runs, seed
	return nil
}

// riskWorkerHook, when set by a test, hears each worker goroutine start
// (+1) and end (−1): the test counts how many run at once.
var riskWorkerHook func(delta int)

// riskWorker costs runs on one goroutine: its own model (scratch and caches
// are not shared) over the engine's unscaled costing, which it reads only.
type riskWorker struct {
	e      *engine
	p      *riskPlan
	sc     *scoring
	rm     *runModel
	rs     *runScratch
	m      *model
	u      []float64
	draw   riskDraw
	totals []int64
	dec    []decimal.Decimal
	acc, t big.Int
}

func (e *engine) newRiskWorker(p *riskPlan, sc *scoring, rm *runModel) (*riskWorker, error) {
	m, err := newModel(e.d)
	if err != nil {
		return nil, err
	}
	n := len(e.d.Options)
	return &riskWorker{e: e, p: p, sc: sc, rm: rm, rs: rm.scratch(), m: m, u: make([]float64, p.uniforms), totals: make([]int64, n), dec: make([]decimal.Decimal, n)}, nil
}

// run costs run i and records its savings and first-ranked option.
func (w *riskWorker) run(i int, out *riskOutcome) {
	d, e := w.e.d, w.e
	w.p.drawRun(i, w.u, &w.draw)
	w.costRun(&w.draw)
	w.m.forgetRun()
	if w.m.over {
		w.p.over.Store(true)
		w.m.over, w.m.overAt = false, ""
	}
	base := w.totals[e.base]
	for j := range d.Options {
		out.savings[j][i] = base - w.totals[j]
		w.dec[j] = decimal.New(w.totals[j], -e.m.places)
	}
	out.first[i] = int32(w.sc.first(w.dec))
}

// pvMinor is the present value of monthly amounts in minor units, rounded
// once half away from zero: the same as engine.pv.
func (w *riskWorker) pvMinor(x []int64) int64 {
	df := w.e.df
	acc := &w.acc
	acc.SetInt64(0)
	for i, v := range x {
		if v != 0 {
			w.t.SetInt64(v)
			w.t.Mul(&w.t, df.c[i])
			acc.Add(acc, &w.t)
		}
	}
	// acc is in units of 10^df.e minor units (df.e ≤ 0)
	if df.e >= 0 {
		return acc.Int64()
	}
	div := w.m.ten(int(-df.e))
	acc.QuoRem(acc, div, &w.t)
	neg := w.t.Sign() < 0
	w.t.Abs(&w.t)
	w.t.Lsh(&w.t, 1)
	if w.t.Cmp(div) >= 0 {
		if neg {
			acc.Sub(acc, bigOne)
		} else {
			acc.Add(acc, bigOne)
		}
	}
	return acc.Int64()
}

// riskSettings returns the runs and seed a comparison simulates: the
// document's, overridden by the request's.
func riskSettings(d *Document, o CompareOptions) (runs int, seed int64) {
	if d.Risk == nil {
		return 0, 0
	}
	runs, seed = d.Risk.Runs, d.Risk.Seed
	if o.Runs != nil {
		runs = *o.Runs
	}
	if o.Seed != nil {
		seed = *o.Seed
	}
	return runs, seed
}

// checkOverrides reports problems with a request's runs and seed.
func checkOverrides(d *Document, o CompareOptions) Errors {
	var errs Errors
	if (o.Runs != nil || o.Seed != nil) && d.Risk == nil {
		p := "runs"
		if o.Runs == nil {
			p = "seed"
		}
		errs.add(p, "the evaluation has no risk block: add one (risk.drivers) before simulating")
		return errs
	}
	if o.Runs != nil && (*o.Runs < MinRuns || *o.Runs > MaxRuns) {
		errs.add("runs", fmt.Sprintf("must be a whole number from %d to %d", MinRuns, MaxRuns))
	}
	if o.Seed != nil && (*o.Seed < 0 || *o.Seed > maxSeed) {
		errs.add("seed", "must be a whole number from 0 to 9007199254740991 (2^53 − 1)")
	}
	return errs
}

// ParseRiskOverrides reads a request's runs and seed (the query parameters
// of POST /api/v1/compare, the compare command's -runs and -seed): "" is
// not given. A value that is not a whole number in range returns Errors at
// "runs" or "seed"; whether the document has a risk block is Compare's to
// say.
func ParseRiskOverrides(runs, seed string) (*int, *int64, error) {
	var errs Errors
	var r *int
	var s *int64
	if runs != "" {
		n, err := strconv.Atoi(strings.TrimSpace(runs))
		if err != nil || n < MinRuns || n > MaxRuns {
			errs.add("runs", fmt.Sprintf("must be a whole number from %d to %d", MinRuns, MaxRuns))
		} else {
			r = &n
		}
	}
	if seed != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(seed), 10, 64)
		if err != nil || n < 0 || n > maxSeed {
			errs.add("seed", "must be a whole number from 0 to 9007199254740991 (2^53 − 1)")
		} else {
			s = &n
		}
	}
	return r, s, errs.err()
}
