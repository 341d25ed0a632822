package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// lineFields maps a line's document paths (after "options[i].lines[j].")
// to the line form's fields.
var lineFields = map[string]string{
	"name": "l_name", "category": "l_category", "basis": "l_basis", "amount": "l_amount",
	"escalation": "l_escalation", "block_size": "l_block_size", "capacity": "l_cap_aht_minutes",
	"capacity.aht_minutes": "l_cap_aht_minutes", "capacity.occupancy": "l_cap_occupancy",
	"capacity.shrinkage": "l_cap_shrinkage", "capacity.paid_hours": "l_cap_paid_hours",
	"month": "l_month", "from_month": "l_from_month", "to_month": "l_to_month", "volume_share": "l_volume_share",
	"capacity.service_level": "l_cap_sl_target", "capacity.service_level.target": "l_cap_sl_target",
	"capacity.service_level.seconds": "l_cap_sl_seconds", "capacity.open_hours": "l_cap_open_hours",
	"capacity.interval_minutes": "l_cap_interval", "capacity.profile": "l_cap_profile",
}

// parseLine reads the line form. Fields the chosen basis does not use are
// ignored (the page hides them; without JavaScript they stay visible and
// say which basis they belong to).
func parseLine(f *form) tco.Line {
	l := tco.Line{Name: f.Get("l_name"), Category: f.Get("l_category"), Basis: f.Get("l_basis")}
	if l.Name == "" {
		f.Fail("l_name", "is required, such as Agents")
	}
	l.Amount = wsDec(f, "l_amount")
	recurring := l.Basis != tco.BasisOneTime
	volume := l.Basis == tco.BasisPerUnit || l.Basis == tco.BasisPerBlock
	if l.Basis == tco.BasisFixed || volume {
		l.Escalation = wsDecOr(f, "l_escalation", decimal.Zero)
	}
	if l.Basis == tco.BasisPerBlock {
		l.BlockSize = wsDecPtr(f, "l_block_size")
		l.Capacity = parseCapacity(f, "l_cap_")
		if l.BlockSize == nil && l.Capacity == nil {
			f.Fail("l_block_size", "enter a block size, or the capacity below (the staffing helper fills it)")
		}
	}
	if l.Basis == tco.BasisOneTime {
		l.Month = wsInt(f, "l_month")
		if l.Month == nil {
			f.Fail("l_month", "is required on a one-time line: the month it falls in, 0 (signing) to the horizon")
		}
	}
	if recurring {
		l.FromMonth, l.ToMonth = wsInt(f, "l_from_month"), wsInt(f, "l_to_month")
	}
	if volume {
		l.VolumeShare = wsDecPtr(f, "l_volume_share")
	}
	return l
}

// SaveLine adds a cost line (POST …/options/:option/lines) or saves one
// (POST …/lines/:line).
func (u *Handlers) SaveLine(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	var lineID int64
	j := len(o.Lines) // the line's index in the document
	if c.Param("line") != "" {
		if lineID, err = edge.ID(c, "line"); err != nil {
			return err
		}
		j = -1
		for k, l := range o.Lines {
			if l.ID == lineID {
				j = k
			}
		}
		if j < 0 {
			return store.ErrNotFound
		}
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	line := parseLine(f)
	if _, has := f.Values["l_cap_sl_target"]; lineID != 0 && !has {
		keepStaffing(line.Capacity, o.Lines[j].Capacity)
	}
	forms := wsOptionForms{Line: f, LineID: lineID}
	ctx, failed := checkContext(c, f)
	if lineID == 0 {
		_, err = u.store.CreateLine(ctx, wsActor(c), o.ID, line)
	} else {
		_, err = u.store.UpdateLine(ctx, wsActor(c), lineID, wsVersion(f), line)
	}
	if wsConflict(b, err, "cost line", OptionURL(b.ID, o.ID)+"?line="+strconv.FormatInt(lineID, 10)+"#line-form") {
		return u.wsShowOption(c, http.StatusConflict, b, o, forms)
	}
	prefix := fmt.Sprintf("options[%d].lines[%d].", optionIndex(b.Options, o.ID), j)
	if failed {
		f.FromError(err, pathMapper(prefix, lineFields))
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, forms)
	}
	if f.FromError(err, pathMapper(prefix, lineFields)) {
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, forms)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "line", "lines")
}

