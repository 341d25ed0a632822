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
	a := newAPI(t)
	srv := New(Config{MemoryProbe: true}, Deps{Store: a.st})
	var lines []string
	for _, rt := range srv.echo.Routes() {
		if strings.HasPrefix(rt.Name, "github.com/labstack/echo") {
			continue // echo's own catch-alls
		}
		lines = append(lines, fmt.Sprintf("%s %s %d", rt.Method, rt.Path, routeAccess(rt.Method, rt.Path)))
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
