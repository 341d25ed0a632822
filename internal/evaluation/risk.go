package evaluation

import (
	"context"
	"errors"

	"vendorcompare/internal/tco"
)

// Risk is the Monte Carlo of spec §9 for one evaluation version: each
// option's risk by option id, with the runs and seed it was simulated with.
// Values are shared with the cache: callers must not change them.
type Risk struct {
	Runs    int
	Seed    int64
	Options map[string]*tco.OptionRisk
	// Warnings are the simulation's own (say, runs whose amounts were too
	// large to cost exactly: then Options is empty).
	Warnings []string
}

// riskWhat names the simulation in the cache's key (beside the store's
// fingerprint, like the comparisons).
const riskWhat = "risk"

// flight is a simulation under way: the callers that want the same one
// wait for it rather than start another.
type flight struct {
	done chan struct{}
	r    *Risk
	err  error
}

// RiskIfReady is evaluation id's simulation when it has been made for the
// current version, without computing anything: the dashboard renders with
// it, or says it is computing and lets the page fetch it (Risk).
func (s *Service) RiskIfReady(ctx context.Context, id int64) (*Risk, bool, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil || fp == "" {
		return nil, false, err
	}
	if v, ok := s.cache.get(key{fp: fp, what: riskWhat}); ok {
		return v.(*Risk), true, nil
	}
	return nil, false, nil
}

// Risk simulates evaluation id's risk block (nil without one) once per
// evaluation version: kept in the value cache by the store's fingerprint,
// and a caller that asks while the same simulation runs waits for it
// rather than start another. It runs inside a comparison slot on one
// core (Config.RiskWorkers), so that one viewer cannot take every core, and ctx
// stops it: a request's deadline ends the runs, and the next caller
// starts again.
func (s *Service) Risk(ctx context.Context, id int64) (*Risk, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil {
		return nil, err
	}
	k := key{fp: fp, what: riskWhat}
	for {
		if fp != "" {
			if v, ok := s.cache.get(k); ok {
				return v.(*Risk), nil
			}
		}
		f, mine := s.join(k, fp != "")
		if !mine {
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err == nil {
				return f.r, nil
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// the caller that ran it gave up (its deadline): try ourselves
			continue
		}
		f.r, f.err = s.simulate(ctx, id)
		if f.err == nil && f.r != nil && fp != "" {
			s.cache.put(k, f.r, memSize(f.r))
		}
		s.land(k, f)
		if f.r == nil && f.err == nil {
			return nil, nil
		}
		return f.r, f.err
	}
}

// join returns the flight under way for k, or starts one (mine): with
// shared false (no fingerprint, so nothing to share) always a new one.
func (s *Service) join(k key, shared bool) (f *flight, mine bool) {
	if !shared {
		return &flight{done: make(chan struct{})}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.flights[k]; ok {
		return f, false
	}
	if s.flights == nil {
		s.flights = map[key]*flight{}
	}
	f = &flight{done: make(chan struct{})}
	s.flights[k] = f
	return f, true
}

// land ends flight f of k: its waiters read its answer.
func (s *Service) land(k key, f *flight) {
	s.mu.Lock()
	if s.flights[k] == f {
		delete(s.flights, k)
	}
	s.mu.Unlock()
	close(f.done)
}

// simulate costs the evaluation's risk runs without break-even or
// sensitivity (the same engine options as the finance export's), in a
// comparison slot with Config.RiskWorkers workers. An evaluation without
// a risk block is nil.
func (s *Service) simulate(ctx context.Context, id int64) (*Risk, error) {
	doc, err := s.st.Document(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	if doc.Risk == nil {
		return nil, nil
	}
	release, err := s.Slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	cmp, err := s.engine(doc, tco.CompareOptions{SkipAnalysis: true, WithRisk: true, Workers: s.riskWorkers, Context: ctx})
	if err != nil {
		var fe tco.Errors
		if errors.As(err, &fe) {
			return nil, notComparable(err)
		}
		return nil, err
	}
	r := &Risk{Runs: cmp.RiskRuns, Seed: cmp.RiskSeed, Options: map[string]*tco.OptionRisk{}, Warnings: cmp.Warnings}
	for i := range cmp.Options {
		if o := &cmp.Options[i]; o.Risk != nil {
			r.Options[o.ID] = o.Risk
		}
	}
	if r.Runs == 0 { // the engine gave no risk (too large to cost exactly): its warning says why
		r.Runs, r.Seed = doc.Risk.Runs, doc.Risk.Seed
	}
	return r, nil
}
