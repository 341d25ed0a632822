// Package report renders a comparison for people and programs: the JSON of
// the API (spec section 7), shared by the HTTP handler and the compare
// command so both give the same bytes, and a plain-text report for the
// terminal.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"

	"vendorcompare/internal/tco"
)

// JSON encodes a comparison as the body of POST /api/v1/compare: the spec's
// section-7 JSON followed by a newline. HTML characters are left as they are
// (the body is served as application/json with nosniff), so option names such
// as "Smith & Co" stay readable.
func JSON(c *tco.Comparison) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode comparison: %w", err)
	}
	return buf.Bytes(), nil
}
