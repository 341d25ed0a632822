package tco

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Bounds that keep decoding and costing bounded whatever the input.
const (
	maxNesting     = 64  // JSON nesting depth; a valid document needs 7
	maxMagnitude   = 15  // digits before the point: |x| < 1e15
	maxFraction    = 15  // digits after the point
	maxOptions     = 50  // options per evaluation
	maxLines       = 500 // cost lines per option
	maxTiers       = 100 // price tiers per quote
	maxCriteria    = 100 // quality criteria
	maxNameRunes   = 200 // characters of a name
	maxKeyRunes    = 64  // characters of a criterion key
	seasonalMonths = 12
	maxProfile     = 96 // intervals of a day's profile: 24 hours of 15 minutes
	// defaultIntervalMinutes is a service-level capacity's interval when
	// the document leaves it out (spec §8).
	defaultIntervalMinutes = 30
)

// MalformedError is input that is not one JSON object: a syntax error,
// data after the document, or a top-level value that is not an object. The
// HTTP layer answers it with 400; every other problem is an Errors (422).
type MalformedError struct {
	Offset int64  // byte offset of the problem in the input
	Msg    string // what is wrong, lower case
}

// Error says what is wrong and where.
func (e *MalformedError) Error() string {
	return fmt.Sprintf("malformed JSON at byte offset %d: %s", e.Offset, e.Msg)
}

// Decode reads an evaluation document (spec section 1). Malformed JSON
// returns *MalformedError. Any other problem (a wrong type, an unknown or
// duplicate field, a missing required field, a value out of range, a broken
// rule of the spec) returns Errors holding every problem at once, each at its
// JSON path. Numbers are taken at their exact decimal value, never through
// float64, and every default of the spec is applied to absent fields (null
// counts as absent). On success the document has passed Validate.
func Decode(data []byte) (*Document, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	r := &docReader{}
	doc := r.document(root)
	v := &docValidator{failed: r.failed}
	v.document(doc)
	all := append(r.errs, v.errs...)
	if len(all) > 0 {
		return nil, all
	}
	return doc, nil
}

// MarshalJSON writes a line as Decode reads it: the escalation of a one_time
// or share_of_vendor line is left out when it is zero, because Decode
// rejects the field on those lines even when it is 0.
func (l Line) MarshalJSON() ([]byte, error) {
	type plain Line // no methods: no recursion
	out := struct {
		plain
		Escalation *decimal.Decimal `json:"escalation,omitempty"`
	}{plain: plain(l)}
	if (l.Basis != BasisOneTime && l.Basis != BasisShareOfVendor) || !l.Escalation.IsZero() {
		e := l.Escalation
		out.Escalation = &e
	}
	return json.Marshal(out)
}

// jsonKind is the type of a parsed JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// jsonValue is a parsed JSON value that keeps object keys in order and
// duplicates (encoding/json into a map would silently keep the last).
type jsonValue struct {
	kind   jsonKind
	text   string // a number's literal text, or a string
	items  []*jsonValue
	fields []jsonField
}

// jsonField is one member of an object.
type jsonField struct {
	key string
	val *jsonValue
}

// describe names a value's type for messages: "a number", "an array".
func (v *jsonValue) describe() string {
	switch v.kind {
	case jsonNull:
		return "null"
	case jsonBool:
		return "a boolean"
	case jsonNumber:
		return "a number"
	case jsonString:
		return "a string"
	case jsonArray:
		return "an array"
	default:
		return "an object"
	}
}

// jsonParser builds a jsonValue tree from the tokens of a json.Decoder.
type jsonParser struct {
	dec  *json.Decoder
	data []byte
}

// utf8BOM is the byte order mark some Windows tools write before UTF-8.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseJSON parses data, which must hold exactly one JSON object. A leading
// byte order mark is skipped (RFC 8259 allows it); offsets still count it.
func parseJSON(data []byte) (*jsonValue, error) {
	if bytes.HasPrefix(data, utf8BOM) {
		v, err := parseObject(data[len(utf8BOM):])
		var m *MalformedError
		if errors.As(err, &m) {
			m.Offset += int64(len(utf8BOM))
		}
		return v, err
	}
	return parseObject(data)
}

