package tco

import (
	"math"
	"math/big"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

// Staffing to a service level (spec §8). A capacity with a service level is
// staffed interval by interval: a month's U units spread over D open days
// and a day's K intervals by the profile, each interval gets the fewest
// agents N_k that meet the target (Erlang C), and the agent hours they make
// become people and then heads. Heads replace ceil(U / block) wherever the
// capacity stands.
//
// Agents are found two ways that agree: directly as the spec states (the
// Erlang B recursion from N = 1 up, binary64), and from a table of the
// largest traffic each N staffs (the thresholds T(N), found once per set of
// parameters). The table turns an interval into a binary search, and gives
// break-even the volumes at which heads change; wherever a traffic lies
// within 1e-9 (relative) of a threshold the direct computation decides, so
// the table never changes an answer.

// slTol is the spec's absolute tolerance of the occupancy and service-level
// tests.
const slTol = 1e-12

// erlangKey is what one interval's agents depend on: AHT in minutes, the
// occupancy cap, the target and its seconds.
type erlangKey struct {
	aht, occ, target, secs float64
}

// erlangTable holds the thresholds of one erlangKey: n agents staff every
// traffic up to t[n] and none from u[n] (t[n] ≤ u[n], usually equal to
// 1e-12); t[0] = u[0] = 0 (no traffic needs no agent).
type erlangTable struct {
	erlangKey
	t, u  []float64
	steps int64 // Erlang B recursion steps taken, for the work count
}

// sl returns the service level n agents give at traffic a (a < n): the
// Erlang B recursion B₀ = 1, Bₙ = A·Bₙ₋₁ / (n + A·Bₙ₋₁), in this order,
// then C = N·B_N / (N − A·(1 − B_N)) and SL = 1 − C·exp(−(N − A)·s / (aht·60)).
func (e *erlangTable) sl(n int, a float64) float64 {
	b := 1.0
	for i := 1; i <= n; i++ {
		b = a * b / (float64(i) + a*b)
	}
	e.steps += int64(n)
	return slOf(n, a, b, e.aht, e.secs)
}

// slQuick is sl by the reciprocal recursion 1/Bₙ = 1 + (n/A)/Bₙ₋₁: the
// same Erlang B without a division a step (a third of the time), for the
// thresholds only. It may differ from sl in the last bits; a threshold is
// a bracket to 1e-12, and a traffic within 1e-9 of one is decided by
// direct, in the spec's order, so no answer changes.
func (e *erlangTable) slQuick(n int, a float64) float64 {
	if !(a > 0) {
		return e.sl(n, a)
	}
	inv, ia := 1.0, 1/a
	for i := 1; i <= n; i++ {
		inv = 1 + inv*(float64(i)*ia)
	}
	e.steps += int64(n)
	return slOf(n, a, 1/inv, e.aht, e.secs)
}

// slOf is SL from B_N.
func slOf(n int, a, b, aht, secs float64) float64 {
	N := float64(n)
	c := N * b / (N - a*(1-b))
	return 1 - c*math.Exp(-(N-a)*secs/(aht*60))
}

// meets reports whether n agents staff traffic a: n > a, a/n ≤ occupancy
// and SL ≥ target, the last two within the spec's tolerance.
func (e *erlangTable) meets(n int, a float64) bool {
	N := float64(n)
	return N > a && a/N <= e.occ+slTol && e.sl(n, a) >= e.target-slTol
}

// direct returns the agents traffic a needs exactly as spec §8 states: the
// smallest N with N > A, A/N ≤ occupancy and SL(N, A) ≥ target, walking the
// recursion from N = 1 up; 0 for no traffic.
func (e *erlangTable) direct(a float64) int {
	if !(a > 0) {
		return 0
	}
	b := 1.0
	for n := 1; ; n++ {
		N := float64(n)
		b = a * b / (N + a*b)
		if N > a && a/N <= e.occ+slTol && slOf(n, a, b, e.aht, e.secs) >= e.target-slTol {
			e.steps += int64(n)
			return n
		}
	}
}

// threshold brackets t[n], the largest traffic n agents staff, above
// t[n−1] (which n agents staff too: more agents never lower the service
// level): n agents staff lo and, unless lo = hi, not hi. The occupancy cap
// and N > A bound it; below them the service level falls as traffic rises,
// so its crossing of the target is found (secant steps from a prediction,
// then false position, Illinois) to 1e-12 relative, in at most
// thresholdEvals service levels. A traffic within 1e-9 of the bracket is
// decided directly (agents), so neither the bracket's width nor slQuick's
// last bits change an answer, only how often the direct path runs.
func (e *erlangTable) threshold(n int) (lo, hi float64) {
	lo = e.t[n-1]
	N := float64(n)
	hi = math.Min(N*(e.occ+slTol), math.Nextafter(N, 0))
	for hi > lo && hi/N > e.occ+slTol {
		hi = math.Nextafter(hi, 0)
	}
	g := func(a float64) float64 { return e.slQuick(n, a) - (e.target - slTol) }
	gh := g(hi)
	if gh >= 0 {
		return hi, hi
	}
	gl := g(lo)
	if gl < 0 {
		return lo, lo // float noise at the previous threshold
	}
	evals := 2
	// try narrows the bracket by the service level at c.
	try := func(c float64) (float64, bool) {
		if !(c > lo && c < hi) || evals >= thresholdEvals-2 {
			return 0, false
		}
		evals++
		gc := g(c)
		if gc >= 0 {
			lo, gl = c, gc
		} else {
			hi, gh = c, gc
		}
		return gc, true
	}
	// Thresholds lie about evenly spaced (their step changes slowly), so
	// the previous ones predict this one to a few parts in a thousand;
	// secant steps from there converge in three or four service levels,
	// and two probes a hair either side close the bracket. False position
	// over the whole bracket (below) took a dozen or more, up to the cap
	// when float noise stalled it. Any bracket is correct: this only makes
	// it narrow sooner.
	if n >= 3 {
		t1, t2 := e.t[n-1], e.t[n-2]
		x0 := t1 + (t1 - t2)
		if n >= 4 {
			x0 += (t1 - t2) - (t2 - e.t[n-3])
		}
		g0, ok0 := try(x0)
		x1 := x0 * (1 - 1e-6) // towards the threshold
		if g0 >= 0 {
			x1 = x0 * (1 + 1e-6)
		}
		g1, ok1 := try(x1)
		for ok0 && ok1 && hi-lo > 1e-12*hi && g1 != g0 {
			c := x1 - g1*(x1-x0)/(g1-g0)
			if math.Abs(c-x1) <= 1e-13*c {
				// converged: probe either side to close the bracket
				try(c * (1 - 4e-13))
				try(c * (1 + 4e-13))
				break
			}
			x0, g0 = x1, g1
			x1 = c
			g1, ok1 = try(c)
		}
	}
	side := 0
	for ; evals < thresholdEvals; evals++ {
		if hi-lo <= 1e-12*hi {
			break
		}
		c := (lo*gh - hi*gl) / (gh - gl)
		if gl == 0 {
			// lo is the threshold to float precision: a hair above
			// closes the bracket (false position would stay at lo)
			c = math.Min(lo*(1+4e-13), lo+(hi-lo)/2)
		}
		if !(c > lo && c < hi) {
			c = lo + (hi-lo)/2
		}
		gc := g(c)
		if gc >= 0 {
			lo, gl = c, gc
			if side == 1 {
				gh /= 2
			}
			side = 1
		} else {
			hi, gh = c, gc
			if side == -1 {
				gl /= 2
			}
			side = -1
		}
	}
	return lo, hi
}

// extend grows the table until it covers traffic a.
func (e *erlangTable) extend(a float64) {
	if len(e.t) == 0 {
		e.t, e.u = append(e.t, 0), append(e.u, 0)
	}
	for e.t[len(e.t)-1] < a {
		lo, hi := e.threshold(len(e.t))
		e.t, e.u = append(e.t, lo), append(e.u, hi)
	}
}

// agents returns the agents traffic a needs, by the table, and whether a
// lies so near a threshold that the direct computation must decide.
func (e *erlangTable) agents(a float64) (n int, near bool) {
	if !(a > 0) {
		return 0, false
	}
	e.extend(a)
	n, _ = slices.BinarySearch(e.t, a) // the first n with t[n] ≥ a
	const rel = 1e-9
	if a >= e.t[n]*(1-rel) || (n > 1 && a <= e.u[n-1]*(1+rel)) {
		return n, true
	}
	return n, false
}

// slGroup is the intervals of a profile with one weight: their traffic per
// unit of monthly volume, and how many there are.
type slGroup struct {
	w     decimal.Decimal
	per   float64 // A_k / U
	count int
}

// slCap is a service-level capacity prepared for costing at one AHT.
type slCap struct {
	c      *Capacity
	aht    decimal.Decimal // aht_minutes × the aht driver's multiplier
	tab    *erlangTable
	groups []slGroup
	k      int
	// A_k = U × w_k × aNum / aDen exactly: aNum = aht × K, aDen = open
	// hours × 60 × Σw (D = open × 60 / (interval × K) cancels the interval)
	aNum, aDen decimal.Decimal
	// people = ΣN × pNum / pDen: pNum = open hours, pDen = K × paid ×
	// (1 − shrinkage) (agent hours D × ΣN × interval / 60 = open × ΣN / K)
	pNum, pDen decimal.Decimal
	pRatio     float64
	memo       map[float64]int64 // heads by volume (as a double), when decided by the table
	steps      int64             // intervals staffed, for the work count
	fn         *headsFn          // heads by volume, for the aht driver's search
}

// fnHeads is heads at volume u read from the breakpoints (built up to top
// at least): cheaper than staffing each interval when many volumes are
// read at one AHT.
func (s *slCap) fnHeads(u, top float64) int64 {
	if u <= 0 {
		return 0
	}
	if s.fn == nil {
		s.fn = newHeadsFn(s)
	}
	if u > s.fn.upTo || len(s.fn.x) == 0 {
		s.fn.extend(math.Max(u, top))
		s.steps += int64(len(s.fn.x))
	}
	j, _ := slices.BinarySearch(s.fn.x, u) // breakpoints below u
	return s.fn.h[j]
}

// newSlCap prepares capacity c at AHT aht; tables are shared through tabs.
// proto, when given, is c prepared at another AHT: only the traffic
// changes (it is proportional to AHT), so its groups are scaled.
func newSlCap(c *Capacity, aht decimal.Decimal, tabs map[erlangKey]*erlangTable, proto *slCap) *slCap {
	s := &slCap{c: c, aht: aht, k: len(c.Profile), memo: map[float64]int64{}}
	key := erlangKey{aht: aht.InexactFloat64(), occ: c.Occupancy.InexactFloat64(),
		target: c.ServiceLevel.Target.InexactFloat64(), secs: c.ServiceLevel.Seconds.InexactFloat64()}
	if s.tab = tabs[key]; s.tab == nil {
		s.tab = &erlangTable{erlangKey: key}
		tabs[key] = s.tab
	}
	if proto != nil {
		s.aNum = aht.Mul(decimal.NewFromInt(int64(s.k)))
		s.aDen, s.pNum, s.pDen, s.pRatio = proto.aDen, proto.pNum, proto.pDen, proto.pRatio
		f := key.aht / proto.tab.aht
		s.groups = slices.Clone(proto.groups)
		for i := range s.groups {
			s.groups[i].per *= f
		}
		return s
	}
	sum := decimal.Zero
	for _, w := range c.Profile {
		sum = sum.Add(w)
	}
	open := *c.OpenHours
	s.aNum = aht.Mul(decimal.NewFromInt(int64(s.k)))
	s.aDen = open.Mul(sixty).Mul(sum)
	s.pNum = open
	s.pDen = decimal.NewFromInt(int64(s.k)).Mul(c.PaidHours).Mul(one.Sub(c.Shrinkage))
	s.pRatio = s.pNum.InexactFloat64() / s.pDen.InexactFloat64()
	for _, w := range c.Profile {
		if w.Sign() <= 0 {
			continue
		}
		j := slices.IndexFunc(s.groups, func(g slGroup) bool { return g.w.Equal(w) })
		if j < 0 {
			// the table's traffic: a double is ample (near a threshold
			// the exact traffic decides)
			per := w.InexactFloat64() * s.aNum.InexactFloat64() / s.aDen.InexactFloat64()
			s.groups = append(s.groups, slGroup{w: w, per: per})
			j = len(s.groups) - 1
		}
		s.groups[j].count++
	}
	return s
}

// ratFloat returns the double nearest to a / b (b > 0).
func ratFloat(a, b decimal.Decimal) float64 {
	f, _ := new(big.Rat).Quo(a.Rat(), b.Rat()).Float64()
	return f
}

// traffic returns A_k of the group's intervals at volume u exactly (the
// nearest double of the exact ratio), for the direct computation.
func (s *slCap) traffic(u decimal.Decimal, g *slGroup) float64 {
	return ratFloat(u.Mul(g.w).Mul(s.aNum), s.aDen)
}

// agents returns Σ_k N_k at volume u (uf: u as a double).
func (s *slCap) agents(u decimal.Decimal, uf float64) int64 {
	var sum int64
	for i := range s.groups {
		g := &s.groups[i]
		n, near := s.tab.agents(uf * g.per)
		if near {
			n = s.tab.direct(s.traffic(u, g))
		}
		sum += int64(n) * int64(g.count)
	}
	s.steps += int64(s.k)
	return sum
}

// heads returns the heads volume u needs (spec §8 steps 1–5).
func (s *slCap) heads(u decimal.Decimal, uf float64) int64 {
	if u.Sign() <= 0 {
		return 0
	}
	if h, ok := s.memo[uf]; ok {
		return h
	}
	h := s.headsOf(s.agents(u, uf))
	s.memo[uf] = h
	return h
}

// headsOf returns ceil(people) for Σ_k N_k = n agents, with the spec's 1e-9
// snap: people within 1e-9 × max(1, b) above a whole number b are b.
func (s *slCap) headsOf(n int64) int64 {
	if n <= 0 {
		return 0
	}
	p := float64(n) * s.pRatio
	if fl := math.Floor(p); p < 1e12 && p-fl > 1e-6 && p-fl < 1-1e-6 {
		return int64(fl) + 1
	}
	num := decimal.NewFromInt(n).Mul(s.pNum)
	q, r := num.QuoRem(s.pDen, 0)
	h := q.IntPart()
	if r.Sign() == 0 {
		return h
	}
	tol := q
	if tol.LessThan(one) {
		tol = one
	}
	if r.LessThanOrEqual(tol.Mul(s.pDen).Mul(snapScale)) {
		return h
	}
	return h + 1
}

// slKey identifies a service-level capacity at an AHT multiplier, for the
// caches of block counts.
func slKey(c *Capacity, aht decimal.Decimal) string {
	return "sl|" + aht.String() + slParams(c)
}

// slParams is the part of slKey after the AHT: the same at every
// multiplier, so the model builds it once a capacity (decimal.String of a
// 48-interval profile at each of the aht search's multipliers was a tenth
// of a large comparison).
func slParams(c *Capacity) string {
	var b []byte
	for _, d := range []decimal.Decimal{c.Occupancy, c.Shrinkage, c.PaidHours, c.ServiceLevel.Target, c.ServiceLevel.Seconds, *c.OpenHours} {
		b = append(b, '|')
		b = append(b, d.String()...)
	}
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(c.IntervalMinutes), 10)
	for _, w := range c.Profile {
		b = append(b, ',')
		b = append(b, w.String()...)
	}
	return string(b)
}

