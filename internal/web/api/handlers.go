// Package api is the JSON API of stored evaluations (/api/v1): one file
// per resource, every handler a method of Handlers, every JSON body read
// by bind (bind.go: the validate: tags and the field paths of a 422).
// Package web routes to them (routes.go) and answers their errors.
package api

import (
	"context"
	"time"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/transfer"
	"vendorcompare/internal/web/edge"
)

// Handlers are the API's handlers and what they work on.
type Handlers struct {
	Store edge.Store
	// Sheets is the store of the spreadsheet routes (internal/transfer);
	// web routes them only when the store implements it.
	Sheets transfer.Store
	// Cost compares a document in one of the server's comparison slots.
	Cost func(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error)
	// Now is the clock of the exports' About sheet.
	Now func() time.Time
}