// parseObject parses data, which must hold exactly one JSON object.
func parseObject(data []byte) (*jsonValue, error) {
	start := int64(skipSpace(data, 0))
	if int(start) == len(data) {
		return nil, &MalformedError{Offset: start, Msg: "empty document: expected a JSON object"}
	}
	if data[start] != '{' {
		return nil, &MalformedError{Offset: start, Msg: "the document must be a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonParser{dec: dec, data: data}
	tok, err := dec.Token()
	if err != nil {
		return nil, p.malformed(err)
	}
	root, err := p.value(tok, 1)
	if err != nil {
		return nil, err
	}
	if end := skipSpace(data, int(dec.InputOffset())); end < len(data) {
		return nil, &MalformedError{Offset: int64(end), Msg: "unexpected data after the document"}
	}
	return root, nil
}

// skipSpace returns the index of the first non-whitespace byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// malformed turns a decoder error into a *MalformedError with its offset.
func (p *jsonParser) malformed(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return &MalformedError{Offset: syn.Offset, Msg: syn.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &MalformedError{Offset: int64(len(p.data)), Msg: "unexpected end of input"}
	default:
		return &MalformedError{Offset: p.dec.InputOffset(), Msg: err.Error()}
	}
}

// value reads the value that begins with tok, depth levels deep.
func (p *jsonParser) value(tok json.Token, depth int) (*jsonValue, error) {
	if depth > maxNesting {
		return nil, &MalformedError{Offset: p.dec.InputOffset(), Msg: fmt.Sprintf("nested deeper than %d levels", maxNesting)}
	}
	switch t := tok.(type) {
	case nil:
		return &jsonValue{kind: jsonNull}, nil
	case bool:
		return &jsonValue{kind: jsonBool, text: strconv.FormatBool(t)}, nil
	case json.Number:
		return &jsonValue{kind: jsonNumber, text: string(t)}, nil
	case string:
		return &jsonValue{kind: jsonString, text: t}, nil
	case json.Delim:
		if t == '[' {
			v := &jsonValue{kind: jsonArray}
			for p.dec.More() {
				next, err := p.dec.Token()
				if err != nil {
					return nil, p.malformed(err)
				}
				item, err := p.value(next, depth+1)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
			}
			if _, err := p.dec.Token(); err != nil { // ']'
				return nil, p.malformed(err)
			}
			return v, nil
		}
		if t == '{' {
			v := &jsonValue{kind: jsonObject}
			for p.dec.More() {
				k, err := p.dec.Token()
				if err != nil {
					return nil, p.malformed(err)
				}
				key, ok := k.(string)
				if !ok {
					return nil, &MalformedError{Offset: p.dec.InputOffset(), Msg: "expected a string key"}
				}
				next, err := p.dec.Token()
				if err != nil {
					return nil, p.malformed(err)
				}
				val, err := p.value(next, depth+1)
				if err != nil {
					return nil, err
				}
				v.fields = append(v.fields, jsonField{key: key, val: val})
			}
			if _, err := p.dec.Token(); err != nil { // '}'
				return nil, p.malformed(err)
			}
			return v, nil
		}
	}
	return nil, &MalformedError{Offset: p.dec.InputOffset(), Msg: fmt.Sprintf("unexpected %v", tok)}
}

// FieldPath appends an object key to a path as FieldError paths are
// written: "options[0]" + "id". Keys that are not plain words (criterion
// keys in scores can be anything) are quoted: `scores["a b"]`.
func FieldPath(path, key string) string {
	plain := key != ""
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	default:
		return path + "." + key
	}
}

// indexPath appends an array index to a path: "tiers" + 0 = "tiers[0]".
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// docReader fills the typed document from the parsed tree and records every
// problem with its path. Paths it reports are failed: Decode drops a
// validation problem at or under one of them, so nothing is reported twice.
type docReader struct {
	errs   Errors
	failed []string
}

// fail records a decoding problem at path.
func (r *docReader) fail(path, msg string) {
	r.errs.add(path, msg)
	r.failed = append(r.failed, path)
}

// jsonObj is an object being read: its non-null members by key.
type jsonObj struct {
	r    *docReader
	path string
	m    map[string]*jsonValue
}

// object checks that v is an object whose keys are all among known and
// unique, and returns it; null members count as absent.
func (r *docReader) object(path string, v *jsonValue, known ...string) (*jsonObj, bool) {
	if v.kind != jsonObject {
		r.fail(path, "must be an object, not "+v.describe())
		return nil, false
	}
	o := &jsonObj{r: r, path: path, m: make(map[string]*jsonValue, len(v.fields))}
	seen := make(map[string]bool, len(v.fields))
	for _, f := range v.fields {
		p := FieldPath(path, f.key)
		if known != nil && !slices.Contains(known, f.key) {
			r.fail(p, unknownField(f.key, known))
			continue
		}
		if seen[f.key] {
			r.fail(p, "duplicate field")
			continue
		}
		seen[f.key] = true
		if f.val.kind != jsonNull {
			o.m[f.key] = f.val
		}
	}
	return o, true
}

// unknownField is the message for a key the document does not have, with
// the nearest known key when the key looks like a typo of it.
func unknownField(key string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown field (did you mean %q?)", best)
	}
	return "unknown field"
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// has reports whether key is present and not null.
func (o *jsonObj) has(key string) bool { _, ok := o.m[key]; return ok }

// required reports a missing key and returns its value, or nil.
func (o *jsonObj) required(key string) *jsonValue {
	v, ok := o.m[key]
	if !ok {
		o.r.fail(FieldPath(o.path, key), "is required")
		return nil
	}
	return v
}

// str reads a string member; def when absent.
func (o *jsonObj) str(key, def string) string {
	v, ok := o.m[key]
	if !ok {
		return def
	}
	return o.r.str(FieldPath(o.path, key), v, def)
}

// reqStr reads a required string member.
func (o *jsonObj) reqStr(key string) string {
	v := o.required(key)
	if v == nil {
		return ""
	}
	return o.r.str(FieldPath(o.path, key), v, "")
}

// str reads a string value.
func (r *docReader) str(path string, v *jsonValue, def string) string {
	if v.kind != jsonString {
		r.fail(path, "must be a string, not "+v.describe())
		return def
	}
	return v.text
}

// dec reads a decimal member; def when absent.
func (o *jsonObj) dec(key string, def decimal.Decimal) decimal.Decimal {
	v, ok := o.m[key]
	if !ok {
		return def
	}
	d, _ := o.r.decimal(FieldPath(o.path, key), v)
	if d == nil {
		return def
	}
	return *d
}

// reqDec reads a required decimal member.
func (o *jsonObj) reqDec(key string) decimal.Decimal {
	v := o.required(key)
	if v == nil {
		return decimal.Zero
	}
	d, _ := o.r.decimal(FieldPath(o.path, key), v)
	if d == nil {
		return decimal.Zero
	}
	return *d
}

// decPtr reads an optional decimal member: nil when absent or bad.
func (o *jsonObj) decPtr(key string) *decimal.Decimal {
	v, ok := o.m[key]
	if !ok {
		return nil
	}
	d, _ := o.r.decimal(FieldPath(o.path, key), v)
	return d
}

// intPtr reads an optional whole-number member: nil when absent or bad.
func (o *jsonObj) intPtr(key string) *int {
	v, ok := o.m[key]
	if !ok {
		return nil
	}
	return o.r.integer(FieldPath(o.path, key), v)
}

// decimal reads a JSON number or decimal string at its exact value. It
// returns nil (and records why) when v is not a bounded decimal.
func (r *docReader) decimal(path string, v *jsonValue) (*decimal.Decimal, bool) {
	switch v.kind {
	case jsonNumber, jsonString:
	default:
		r.fail(path, "must be a number or a decimal string, not "+v.describe())
		return nil, false
	}
	d, msg := parseDecimalText(v.text)
	if msg != "" {
		r.fail(path, msg)
		return nil, false
	}
	return &d, true
}

// integer reads a whole number (a JSON number, or a decimal string).
func (r *docReader) integer(path string, v *jsonValue) *int {
	d, ok := r.decimal(path, v)
	if !ok {
		return nil
	}
	if !d.IsInteger() {
		r.fail(path, "must be a whole number")
		return nil
	}
	n := int(d.IntPart())
	return &n
}

// parseDecimalText reads the text of a JSON number, or a decimal string in
// the same form ("1234.50", "-0.5", "1e3"), exactly. It returns a message
// when the text is not such a number or is out of bounds: |x| < 1e15 with at
// most 15 digits after the point, which keeps every product the engine forms
// exact and small.
func parseDecimalText(s string) (decimal.Decimal, string) {
	const bad = `must be a number or a decimal string such as "1234.50"`
	low := strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "+-"))
	if low == "nan" || low == "inf" || low == "infinity" {
		return decimal.Zero, "must be a finite number: NaN and Infinity are not allowed"
	}
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	digitsFrom := func() string {
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return s[st:i]
	}
	whole := digitsFrom()
	if whole == "" {
		return decimal.Zero, bad
	}
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		if frac = digitsFrom(); frac == "" {
			return decimal.Zero, bad
		}
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		e := digitsFrom()
		if e == "" {
			return decimal.Zero, bad
		}
		for _, c := range e {
			if exp < 1_000_000 { // past this the bounds fail anyway
				exp = exp*10 + int(c-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return decimal.Zero, bad
	}
	// value = digits × 10^−scale
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return decimal.Zero, ""
	}
	scale := len(frac) - exp
	for scale > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		scale--
	}
	if scale > maxFraction {
		return decimal.Zero, fmt.Sprintf("must have at most %d digits after the decimal point", maxFraction)
	}
	if len(digits)-scale > maxMagnitude {
		return decimal.Zero, "must be less than 1e15 in magnitude"
	}
	coef, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return decimal.Zero, bad
	}
	if neg {
		coef.Neg(coef)
	}
	return decimal.NewFromBigInt(coef, int32(-scale)), ""
}

