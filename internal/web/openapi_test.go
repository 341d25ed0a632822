package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TestOpenAPIRoutes fails when a registered /api/ or /healthz route is
// missing from the OpenAPI description, or when the description lists an
// operation no route serves. HEAD is served with GET.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var spec struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	r := a.must(http.StatusOK, &spec, "GET", "/api/v1/openapi.json", nil)
	if spec.OpenAPI != "3.1.0" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi %q, Content-Type %q", spec.OpenAPI, r.header.Get("Content-Type"))
	}

	srv := New(Config{}, Deps{Store: a.st})
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	registered := map[string]bool{} // "get /api/v1/evaluations/{id}"
	for _, rt := range srv.echo.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/") && rt.Path != "/healthz" || strings.Contains(rt.Path, "*") {
			continue
		}
		path := param.ReplaceAllString(rt.Path, "{$1}")
		method := strings.ToLower(rt.Method)
		registered[method+" "+path] = true
		if method == "head" {
			if _, ok := spec.Paths[path]["get"]; ok {
				continue
			}
		}
		if _, ok := spec.Paths[path][method]; !ok {
			t.Errorf("route %s %s is missing from openapi.json", rt.Method, path)
		}
	}
	for path, ops := range spec.Paths {
		for method := range ops {
			if !registered[method+" "+path] {
				t.Errorf("openapi.json lists %s %s, which no route serves", strings.ToUpper(method), path)
			}
		}
	}
	if len(registered) < 40 {
		t.Errorf("only %d routes found", len(registered))
	}

	// Every $ref resolves.
	refs := regexp.MustCompile(`"\$ref":\s*"#/components/(schemas|responses)/([^"]+)"`).FindAllSubmatch(r.body, -1)
	if len(refs) == 0 {
		t.Fatal("no $ref")
	}
	for _, m := range refs {
		if _, ok := spec.Components[string(m[1])][string(m[2])]; !ok {
			t.Errorf("unresolved $ref %s/%s", m[1], m[2])
		}
	}
	for _, name := range []string{"Evaluation", "Option", "Round", "RoundComparison", "AuditEntry", "Error",
		"tco.Comparison", "tco.Document", "SettingsRequest", "EvaluationPage"} {
		if _, ok := spec.Components["schemas"][name]; !ok {
			t.Errorf("schema %s missing; have %v", name, keys(spec.Components["schemas"]))
		}
	}
}

// TestOpenAPISchemas checks that the schemas describe the bodies as they
// are: a stored option's JSON has exactly the schema's properties, and the
// comparison's options carry the spec's fields.
func TestOpenAPISchemas(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Required   []string                   `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	a.must(http.StatusOK, &spec, "GET", "/api/v1/openapi.json", nil)
	for _, tc := range []struct{ schema, path string }{
		{"Option", "/api/v1/options/2"},
		{"Evaluation", "/api/v1/evaluations/1"},
		{"Round", "/api/v1/rounds/1"},
		{"Vendor", "/api/v1/vendors/1"},
		{"tco.Comparison", "/api/v1/evaluations/1/comparison"},
		{"tco.Document", "/api/v1/evaluations/1/document"},
		{"RoundComparison", "/api/v1/options/2/rounds/comparison"},
		{"EvaluationPage", "/api/v1/evaluations"},
	} {
		t.Run(tc.schema, func(t *testing.T) {
			var body map[string]json.RawMessage
			a.must(http.StatusOK, &body, "GET", tc.path, nil)
			props := spec.Components.Schemas[tc.schema].Properties
			// settings a document or evaluation leaves out when unset
			// (omitempty) are in the schema but not in this body
			if typ, ok := map[string]reflect.Type{"tco.Document": reflect.TypeFor[tco.Document](),
				"Evaluation": reflect.TypeFor[store.Settings]()}[tc.schema]; ok {
				for _, f := range reflect.VisibleFields(typ) {
					name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
					if _, ok := body[name]; !ok && strings.Contains(opts, "omitempty") {
						body[name] = nil
					}
				}
			}
			if !slices.Equal(keys(body), keys(props)) {
				t.Errorf("body fields %v, schema properties %v", keys(body), keys(props))
			}
		})
	}
	if req := spec.Components.Schemas["SettingsRequest"].Required; !slices.Contains(req, "name") || !slices.Contains(req, "currency") {
		t.Errorf("SettingsRequest required %v", req)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
