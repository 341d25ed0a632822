package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// errorBody is the JSON of every error response:
// {"error": {"message": "...", "fields": {"path": "problem"}}}; an uploaded
// spreadsheet's problems also come as a list, each at its cell, and fields
// are then keyed by place ("Pricing!C7", "row 7, column 3").
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	Problems  []sheetProblem    `json:"problems,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	// Confirm: the same request with ?confirm=1 saves (the fields hold
	// values that look implausible, or another refusal a user may lift).
	Confirm bool `json:"confirm,omitempty"`
}

// sheetProblem is one problem of an uploaded spreadsheet: its sheet and
// cell (bid form) or row and column (CSV), the message, and the place in
// words ("Pricing!C7").
type sheetProblem struct {
	Sheet   string `json:"sheet"`
	Cell    string `json:"cell"`
	Row     int    `json:"row"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Where   string `json:"where"`
}

// sheetErrorBody is the 422 of a spreadsheet with problems: every one in
// problems, in the file's order, and the first at each place in fields.
func sheetErrorBody(errs sheet.Errors) errorBody {
	d := errorDetail{Fields: map[string]string{}, Problems: make([]sheetProblem, len(errs))}
	for i, p := range errs {
		where := p.Where()
		d.Problems[i] = sheetProblem{Sheet: p.Sheet, Cell: p.Cell, Row: p.Row, Column: p.Column, Message: p.Message, Where: where}
		if where == "" {
			where = "file"
		}
		if _, ok := d.Fields[where]; !ok {
			d.Fields[where] = p.Message
		}
	}
	d.Message = "the file has " + words.Count(len(errs), "problem") + "; nothing was saved"
	return errorBody{d}
}

// handleError is the one place where errors become HTTP responses: handlers
// return domain errors and this maps them to statuses. Unexpected errors are
// logged with the request id and shown as a plain message carrying that id,
// never their text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		// Too late to change the response: a write failed mid-body.
		s.log.LogAttrs(c.Request().Context(), slog.LevelWarn, "error after response started",
			slog.String("error", err.Error()), slog.String("request_id", requestIDOf(c)))
		return
	}
	status, body := s.errorResponse(err, c)
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(status)
	} else {
		werr = c.JSON(status, body)
	}
	if werr != nil {
		s.log.LogAttrs(c.Request().Context(), slog.LevelWarn, "write error response",
			slog.String("error", werr.Error()), slog.String("request_id", requestIDOf(c)))
	}
}

// errorOf is errorResponse's status, message and request id: what the
// pages' error page shows (ui.Deps.ErrorOf).
func (s *Server) errorOf(err error, c echo.Context) (int, string, string) {
	status, body := s.errorResponse(err, c)
	return status, body.Error.Message, body.Error.RequestID
}