// array checks that v is an array and returns its items, at most limit of
// them (more is reported once, at path, with the bound in the message).
func (r *docReader) array(path string, v *jsonValue, limit int, what string) []*jsonValue {
	if v.kind != jsonArray {
		r.fail(path, "must be an array, not "+v.describe())
		return nil
	}
	if len(v.items) > limit {
		r.fail(path, fmt.Sprintf("must have at most %d %s", limit, what))
		return v.items[:limit]
	}
	return v.items
}

// document reads the evaluation.
func (r *docReader) document(v *jsonValue) *Document {
	d := &Document{
		Timing:     TimingEnd,
		Escalation: EscalationAnniversary,
		Volume:     Volume{Seasonality: ones(seasonalMonths)},
		Price:      defaultPrice(),
	}
	o, ok := r.object("", v, "name", "currency", "start", "horizon_months", "discount_rate",
		"timing", "escalation", "volume", "baseline", "criteria", "price", "options", "risk",
		"fiscal_year_start", "materiality")
	if !ok {
		return d
	}
	d.Name = o.reqStr("name")
	d.Currency = o.reqStr("currency")
	d.Start = o.reqStr("start")
	if hv := o.required("horizon_months"); hv != nil {
		if n := r.integer("horizon_months", hv); n != nil {
			d.HorizonMonths = *n
		}
	}
	d.DiscountRate = o.dec("discount_rate", decimal.Zero)
	d.Timing = o.str("timing", TimingEnd)
	d.Escalation = o.str("escalation", EscalationAnniversary)
	if vv := o.required("volume"); vv != nil {
		d.Volume = r.volume("volume", vv)
	}
	d.Baseline = o.reqStr("baseline")
	if cv, ok := o.m["criteria"]; ok {
		items := r.array("criteria", cv, maxCriteria, "criteria")
		d.Criteria = make([]Criterion, 0, len(items))
		for i, it := range items {
			d.Criteria = append(d.Criteria, r.criterion(indexPath("criteria", i), it))
		}
	}
	if pv, ok := o.m["price"]; ok {
		d.Price = r.price("price", pv)
	}
	if ov := o.required("options"); ov != nil {
		items := r.array("options", ov, maxOptions, "options")
		d.Options = make([]Option, 0, len(items))
		currencyOK := d.Currency != "" && !r.failedAt("currency")
		for i, it := range items {
			d.Options = append(d.Options, r.option(indexPath("options", i), it, d.Currency, currencyOK))
		}
	}
	if rv, ok := o.m["risk"]; ok {
		d.Risk = r.risk("risk", rv)
	}
	d.FiscalYearStart = o.intPtr("fiscal_year_start")
	d.Materiality = o.decPtr("materiality")
	return d
}