// DeleteLine deletes a cost line: POST …/lines/:line/delete.
func (u *Handlers) DeleteLine(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	lineID, err := edge.ID(c, "line")
	if err != nil {
		return err
	}
	found := false
	for _, l := range o.Lines {
		found = found || l.ID == lineID
	}
	if !found {
		return store.ErrNotFound
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	err = u.store.DeleteLine(c.Request().Context(), wsActor(c), lineID, wsVersion(f))
	if wsConflict(b, err, "cost line", OptionURL(b.ID, o.ID)+"#lines") {
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{})
	}
	if f.FromError(err, func(string) string { return "" }) {
		f.Message = "The line was not deleted: the evaluation would become invalid."
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, wsOptionForms{Danger: f})
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "line-deleted", "lines")
}

// wsStaffing is the staffing helper: agents from volume, handling time,
// occupancy, shrinkage and paid hours.
type wsStaffing struct {
	Form     *form
	OK       bool
	FTE      string          // "19.39"
	Agents   string          // "20"
	Block    string          // units one agent handles a month
	Sentence string          // the whole sum in words
	FillURL  string          // the option page with the line form filled
	SL       *wsServiceLevel // the service-level mode's answer, when asked
}

// Staffing defaults when the option has no capacity yet (the spec's
// example: 6-minute contacts, 85% occupancy, 30% shrinkage, 40 h a week).
var staffingDefaults = url.Values{"st_aht": {"6"}, "st_occupancy": {"0.85"}, "st_shrinkage": {"0.30"}, "st_paid_hours": {"173.33"}}

