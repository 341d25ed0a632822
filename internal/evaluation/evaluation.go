// Package evaluation is the use case of vendorcompare: load an evaluation,
// cost it, present it. The web app (API and pages), the command line and
// the exports all come here for a comparison, so that there is one
// comparison slot (every costing waits for it with its context), one
// costing of quote rounds, one dashboard view model and one value cache,
// keyed by the store's fingerprint of an evaluation and bounded by bytes.
package evaluation

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Store is what the use case needs of internal/store.
type Store interface {
	GetEvaluation(ctx context.Context, id int64) (*store.Evaluation, error)
	Document(ctx context.Context, evalID int64, rounds store.RoundSelection) (*tco.Document, error)
	ListOptions(ctx context.Context, evalID int64) ([]store.Option, error)
	GetOption(ctx context.Context, id int64) (*store.Option, error)
	ListRounds(ctx context.Context, optionID int64) ([]store.Round, error)
	LatestDecision(ctx context.Context, evalID int64) (*store.Decision, error)
	ListDecisions(ctx context.Context, evalID int64) ([]store.Decision, error)
}

// Fingerprinter is a store that can tell, in one cheap read, whether an
// evaluation may have changed (*store.Store can): a store without it gets
// no caching.
type Fingerprinter interface {
	Fingerprint(ctx context.Context, evalID int64) (string, error)
}

// Config sets the service's bounds; zero fields take the defaults.
type Config struct {
	// MaxComparisons is how many costings run at once (default
	// GOMAXPROCS); more wait for a slot until their context ends. A
	// comparison is CPU-bound and a fine break-even range can take a lot
	// of memory, so the bound keeps a burst from exhausting either.
	MaxComparisons int
	// RiskWorkers is how many cores one comparison's risk runs (spec §9)
	// may use (default 1: a comparison slot is a core, so one viewer
	// cannot take every core). The command line, alone, gives GOMAXPROCS.
	RiskWorkers int
	// CacheBytes bounds the memory of the cached values (default
	// DefaultCacheBytes), least recently used first; negative keeps none.
	CacheBytes int64
}

// Service loads, costs and presents evaluations. Safe for concurrent use.
type Service struct {
	st    Store         // nil: only documents given to Compare
	fp    Fingerprinter // nil: nothing is cached
	slots chan struct{}
	cache *cache

	mu          sync.Mutex
	flights     map[key]*flight // risk simulations under way (risk.go)
	riskWorkers int
	// engine is tco.Compare, the one call of the engine; a test wraps it
	// to count the costings that run at once and the cores each may take.
	engine func(*tco.Document, tco.CompareOptions) (*tco.Comparison, error)
}

// New returns the service over st (which may be nil for a service that
// only costs the documents it is given).
func New(st Store, c Config) *Service {
	if c.MaxComparisons <= 0 {
		c.MaxComparisons = runtime.GOMAXPROCS(0)
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = DefaultCacheBytes
	}
	s := &Service{st: st, slots: make(chan struct{}, c.MaxComparisons), cache: newCache(max(c.CacheBytes, 0)),
		riskWorkers: max(c.RiskWorkers, 1), engine: tco.Compare}
	if f, ok := st.(Fingerprinter); ok {
		s.fp = f
	}
	return s
}

// Compare costs doc once a comparison slot is free; waiting ends with
// ctx (an error wrapping ctx.Err()), and so does the analysis: ctx is
// the engine's Context. The one place the engine runs for a caller.
func (s *Service) Compare(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	return s.compare(ctx, nil, doc, o)
}

// compare is Compare with the answer kept under k (when not nil): looked
// up before waiting and again once a slot is free, since a request ahead
// in the queue may just have computed it.
func (s *Service) compare(ctx context.Context, k *key, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	if k != nil {
		if v, ok := s.cache.get(*k); ok {
			return v.(*tco.Comparison), nil
		}
	}
	release, err := s.Slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if k != nil {
		if v, ok := s.cache.get(*k); ok {
			return v.(*tco.Comparison), nil
		}
	}
	o.Context = ctx
	if o.Workers == 0 {
		o.Workers = s.riskWorkers // the slot's core(s), not every core
	}
	cmp, err := s.engine(doc, o)
	if err != nil {
		return nil, err
	}
	if k != nil {
		s.cache.put(*k, cmp, memSize(cmp))
	}
	return cmp, nil
}