// Defaults of a risk block (spec §9).
const (
	DefaultRuns = 1000
	DefaultSeed = 1
)

// risk reads the Monte Carlo settings; runs and seed default to 1000 and 1,
// drivers to none (every driver fixed at 1).
func (r *docReader) risk(path string, v *jsonValue) *Risk {
	k := &Risk{Runs: DefaultRuns, Seed: DefaultSeed}
	o, ok := r.object(path, v, "runs", "seed", "drivers")
	if !ok {
		return k
	}
	if n := o.intPtr("runs"); n != nil {
		k.Runs = *n
	}
	if sv, ok := o.m["seed"]; ok {
		k.Seed = r.seed(FieldPath(path, "seed"), sv)
	}
	dv, ok := o.m["drivers"]
	if !ok {
		return k
	}
	dp := FieldPath(path, "drivers")
	if dv.kind != jsonObject {
		r.fail(dp, "must be an object, not "+dv.describe())
		return k
	}
	known := []string{DriverVolume, DriverPersonnel, DriverAHT, DriverVendorPrice, DriverFXRate}
	seen := map[string]bool{}
	for _, f := range dv.fields {
		p := FieldPath(dp, f.key)
		switch {
		case f.key == DriverDiscountRate:
			r.fail(p, "is not a risk driver: the discount rate is policy, not risk (drivers are "+orList(known)+")")
			continue
		case !slices.Contains(known, f.key):
			r.fail(p, unknownField(f.key, known)+": drivers are "+orList(known))
			continue
		case seen[f.key]:
			r.fail(p, "duplicate field")
			continue
		}
		seen[f.key] = true
		if f.val.kind == jsonNull {
			continue
		}
		t := r.triangular(p, f.val)
		switch f.key {
		case DriverVolume:
			k.Drivers.Volume = t
		case DriverPersonnel:
			k.Drivers.Personnel = t
		case DriverAHT:
			k.Drivers.AHT = t
		case DriverVendorPrice:
			k.Drivers.VendorPrice = t
		case DriverFXRate:
			k.Drivers.FXRate = t
		}
	}
	return k
}