// headsFn is heads as a function of volume for break-even: heads rise from
// h[j] to h[j+1] as the volume passes x[j] (a volume at a breakpoint has
// the lower count, like ceil), h[0] = 0. Built up to volume upTo.
type headsFn struct {
	s    *slCap
	x    []float64
	h    []int64
	upTo float64
	heap []headsCursor // scratch of extend
}

// headsCursor is a group's next breakpoint t[n] / per in headsFn.extend.
type headsCursor struct {
	x float64
	g int32 // the group
	n int32 // the threshold
}

// siftDown restores the heap (least x first) below i.
func siftDown(h []headsCursor, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && h[r].x < h[l].x {
			l = r
		}
		if !(h[l].x < h[i].x) {
			return
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
}

// newHeadsFn builds the breakpoints of s up to volume top. Every interval's
// agents change where its traffic passes a threshold: at volume t[n] / per
// for each group; between two such volumes Σ N is constant, and so are
// heads.
func newHeadsFn(s *slCap) *headsFn {
	return &headsFn{s: s, h: []int64{0}}
}

// extend makes the function cover volumes up to top.
func (f *headsFn) extend(top float64) {
	if top <= f.upTo && len(f.x) > 0 {
		return
	}
	// grow by half again at least: the views of a document ask for a few
	// tops, the smaller first
	top = math.Max(top, 1.5*f.upTo)
	s := f.s
	maxPer := 0.0
	for _, g := range s.groups {
		maxPer = math.Max(maxPer, g.per)
	}
	s.tab.extend(top * maxPer)
	// Each group's breakpoints t[n] / per rise with n: merge them (a heap
	// of one cursor a group) rather than sort them all, the larger part of
	// the aht search's time once the tables were quick.
	t := s.tab.t
	hp := f.heap[:0]
	for gi, g := range s.groups {
		hp = append(hp, headsCursor{x: t[0] / g.per, g: int32(gi)})
	}
	for i := len(hp)/2 - 1; i >= 0; i-- {
		siftDown(hp, i)
	}
	f.x, f.h = f.x[:0], f.h[:1]
	var sum int64
	for len(hp) > 0 {
		x := hp[0].x
		for len(hp) > 0 && hp[0].x == x {
			c := &hp[0]
			g := &s.groups[c.g]
			sum += int64(g.count)
			if c.n++; int(c.n) < len(t) && t[c.n]/g.per <= top {
				c.x = t[c.n] / g.per
			} else {
				hp[0] = hp[len(hp)-1]
				hp = hp[:len(hp)-1]
			}
			siftDown(hp, 0)
		}
		if h := s.headsOf(sum); h != f.h[len(f.h)-1] {
			f.x = append(f.x, x)
			f.h = append(f.h, h)
		}
	}
	f.heap = hp
	f.upTo = top
}

// agentsBound bounds the agents traffic a needs: the occupancy cap, or a
// square-root safety margin β√A over the traffic, whichever is more.
// Erlang C falls about as exp(−β²/2) in β = (N − A)/√A (Halfin–Whitt), so
// β = √(2 ln(1/(1 − target))) + 2 meets the target with room; the
// constant covers small traffic, where the Poisson tail is heavier.
func agentsBound(a, occ, beta float64) float64 {
	if a <= 0 {
		return 0
	}
	return math.Max(math.Ceil(a/occ), a+beta*math.Sqrt(a)) + 6
}

// agentsBeta is agentsBound's β for a target.
func agentsBeta(target float64) float64 {
	return math.Sqrt(2*math.Log(1/math.Max(1-target, 1e-16))) + 2
}

// slBound bounds what staffing capacity c at volume u takes: the agents of
// its busiest interval and its heads.
func slBound(c *Capacity, u float64) (nmax, heads float64) {
	return newSlBounder(c).bound(u)
}

// slBounder is slBound with a capacity's parameters read once: the budget
// bounds each capacity at every demand class of every view, and reading
// the decimals (and the target's logarithm) each time was a tenth of a
// large comparison.
type slBounder struct {
	ws                []float64 // the profile's weights
	k, open, occ, aht float64
	sum, beta, per    float64
	noWork            bool
}

func newSlBounder(c *Capacity) *slBounder {
	b := &slBounder{}
	for _, w := range c.Profile {
		b.sum += w.InexactFloat64()
		b.ws = append(b.ws, w.InexactFloat64())
	}
	if b.sum <= 0 || c.OpenHours == nil {
		b.noWork = true
		return b
	}
	b.k = float64(len(c.Profile))
	b.open = c.OpenHours.InexactFloat64()
	b.occ = c.Occupancy.InexactFloat64()
	b.aht = c.AHTMinutes.InexactFloat64()
	b.beta = agentsBeta(c.ServiceLevel.Target.InexactFloat64())
	b.per = c.PaidHours.InexactFloat64() * (1 - c.Shrinkage.InexactFloat64())
	return b
}

// bound is slBound(c, u).
func (b *slBounder) bound(u float64) (nmax, heads float64) {
	if b.noWork {
		return 0, 0
	}
	agents := 0.0
	for _, w := range b.ws {
		a := u * w * b.aht * b.k / (b.open * 60 * b.sum)
		n := agentsBound(a, b.occ, b.beta)
		nmax = math.Max(nmax, n)
		agents += n
	}
	if b.per <= 0 {
		return nmax, math.Inf(1)
	}
	return nmax, agents*b.open/(b.k*b.per) + 1
}

// tableBound bounds the recursion steps of a threshold table up to n
// agents: each threshold is bracketed in at most thresholdEvals service
// levels of O(n) each.
func tableBound(n float64) float64 { return thresholdEvals * n * (n + 1) / 2 }

// thresholdEvals bounds the service levels one threshold evaluates.
const thresholdEvals = 30
