package tco

import "github.com/shopspring/decimal"

// Demand returns the forecast demand V_m of months 1..H, in d.Volume.Unit
// per month, exactly as Compare costs it (growth and seasonality applied,
// unrounded), without costing any option. d's start, currency and horizon
// must be valid.
func Demand(d *Document) ([]decimal.Decimal, error) {
	m, err := newModel(d)
	if err != nil {
		return nil, err
	}
	return m.vol[1:], nil
}