// triangular reads one driver's distribution; low, mode and high are
// required.
func (r *docReader) triangular(path string, v *jsonValue) *Triangular {
	o, ok := r.object(path, v, "low", "mode", "high")
	if !ok {
		return nil
	}
	return &Triangular{Low: o.reqDec("low"), Mode: o.reqDec("mode"), High: o.reqDec("high")}
}

// maxSeed is the largest seed, 2^53 − 1: every seed is exact as a JSON
// number in any reader.
const maxSeed = 1<<53 - 1

// seed reads a risk seed: a whole number 0..2^53−1, as a JSON number or a
// decimal string (the document's number bounds stop at 1e15, short of it).
func (r *docReader) seed(path string, v *jsonValue) int64 {
	const msg = "must be a whole number from 0 to 9007199254740991 (2^53 − 1)"
	if v.kind != jsonNumber && v.kind != jsonString {
		r.fail(path, "must be a number or a decimal string, not "+v.describe())
		return DefaultSeed
	}
	if n, err := strconv.ParseInt(v.text, 10, 64); err == nil {
		if n < 0 || n > maxSeed {
			r.fail(path, msg)
			return DefaultSeed
		}
		return n
	}
	d, bad := parseDecimalText(v.text)
	switch {
	case bad != "" && !strings.Contains(bad, "magnitude"):
		r.fail(path, bad)
	case bad != "" || !d.IsInteger() || d.Sign() < 0 || d.GreaterThan(decimal.NewFromInt(maxSeed)):
		r.fail(path, msg)
	default:
		return d.IntPart()
	}
	return DefaultSeed
}