// Slot waits for a comparison slot (Config.MaxComparisons) until ctx
// ends (an error wrapping ctx.Err()); release frees it. Every costing
// takes one; a test takes them all to see requests wait.
func (s *Service) Slot(ctx context.Context) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a comparison slot: %w", ctx.Err())
	}
}

// fingerprint is the store's fingerprint of the evaluation, "" when the
// store has none (nothing is then cached). An unknown id is the store's
// ErrNotFound.
func (s *Service) fingerprint(ctx context.Context, id int64) (string, error) {
	if s.fp == nil {
		return "", nil
	}
	return s.fp.Fingerprint(ctx, id)
}

// Comparison costs stored evaluation id with every option's latest round
// (or the rounds sel picks) and the engine's options o (its Context is
// ctx). An unchanged evaluation is answered from the cache: the key is
// the store's fingerprint, which any change inside the evaluation moves,
// so nothing is invalidated and nothing can be stale.
func (s *Service) Comparison(ctx context.Context, id int64, sel store.RoundSelection, o tco.CompareOptions) (*tco.Comparison, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil {
		return nil, err
	}
	var k *key
	if fp != "" {
		k = &key{fp: fp, what: comparisonWhat(sel, o)}
		if v, ok := s.cache.get(*k); ok {
			return v.(*tco.Comparison), nil
		}
	}
	doc, err := s.st.Document(ctx, id, sel)
	if err != nil {
		return nil, err
	}
	return s.compare(ctx, k, doc, o)
}

// Posted costs a document posted as JSON (POST /api/v1/compare), decoding
// it first; a document that does not decode is tco.Decode's error. The
// same bytes with the same options are the same comparison, so the answer
// is kept in the value cache under a SHA-256 of the bytes in place of a
// store's fingerprint: without it the compare target of cmd/loadtest
// (p99 under 50 ms and half the throughput of /healthz) fails.
func (s *Service) Posted(ctx context.Context, data []byte, o tco.CompareOptions) (*tco.Comparison, error) {
	k := key{fp: fmt.Sprintf("posted:%x", sha256.Sum256(data)), what: comparisonWhat(nil, o)}
	if v, ok := s.cache.get(k); ok {
		return v.(*tco.Comparison), nil
	}
	doc, err := tco.Decode(data)
	if err != nil {
		return nil, err
	}
	return s.compare(ctx, &k, doc, o)
}

// notComparable is the store's "invalid" error for an evaluation the
// engine refuses (its field problems at their paths), as the store's
// saves report them; any other error is returned as it is.
func notComparable(err error) error {
	var fe tco.Errors
	if errors.As(err, &fe) {
		return &store.Error{Code: store.CodeInvalid, Message: "the evaluation cannot be compared yet", Fields: fe}
	}
	return err
}

// comparisonWhat names a comparison of an evaluation in the cache's key:
// the rounds picked and every engine option that changes the answer.
func comparisonWhat(sel store.RoundSelection, o tco.CompareOptions) string {
	ids := slices.Sorted(maps.Keys(sel))
	var b strings.Builder
	b.WriteString("comparison rounds=")
	for _, id := range ids {
		fmt.Fprintf(&b, "%d:%d,", id, sel[id])
	}
	be := ""
	if o.BreakEvenMax != nil {
		be = o.BreakEvenMax.String()
	}
	fmt.Fprintf(&b, " break_even_max=%s skip=%t risk=%t", be, o.SkipAnalysis, o.WithRisk)
	if o.SkipRisk {
		b.WriteString(" skip_risk")
	}
	if o.Runs != nil {
		fmt.Fprintf(&b, " runs=%d", *o.Runs)
	}
	if o.Seed != nil {
		fmt.Fprintf(&b, " seed=%d", *o.Seed)
	}
	return b.String()
}
