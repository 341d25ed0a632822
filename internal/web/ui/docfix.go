package ui

import (
	"fmt"
	"regexp"
	"strconv"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// docFix is one problem of a stored evaluation's document, in words, with
// a link to the workspace field that fixes it. A document saved before a
// rule existed (an FX rate left out between different currencies, amounts
// too large to cost) opens with these instead of an error page.
type docFix struct {
	Path, Label, Message, Href string
}

var (
	optionPath    = regexp.MustCompile(`^options\[(\d+)\](?:\.(.*))?$`)
	linePath      = regexp.MustCompile(`^lines\[(\d+)\](?:\.(.*))?$`)
	scorePath     = regexp.MustCompile(`^scores\.(.+)$`)
	criterionPath = regexp.MustCompile(`^criteria\[(\d+)\](?:\.(.*))?$`)
)

// docFixes links each problem of evaluation evalID's document to its
// field: settings, an option's quote, tier or cost line, a criterion or a
// score. opts and crits are the evaluation's, in document order (the
// store orders both the same way); a path none of them names links to the
// workspace's overview.
func docFixes(evalID int64, opts []store.Option, crits []store.Criterion, fe tco.Errors) []docFix {
	ws := fmt.Sprintf("/evaluations/%d/workspace", evalID)
	out := make([]docFix, 0, len(fe))
	for _, e := range fe {
		fx := docFix{Path: e.Path, Message: e.Message, Label: e.Path, Href: ws}
		if fx.Label == "" {
			fx.Label = "The evaluation"
		}
		switch m, c := optionPath.FindStringSubmatch(e.Path), criterionPath.FindStringSubmatch(e.Path); {
		case settingsField(e.Path) != "":
			f := settingsField(e.Path)
			fx.Href, fx.Label = ws+"/settings#f-"+f, "Settings: "+wsLabelOr(f, e.Path)
		case m != nil:
			i, _ := strconv.Atoi(m[1])
			if i >= len(opts) {
				break
			}
			o := opts[i]
			page := OptionURL(evalID, o.ID)
			fx.Href, fx.Label = page+"#quote", o.Name
			rest := m[2]
			if l := linePath.FindStringSubmatch(rest); l != nil {
				j, _ := strconv.Atoi(l[1])
				if j < len(o.Lines) {
					f := lineFields[l[2]]
					if f == "" {
						f = "l_name"
					}
					fx.Href = fmt.Sprintf("%s?line=%d#f-%s", page, o.Lines[j].ID, f)
					fx.Label = fmt.Sprintf("%s: cost line “%s”, %s", o.Name, o.Lines[j].Name, wsLabelOr(f, l[2]))
				}
				break
			}
			if s := scorePath.FindStringSubmatch(rest); s != nil {
				for _, cr := range crits {
					if cr.Key == s[1] {
						fx.Href = fmt.Sprintf("%s/criteria#f-%s", ws, "score-"+strconv.FormatInt(o.ID, 10)+"-"+strconv.FormatInt(cr.ID, 10))
						fx.Label = o.Name + ": score on " + cr.Name
					}
				}
				break
			}
			if f := quoteField(i)(e.Path); f != "" {
				href := "#f-" + f
				if t := tierField.FindStringSubmatch(f); t != nil {
					n, _ := strconv.Atoi(t[2])
					href = fmt.Sprintf("#f-tier-%d-%s", n, t[1])
				} else if f == "tiers" {
					href = "#tiers"
				}
				fx.Href, fx.Label = page+href, o.Name+": "+wsLabelOr(f, rest)
			}
		case c != nil:
			k, _ := strconv.Atoi(c[1])
			if k < len(crits) {
				f := criterionFields[c[2]]
				if f == "" {
					f = "c_name"
				}
				fx.Href = fmt.Sprintf("%s/criteria?criterion=%d#f-%s", ws, crits[k].ID, f)
				fx.Label = "Criterion " + crits[k].Name + ": " + wsLabelOr(f, c[2])
			}
		}
		out = append(out, fx)
	}
	return out
}

// wsLabelOr is a form field's label, or def.
func wsLabelOr(field, def string) string {
	if l, ok := wsLabels[field]; ok {
		return l
	}
	return def
}
