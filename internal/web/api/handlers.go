// Package api is the JSON API of stored evaluations (/api/v1): one file
// per resource, every handler a method of Handlers, every JSON body read
// by bind (bind.go: the validate: tags and the field paths of a 422).
// Package web routes to them (routes.go) and answers their errors.
package api

import (
	"time"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/web/edge"
)

// Handlers are the API's handlers and what they work on.
type Handlers struct {
	Store edge.Store
	// Eval loads, costs and presents evaluations in the server's
	// comparison slots and value cache: the rounds comparison and the
	// spreadsheet routes (web routes those only when Eval.TakesBids).
	Eval *evaluation.Service
	// Now is the clock of the exports' About sheet.
	Now func() time.Time
}