// errorResponse maps an error to its status and body.
func (s *Server) errorResponse(err error, c echo.Context) (int, errorBody) {
	var (
		perr      *panicError
		serr      *store.Error
		rerr      *edge.Error
		sheetErrs sheet.Errors
		fields    tco.Errors
		malformed *tco.MalformedError
		herr      *echo.HTTPError
		mismatch  *sheet.MismatchError
	)
	switch {
	case errors.As(err, &perr):
		return s.internal(err, c, slog.String("stack", string(perr.stack)))
	case errors.Is(err, store.ErrUnavailable):
		return s.unavailable(err, c)
	case errors.As(err, &serr) && serr.Code != "":
		return storeError(serr)
	case errors.As(err, &sheetErrs):
		return http.StatusUnprocessableEntity, sheetErrorBody(sheetErrs)
	case errors.Is(err, sheet.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, errorBody{errorDetail{Message: err.Error()}}
	case errors.Is(err, sheet.ErrNotSpreadsheet):
		return http.StatusUnsupportedMediaType, errorBody{errorDetail{Message: err.Error()}}
	case errors.As(err, &mismatch):
		return http.StatusUnprocessableEntity, errorBody{errorDetail{Message: err.Error(), Confirm: true,
			Fields: map[string]string{"file": err.Error()}}}
	case errors.Is(err, sheet.ErrNotBidForm):
		return http.StatusUnprocessableEntity, errorBody{errorDetail{Message: err.Error()}}
	case errors.As(err, &rerr):
		msg := "the request has " + words.Count(len(rerr.Fields), "problem")
		return http.StatusUnprocessableEntity, errorBody{errorDetail{Message: msg, Fields: rerr.Fields.Fields()}}
	case errors.As(err, &fields):
		msg := "the document has " + words.Count(len(fields), "problem")
		return http.StatusUnprocessableEntity, errorBody{errorDetail{Message: msg, Fields: fields.Fields()}}
	case errors.As(err, &malformed):
		return http.StatusBadRequest, errorBody{errorDetail{Message: malformed.Error()}}
	case errors.As(err, &herr):
		if herr.Code == http.StatusRequestEntityTooLarge {
			return herr.Code, errorBody{errorDetail{Message: fmt.Sprintf("request body too large: the limit is %s", edge.Size(s.cfg.BodyLimit))}}
		}
		return herr.Code, errorBody{errorDetail{Message: httpMessage(herr)}}
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, errorBody{errorDetail{Message: "the request took too long"}}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this answer.
		return http.StatusServiceUnavailable, errorBody{errorDetail{Message: "the request was cancelled"}}
	default:
		return s.internal(err, c)
	}
}

// storeError maps the store's domain errors: not found 404, conflict 409
// (a stale version, a duplicate, a record still in use), invalid 422 with
// the engine's field paths. Only the store's own message is shown, never
// the cause's (a SQL error, say).
func storeError(e *store.Error) (int, errorBody) {
	switch e.Code {
	case store.CodeNotFound:
		return http.StatusNotFound, errorBody{errorDetail{Message: e.Message}}
	case store.CodeConflict:
		return http.StatusConflict, errorBody{errorDetail{Message: e.Message}}
	default: // store.CodeInvalid
		var fields map[string]string
		if len(e.Fields) > 0 {
			fields = e.Fields.Fields()
		}
		return http.StatusUnprocessableEntity, errorBody{errorDetail{Message: e.Message, Fields: fields, Confirm: e.Confirm}}
	}
}

// unavailable logs a write the disk refused (read-only, full, I/O error)
// with its cause and the request id, and returns a 503 that says nothing
// was saved; Retry-After tells clients to come back rather than fail.
func (s *Server) unavailable(err error, c echo.Context) (int, errorBody) {
	id := requestIDOf(c)
	req := c.Request()
	s.log.LogAttrs(req.Context(), slog.LevelError, "storage unavailable",
		slog.String("error", err.Error()), slog.String("method", req.Method),
		slog.String("path", req.URL.Path), slog.String("request_id", id))
	c.Response().Header().Set("Retry-After", "30")
	var serr *store.Error
	errors.As(err, &serr)
	return http.StatusServiceUnavailable, errorBody{errorDetail{Message: serr.Message, RequestID: id}}
}

// internal logs an unexpected error and returns the 500 users see.
func (s *Server) internal(err error, c echo.Context, attrs ...slog.Attr) (int, errorBody) {
	id := requestIDOf(c)
	req := c.Request()
	attrs = append([]slog.Attr{
		slog.String("error", err.Error()),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("request_id", id),
	}, attrs...)
	s.log.LogAttrs(req.Context(), slog.LevelError, "internal error", attrs...)
	return http.StatusInternalServerError, errorBody{errorDetail{
		Message:   "internal server error; please report request id " + id,
		RequestID: id,
	}}
}

// httpMessage is the text of an echo HTTP error: its message when it is a
// string, else the status text.
func httpMessage(e *echo.HTTPError) string {
	if m, ok := e.Message.(string); ok && m != "" {
		return m
	}
	return http.StatusText(e.Code)
}
