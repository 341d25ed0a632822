package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// update rewrites the golden files of this file's tests: only on purpose,
// when a route or the OpenAPI description is meant to change.
var update = flag.Bool("update", false, "rewrite testdata/openapi.json and testdata/routes.txt")

// TestOpenAPIGolden: the description served is the one users had before
// the route table (testdata/openapi.json, captured from main), compared as
// JSON values so key order and spacing do not matter.
func TestOpenAPIGolden(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	r := a.call("GET", "/api/v1/openapi.json", nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET openapi.json: %d", r.status)
	}
	const golden = "testdata/openapi.json"
	if *update {
		var buf bytes.Buffer
		if err := json.Indent(&buf, r.body, "", "  "); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var got, exp any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &exp); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, exp) {
		gp, _ := got.(map[string]any)["paths"].(map[string]any)
		ep, _ := exp.(map[string]any)["paths"].(map[string]any)
		for p := range ep {
			if !reflect.DeepEqual(gp[p], ep[p]) {
				t.Errorf("path %s differs", p)
			}
		}
		for p := range gp {
			if _, ok := ep[p]; !ok {
				t.Errorf("path %s is new", p)
			}
		}
		t.Fatal("openapi.json differs from testdata/openapi.json (go test -run TestOpenAPIGolden -update rewrites it)")
	}
}

// TestRoutesGolden: a server with every feature on serves exactly the
// routes, with exactly the access, it served before the route table
// (testdata/routes.txt: method, echo path, who may call it).
func TestRoutesGolden(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	srv := New(Config{MemoryProbe: true}, Deps{Store: a.st})
	var lines []string
	for _, rt := range srv.echo.Routes() {
		if strings.HasPrefix(rt.Name, "github.com/labstack/echo") {
			continue // echo's own catch-alls
		}
		who, ok := srv.access[rt.Method+" "+rt.Path]
		if !ok {
			t.Errorf("echo serves %s %s, which the route table does not list", rt.Method, rt.Path)
		}
		lines = append(lines, fmt.Sprintf("%s %s %d", rt.Method, rt.Path, who))
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/routes.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("routes differ from %s:\n got:\n%s\nwant:\n%s", golden, got, want)
	}
}

// TestRouteTable: echo serves exactly the table's routes; every API route
// (and the health probe) carries its OpenAPI operation and no other does;
// the served description lists exactly the table's operations.
func TestRouteTable(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	srv := New(Config{MemoryProbe: true}, Deps{Store: a.st})
	served := map[string]bool{}
	for _, rt := range srv.echo.Routes() {
		served[rt.Method+" "+rt.Path] = true
	}
	listed := map[string]bool{}
	ops := map[string]bool{} // "get /api/v1/options/{id}"
	for _, r := range srv.table {
		listed[r.method+" "+r.path] = true
		if r.head {
			listed["HEAD "+r.path] = true
		}
		api := strings.HasPrefix(r.path, "/api/") || r.path == "/healthz"
		if api != (r.op != nil) {
			t.Errorf("%s %s: API route %v, OpenAPI operation %v", r.method, r.path, api, r.op != nil)
		}
		if r.op != nil {
			ops[strings.ToLower(r.method)+" "+apiPath.ReplaceAllString(r.path, "{$1}")] = true
		}
	}
	for k := range served {
		if !listed[k] {
			t.Errorf("echo serves %s, which the table does not list", k)
		}
	}
	for k := range listed {
		if !served[k] {
			t.Errorf("the table lists %s, which echo does not serve", k)
		}
	}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	a.must(http.StatusOK, &spec, "GET", "/api/v1/openapi.json", nil)
	documented := map[string]bool{}
	for path, m := range spec.Paths {
		for method := range m {
			documented[method+" "+path] = true
			if !ops[method+" "+path] {
				t.Errorf("openapi.json lists %s %s, which the table has no operation for", method, path)
			}
		}
	}
	for k := range ops {
		if !documented[k] {
			t.Errorf("the table's operation %s is missing from openapi.json", k)
		}
	}
	if len(listed) != len(served) || len(ops) < 45 {
		t.Errorf("%d routes listed, %d served, %d operations", len(listed), len(served), len(ops))
	}
}