// failedAt reports whether the reader already reported a problem at path.
func (r *docReader) failedAt(path string) bool { return slices.Contains(r.failed, path) }

// ones returns n decimal 1s (the default seasonality).
func ones(n int) []decimal.Decimal {
	s := make([]decimal.Decimal, n)
	for i := range s {
		s[i] = decimal.NewFromInt(1)
	}
	return s
}

// defaultPrice is the price scoring of an absent "price".
func defaultPrice() Price {
	return Price{
		Weight:  decimal.RequireFromString("0.4"),
		Basis:   PriceBasisPV,
		Formula: FormulaAnchored,
		FullAt:  decimal.RequireFromString("0.7"),
		ZeroAt:  decimal.RequireFromString("1.3"),
	}
}

// volume reads the demand forecast.
func (r *docReader) volume(path string, v *jsonValue) Volume {
	out := Volume{Seasonality: ones(seasonalMonths)}
	o, ok := r.object(path, v, "unit", "monthly", "growth", "seasonality")
	if !ok {
		return out
	}
	out.Unit = o.reqStr("unit")
	out.Monthly = o.reqDec("monthly")
	out.Growth = o.dec("growth", decimal.Zero)
	if sv, ok := o.m["seasonality"]; ok {
		p := FieldPath(path, "seasonality")
		if sv.kind != jsonArray {
			r.fail(p, "must be an array, not "+sv.describe())
		} else if len(sv.items) != seasonalMonths {
			r.fail(p, fmt.Sprintf("must have exactly %d values, January to December, not %d", seasonalMonths, len(sv.items)))
		} else {
			for i, it := range sv.items {
				if d, ok := r.decimal(indexPath(p, i), it); ok {
					out.Seasonality[i] = *d
				}
			}
		}
	}
	return out
}

// criterion reads one quality criterion.
func (r *docReader) criterion(path string, v *jsonValue) Criterion {
	c := Criterion{Scale: decimal.NewFromInt(defaultCriteriaScal)}
	o, ok := r.object(path, v, "key", "name", "weight", "scale", "minimum")
	if !ok {
		return c
	}
	c.Key = o.reqStr("key")
	c.Name = o.reqStr("name")
	c.Weight = o.reqDec("weight")
	c.Scale = o.dec("scale", c.Scale)
	c.Minimum = o.decPtr("minimum")
	return c
}

// price reads the price scoring settings.
func (r *docReader) price(path string, v *jsonValue) Price {
	p := defaultPrice()
	o, ok := r.object(path, v, "weight", "basis", "formula", "full_at", "zero_at")
	if !ok {
		return p
	}
	p.Weight = o.dec("weight", p.Weight)
	p.Basis = o.str("basis", p.Basis)
	p.Formula = o.str("formula", p.Formula)
	p.FullAt = o.dec("full_at", p.FullAt)
	p.ZeroAt = o.dec("zero_at", p.ZeroAt)
	return p
}

