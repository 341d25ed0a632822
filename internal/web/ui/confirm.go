package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
)

// The one confirmation of a stored write that found implausible values
// (store/plausible.go) or another refusal a user may overrule: a page
// form shows a confirm box with the findings and saves on the second
// submit with it ticked (the API's ?confirm=1 is web's confirmParam).

// confirmedCtx is the context a page form's save runs with: the request's,
// with the user's confirmation when the form's confirm box is ticked.
func confirmedCtx(c echo.Context, f *form) context.Context {
	ctx := c.Request().Context()
	if f.Confirmed() {
		return store.Confirmed(ctx)
	}
	return ctx
}

// Confirmed reports whether the form was sent with its confirm box ticked.
func (f *form) Confirmed() bool { return f.Get("confirm") == "1" }

// needsConfirm records on f that err holds findings the user may confirm,
// so the form shows its confirm box, and heads the summary with what to do.
func (f *form) needsConfirm(err error) {
	var se *store.Error
	if !errors.As(err, &se) || len(se.Findings) == 0 {
		return
	}
	f.Confirm = true
	if !se.Confirm {
		return // other problems first; the box waits beside them
	}
	n := len(se.Findings)
	f.Message = fmt.Sprintf("Nothing was saved: %s %s implausible, as said below. Correct %s, or tick “Save these values as they are” and save again.",
		words.Count(n, "value"), words.Agree(n, "looks", "look"), words.Agree(n, "it", "them"))
}

// confirmOnly reports whether err is a refusal that the user's
// confirmation alone lifts.
func confirmOnly(err error) bool {
	var se *store.Error
	return errors.As(err, &se) && se.Confirm
}
