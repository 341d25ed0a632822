package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/web/edge"
)

// Print shows the board pack of an evaluation: GET /evaluations/:id/print,
// a page made for paper (the browser prints it; print.css lays it out).
func (u *Handlers) Print(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	p, err := u.eval.BoardPack(c.Request().Context(), id)
	if err != nil {
		return u.notReady(c, err)
	}
	return u.render(c, http.StatusOK, "print", view{Title: "Board pack: " + p.Eval.Name, Data: p})
}

// PrintCSS answers GET /evaluations/:id/print.css: the board pack's page
// footers as @page margin boxes (the evaluation's name, "Confidential",
// the as-of date, "3 / 7"). Margin boxes take only strings and counters,
// and the CSP allows no inline style, so the strings come in a stylesheet
// of their own.
func (u *Handlers) PrintCSS(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	e, err := u.store.GetEvaluation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	asOf := e.UpdatedAt.UTC().Format("2 January 2006")
	css := fmt.Sprintf(`@page {
  @bottom-left { content: %s; }
  @bottom-center { content: %s; }
  @bottom-right { content: counter(page) " / " counter(pages); }
}
@page :first {
  @top-right { content: %s; }
}
`, cssString(e.Name), cssString("Confidential · as of "+asOf), cssString("Confidential"))
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store") // the name of a confidential evaluation
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", []byte(css))
}

// cssString quotes s as a CSS string: quotes, backslashes, line breaks and
// other control characters escaped as hexadecimal, so a name cannot end
// the string or the rule.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
