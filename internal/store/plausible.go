package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// A stored write that leaves an implausible value (tco.Implausible) in a
// part of the document the write sets, or that brings a new one anywhere
// (a changed currency makes a quote's rate of 1 suspect; a new quote moves
// the median price), is refused until the user confirms it. Deletes,
// criteria and scores set no value the check reads and are never refused
// for it.

type confirmKey struct{}

// Confirmed returns ctx saying that the user confirmed the implausible
// values of the write made with it (the API's ?confirm=1, a form's confirm
// box, the command line's -confirm).
func Confirmed(ctx context.Context) context.Context {
	return context.WithValue(ctx, confirmKey{}, true)
}

// IsConfirmed reports whether ctx carries the user's confirmation.
func IsConfirmed(ctx context.Context) bool {
	ok, _ := ctx.Value(confirmKey{}).(bool)
	return ok
}

// NeedsConfirmation is the error of a write refused until the user
// confirms it: ErrInvalid with the findings at their paths and Confirm
// set, so the web layer answers 422 with "confirm": true and a form shows
// its confirm box. Other refusals that a confirmation lifts (a bid form of
// another evaluation) use it too.
func NeedsConfirmation(msg string, findings tco.Errors) error {
	return &Error{Code: CodeInvalid, Message: msg, Fields: findings, Findings: findings, Confirm: true}
}

// touch names the parts of the document after a write that the write set,
// as path prefixes ("options[2]", "options[1].lines[0]", "volume"); lineAt
// is where each cost line is in that document.
type touch func(doc *tco.Document, lineAt map[int64]linePos) []string

// touchSettings: the evaluation's own fields (everything but its options
// and criteria).
func touchSettings(*tco.Document, map[int64]linePos) []string {
	return []string{"name", "currency", "start", "horizon_months", "discount_rate", "timing", "escalation",
		"volume", "baseline", "price", "fiscal_year_start", "materiality"}
}

// touchOption: the whole option with this slug (its quote and lines).
func touchOption(slug string) touch {
	return func(doc *tco.Document, _ map[int64]linePos) []string {
		for i := range doc.Options {
			if doc.Options[i].ID == slug {
				return []string{fmt.Sprintf("options[%d]", i)}
			}
		}
		return nil
	}
}

// touchNothing: a write that sets no value a finding is at (an option's
// name or vendor link, a copy of the current quote as a new round): only
// the findings it brings need confirming.
func touchNothing(*tco.Document, map[int64]linePos) []string { return []string{} }

// touchLine: one cost line, by its id (read when the check runs, after
// the change, so a new line's id is known).
func touchLine(id *int64) touch {
	return func(_ *tco.Document, lineAt map[int64]linePos) []string {
		if p, ok := lineAt[*id]; ok {
			return []string{fmt.Sprintf("options[%d].lines[%d]", p.opt, p.line)}
		}
		return nil
	}
}

// unconfirmed returns the findings of the document after a write that need
// the user's confirmation: those under a part the write set, and those
// that were not in the document before (by path and kind). None when ctx
// carries the confirmation or the write sets no value (scope nil).
func unconfirmed(ctx context.Context, scope touch, before, after *tco.Document, lineAt map[int64]linePos) tco.Findings {
	if scope == nil || IsConfirmed(ctx) {
		return nil
	}
	found := tco.Implausible(after)
	if len(found) == 0 {
		return nil
	}
	had := map[string]bool{}
	for _, f := range tco.Implausible(before) {
		had[f.Path+"\x00"+f.Code] = true
	}
	set := scope(after, lineAt)
	var out tco.Findings
	for _, f := range found {
		if !had[f.Path+"\x00"+f.Code] || under(f.Path, set) {
			out = append(out, f)
		}
	}
	return out
}

// under reports whether path is one of prefixes or lies under one.
func under(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p) && (path[len(p)] == '.' || path[len(p)] == '[') {
			return true
		}
	}
	return false
}

// refusal is the error of a guarded write: the problems it would bring
// and the findings awaiting confirmation, every one at once. Confirm is set
// only when the findings alone stand in the way.
func refusal(problems tco.Errors, findings tco.Findings) error {
	if len(problems) == 0 {
		return NeedsConfirmation(confirmMessage(findings), findings.Errors())
	}
	fields := append(problems.Sorted(), findings.Errors()...)
	return &Error{Code: CodeInvalid, Message: "the change would make the evaluation invalid", Fields: fields,
		Findings: findings.Errors()}
}

// confirmMessage heads a refusal that a confirmation lifts.
func confirmMessage(fs tco.Findings) string {
	n := len(fs)
	it := words.Agree(n, "it", "them")
	return fmt.Sprintf("%s %s implausible; nothing was saved: check %s, or confirm %s to save %s as %s",
		words.Count(n, "value"), words.Agree(n, "looks", "look"), it, it, it, words.Agree(n, "it is", "they are"))
}

// earlierRoundFindings refuses, until confirmed, a new snapshot of an
// option's earlier round (not its current quote) that holds implausible
// values: the document with that round chosen is checked within the
// option.
func earlierRoundFindings(ctx context.Context, tx *sql.Tx, evalID int64, o *Option, roundID int64) error {
	doc, err := loadDocument(ctx, tx, evalID, RoundSelection{o.ID: roundID})
	if err != nil {
		return err
	}
	set := touchOption(o.Slug)(doc, nil)
	var fs tco.Findings
	for _, f := range tco.Implausible(doc) {
		if under(f.Path, set) {
			fs = append(fs, f)
		}
	}
	if len(fs) > 0 {
		return refusal(nil, fs)
	}
	return nil
}