// option reads one option. currency is the evaluation's, trusted only when
// currencyOK.
func (r *docReader) option(path string, v *jsonValue, currency string, currencyOK bool) Option {
	op := Option{VolumeShare: decimal.NewFromInt(1)}
	o, ok := r.object(path, v, "id", "name", "kind", "volume_share", "lines", "pricing", "scores")
	if !ok {
		return op
	}
	op.ID = o.reqStr("id")
	op.Name = o.reqStr("name")
	op.Kind = o.str("kind", "")
	op.VolumeShare = o.dec("volume_share", op.VolumeShare)
	if lv, ok := o.m["lines"]; ok {
		lp := FieldPath(path, "lines")
		items := r.array(lp, lv, maxLines, "lines per option")
		op.Lines = make([]Line, 0, len(items))
		for i, it := range items {
			op.Lines = append(op.Lines, r.line(indexPath(lp, i), it))
		}
	}
	if pv, ok := o.m["pricing"]; ok {
		op.Pricing = r.pricing(FieldPath(path, "pricing"), pv, currency, currencyOK)
	}
	if sv, ok := o.m["scores"]; ok {
		sp := FieldPath(path, "scores")
		if so, ok := r.object(sp, sv); ok {
			op.Scores = make(map[string]decimal.Decimal, len(so.m))
			for _, f := range sv.fields { // in document order, for stable messages
				if so.m[f.key] != f.val {
					continue // null, or a duplicate already reported
				}
				if d, ok := r.decimal(FieldPath(sp, f.key), f.val); ok {
					op.Scores[f.key] = *d
				}
			}
		}
	}
	return op
}

// line reads one cost line.
func (r *docReader) line(path string, v *jsonValue) Line {
	var l Line
	o, ok := r.object(path, v, "name", "category", "basis", "amount", "block_size", "capacity",
		"month", "from_month", "to_month", "escalation", "volume_share")
	if !ok {
		return l
	}
	l.Name = o.reqStr("name")
	l.Category = o.reqStr("category")
	l.Basis = o.reqStr("basis")
	l.Amount = o.reqDec("amount")
	l.BlockSize = o.decPtr("block_size")
	if cv, ok := o.m["capacity"]; ok {
		l.Capacity = r.capacity(FieldPath(path, "capacity"), cv)
	}
	l.Month = o.intPtr("month")
	l.FromMonth = o.intPtr("from_month")
	l.ToMonth = o.intPtr("to_month")
	// Escalation is an error on these bases even when it is 0: the field
	// suggests the amount escalates, and it does not.
	if o.has("escalation") && (l.Basis == BasisOneTime || l.Basis == BasisShareOfVendor) {
		r.fail(FieldPath(path, "escalation"), escalationNotAllowed(l.Basis))
	} else {
		l.Escalation = o.dec("escalation", decimal.Zero)
	}
	l.VolumeShare = o.decPtr("volume_share")
	return l
}

// escalationNotAllowed is the message for escalation on a basis without it.
func escalationNotAllowed(basis string) string {
	if basis == BasisOneTime {
		return "is not allowed on a one_time line: one-time items are not escalated"
	}
	return "is not allowed on a share_of_vendor line: the share follows the invoice, already escalated"
}