// staffingFrom runs the helper on the query's st_ fields, or on the
// option's first capacity and the evaluation's volume when there are none.
func staffingFrom(q url.Values, b *wsBase, o *store.Option) *wsStaffing {
	v := url.Values{}
	for _, k := range append([]string{"st_volume", "st_aht", "st_occupancy", "st_shrinkage", "st_paid_hours"}, slFields...) {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	asked := len(v) > 0
	if !asked {
		for k, d := range staffingDefaults {
			v[k] = d
		}
		for _, l := range o.Lines {
			if c := l.Capacity; l.Basis == tco.BasisPerBlock && c != nil {
				v.Set("st_aht", c.AHTMinutes.String())
				v.Set("st_occupancy", c.Occupancy.String())
				v.Set("st_shrinkage", c.Shrinkage.String())
				v.Set("st_paid_hours", c.PaidHours.String())
				slValues(v, c)
				break
			}
		}
		v.Set("st_volume", b.Eval.Volume.Monthly.Mul(o.VolumeShare).String())
	}
	if p := q.Get("st_use_preset"); p != "" {
		// a preset button: its profile replaces the typed one
		v.Del("st_profile")
		v.Set("st_preset", p)
		v.Set("st_mode", tco.MethodServiceLevel)
	}
	s := &wsStaffing{Form: newForm(v)}
	res, err := staff(s.Form)
	if err != nil {
		if !asked {
			s.Form.Errors = map[string]string{} // defaults never blame the user
		}
		return s
	}
	if s.Form.Get("st_mode") == tco.MethodServiceLevel {
		if s.SL = serviceLevelMode(s.Form, res); s.SL == nil {
			if !asked {
				s.Form.Errors = map[string]string{}
			}
			return s
		}
		v = s.Form.Values // with the preset's profile written out
	}
	s.OK = true
	s.FTE = res.FTE.StringFixed(2)
	s.Agents = strconv.FormatInt(res.Agents, 10)
	s.Block = formatNumber(res.Block, 2)
	s.Sentence = fmt.Sprintf("%s %s × %s min ÷ (%s × %s × %s h × 60) = %s FTE → %s",
		formatNumber(res.Volume, 2), evaluation.PluralUnit(b.Eval.Volume.Unit), formatNumber(res.AHT, 3), fixed2(res.Occupancy),
		fixed2(decimal.NewFromInt(1).Sub(res.Shrinkage)), formatNumber(res.PaidHours, 2), formatNumber(res.FTE, 2),
		words.Count(int(res.Agents), "agent"))
	fill := url.Values{"use_staffing": {"1"}}
	for k := range v {
		fill.Set(k, v.Get(k))
	}
	s.FillURL = OptionURL(b.ID, o.ID) + "?" + fill.Encode() + "#line-form"
	return s
}

// fixed2 writes a fraction with at least two decimals: 0.7 → "0.70".
func fixed2(d decimal.Decimal) string {
	if d.Exponent() >= -2 {
		return d.StringFixed(2)
	}
	return d.String()
}

// staffing is the helper's arithmetic, exact decimal.
type staffing struct {
	Volume, AHT, Occupancy, Shrinkage, PaidHours decimal.Decimal
	Block                                        decimal.Decimal // units per agent-month
	FTE                                          decimal.Decimal // volume ÷ block
	Agents                                       int64           // FTE rounded up
}

// staff computes the FTE and head count of the helper's form:
// FTE = volume × AHT ÷ (occupancy × (1 − shrinkage) × paid hours × 60),
// agents = ⌈FTE⌉ (an FTE within 1e-9 of a whole number counts as it, as
// the engine counts blocks). Errors are recorded on the form.
func staff(f *form) (staffing, error) {
	var s staffing
	s.Volume, s.AHT = wsDec(f, "st_volume"), wsDec(f, "st_aht")
	s.Occupancy, s.Shrinkage, s.PaidHours = wsDec(f, "st_occupancy"), wsDec(f, "st_shrinkage"), wsDec(f, "st_paid_hours")
	one := decimal.NewFromInt(1)
	if _, bad := f.Errors["st_volume"]; !bad && s.Volume.Sign() < 0 {
		f.Fail("st_volume", "must be ≥ 0")
	}
	if _, bad := f.Errors["st_aht"]; !bad && s.AHT.Sign() <= 0 {
		f.Fail("st_aht", "must be greater than 0 minutes")
	}
	if _, bad := f.Errors["st_occupancy"]; !bad && (s.Occupancy.Sign() <= 0 || s.Occupancy.GreaterThan(one)) {
		f.Fail("st_occupancy", "must be greater than 0 and at most 1 (0.85 is 85%)")
	}
	if _, bad := f.Errors["st_shrinkage"]; !bad && (s.Shrinkage.Sign() < 0 || !s.Shrinkage.LessThan(one)) {
		f.Fail("st_shrinkage", "must be at least 0 and less than 1 (0.30 is 30%)")
	}
	if _, bad := f.Errors["st_paid_hours"]; !bad && s.PaidHours.Sign() <= 0 {
		f.Fail("st_paid_hours", "must be greater than 0 hours a month")
	}
	if f.HasErrors() {
		return s, fmt.Errorf("staffing: bad input")
	}
	s.Block = tco.Capacity{AHTMinutes: s.AHT, Occupancy: s.Occupancy, Shrinkage: s.Shrinkage, PaidHours: s.PaidHours}.Block()
	denom := s.Occupancy.Mul(one.Sub(s.Shrinkage)).Mul(s.PaidHours).Mul(decimal.NewFromInt(60))
	s.FTE = s.Volume.Mul(s.AHT).DivRound(denom, 16)
	whole := s.FTE.Round(0)
	if s.FTE.Sub(whole).Abs().LessThanOrEqual(decimal.New(1, -9).Mul(decimal.Max(one, whole))) {
		s.Agents = whole.IntPart()
	} else {
		s.Agents = s.FTE.Ceil().IntPart()
	}
	return s, nil
}