// capacity reads staffing parameters; the workload four are required.
// With service_level, interval_minutes defaults to 30 and profile to [1];
// without it the service-level fields are read as given, for Validate to
// refuse them at their paths.
func (r *docReader) capacity(path string, v *jsonValue) *Capacity {
	o, ok := r.object(path, v, "aht_minutes", "occupancy", "shrinkage", "paid_hours",
		"service_level", "open_hours", "interval_minutes", "profile")
	if !ok {
		return nil
	}
	c := &Capacity{
		AHTMinutes: o.reqDec("aht_minutes"),
		Occupancy:  o.reqDec("occupancy"),
		Shrinkage:  o.reqDec("shrinkage"),
		PaidHours:  o.reqDec("paid_hours"),
		OpenHours:  o.decPtr("open_hours"),
	}
	if sv, ok := o.m["service_level"]; ok {
		sp := FieldPath(path, "service_level")
		if so, ok := r.object(sp, sv, "target", "seconds"); ok {
			c.ServiceLevel = &ServiceLevel{Target: so.reqDec("target"), Seconds: so.reqDec("seconds")}
		}
	}
	if n := o.intPtr("interval_minutes"); n != nil {
		c.IntervalMinutes = *n
	} else if c.ServiceLevel != nil {
		c.IntervalMinutes = defaultIntervalMinutes
	}
	if pv, ok := o.m["profile"]; ok {
		pp := FieldPath(path, "profile")
		items := r.array(pp, pv, maxProfile, "intervals (a day of 15-minute intervals)")
		c.Profile = make([]decimal.Decimal, 0, len(items))
		for i, it := range items {
			w, _ := r.decimal(indexPath(pp, i), it)
			if w == nil {
				c.Profile = append(c.Profile, decimal.Zero)
				continue
			}
			c.Profile = append(c.Profile, *w)
		}
	} else if c.ServiceLevel != nil {
		c.Profile = []decimal.Decimal{decimal.NewFromInt(1)}
	}
	return c
}

// pricing reads a vendor's invoice model. The quote's currency defaults to
// the evaluation's; fx_rate defaults to 1 and is required when they differ.
func (r *docReader) pricing(path string, v *jsonValue, currency string, currencyOK bool) *Pricing {
	o, ok := r.object(path, v, "currency", "fx_rate", "per", "unit_factor", "block_size", "capacity",
		"tiers", "tier_mode", "fixed_monthly", "minimum_units", "minimum_charge", "escalation",
		"setup_fee", "exit_fee", "from_month")
	if !ok {
		return nil
	}
	p := &Pricing{
		Currency:   o.str("currency", currency),
		FXRate:     o.dec("fx_rate", decimal.NewFromInt(1)),
		Per:        o.str("per", PricingPerUnit),
		UnitFactor: o.dec("unit_factor", decimal.NewFromInt(1)),
		BlockSize:  o.decPtr("block_size"),
		TierMode:   o.str("tier_mode", TierModeGraduated),
		FromMonth:  1,
	}
	cp := FieldPath(path, "currency")
	if !o.has("fx_rate") && currencyOK && !r.failedAt(cp) && p.Currency != currency {
		r.fail(FieldPath(path, "fx_rate"), fmt.Sprintf(
			"is required when the quote's currency (%s) differs from the evaluation's (%s): %s per 1 %s",
			p.Currency, currency, currency, p.Currency))
	}
	if cv, ok := o.m["capacity"]; ok {
		p.Capacity = r.capacity(FieldPath(path, "capacity"), cv)
	}
	if tv := o.required("tiers"); tv != nil {
		tp := FieldPath(path, "tiers")
		items := r.array(tp, tv, maxTiers, "tiers")
		p.Tiers = make([]Tier, 0, len(items))
		for i, it := range items {
			var t Tier
			if to, ok := r.object(indexPath(tp, i), it, "up_to", "price"); ok {
				t.UpTo = to.decPtr("up_to")
				t.Price = to.reqDec("price")
			}
			p.Tiers = append(p.Tiers, t)
		}
	}
	p.FixedMonthly = o.dec("fixed_monthly", decimal.Zero)
	p.MinimumUnits = o.dec("minimum_units", decimal.Zero)
	p.MinimumCharge = o.dec("minimum_charge", decimal.Zero)
	p.Escalation = o.dec("escalation", decimal.Zero)
	p.SetupFee = o.dec("setup_fee", decimal.Zero)
	p.ExitFee = o.dec("exit_fee", decimal.Zero)
	if n := o.intPtr("from_month"); n != nil {
		p.FromMonth = *n
	}
	return p
}
