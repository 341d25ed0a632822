package static

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// manifest is static/vendor/manifest.json, written by `npm run vendor`
// (scripts/vendor.mjs).
type manifest struct {
	Packages []struct {
		Package   string `json:"package"`
		Version   string `json:"version"`
		Integrity string `json:"integrity"`
		Files     []struct {
			Name   string `json:"name"`
			From   string `json:"from"`
			SHA256 string `json:"sha256"`
		} `json:"files"`
	} `json:"packages"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	b, err := fs.ReadFile(FS, "vendor/manifest.json")
	if err != nil {
		t.Fatalf("vendor/manifest.json is not embedded (run `npm run vendor`): %v", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("vendor/manifest.json: %v", err)
	}
	if len(m.Packages) == 0 {
		t.Fatal("vendor/manifest.json lists no package")
	}
	return m
}

// TestVendorManifestMatchesLock: each vendored package is the version and
// the tarball (integrity) that package-lock.json pins, and package.json
// asks for exactly that version, so an `npm install` that moved the lock
// without `npm run vendor` (or the reverse) fails here.
func TestVendorManifestMatchesLock(t *testing.T) {
	m := readManifest(t)
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	readJSON(t, "../package-lock.json", &lock)
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	readJSON(t, "../package.json", &pkg)

	seen := map[string]bool{}
	for _, p := range m.Packages {
		seen[p.Package] = true
		l, ok := lock.Packages["node_modules/"+p.Package]
		if !ok {
			t.Errorf("%s: in the manifest, not in package-lock.json", p.Package)
			continue
		}
		if p.Version != l.Version || p.Integrity != l.Integrity {
			t.Errorf("%s: manifest has %s (%s), package-lock.json %s (%s): run `npm ci && npm run vendor`",
				p.Package, p.Version, p.Integrity, l.Version, l.Integrity)
		}
		if want := pkg.Dependencies[p.Package]; want != p.Version {
			t.Errorf("%s: manifest has %s, package.json asks for %q", p.Package, p.Version, want)
		}
	}
	for dep := range pkg.Dependencies {
		if !seen[dep] {
			t.Errorf("package.json depends on %s, which static/vendor/manifest.json does not list", dep)
		}
	}
}

// TestVendorFilesMatchManifest: every embedded file of vendor/ is the one
// the manifest names, byte for byte (SHA-256), and nothing else is there
// besides the README and the manifest: a hand edit or a stray file fails.
func TestVendorFilesMatchManifest(t *testing.T) {
	m := readManifest(t)
	listed := map[string]bool{"README.md": true, "manifest.json": true}
	for _, p := range m.Packages {
		if len(p.Files) == 0 {
			t.Errorf("%s: no files in the manifest", p.Package)
		}
		for _, f := range p.Files {
			listed[f.Name] = true
			b, err := fs.ReadFile(FS, "vendor/"+f.Name)
			if err != nil {
				t.Errorf("%s (from %s) is not embedded: %v", f.Name, f.From, err)
				continue
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
				t.Errorf("vendor/%s: sha256 %s, manifest %s: do not edit vendored files; run `npm run vendor`", f.Name, got, f.SHA256)
			}
		}
	}
	entries, err := fs.ReadDir(FS, "vendor")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("vendor/%s is not in manifest.json", e.Name())
		}
	}
}

// assetRef is a template's reference to a static file: {{asset "js/app.js"}}.
var assetRef = regexp.MustCompile(`\{\{\s*asset\s+"([^"]+)"`)

// TestTemplateAssetsExist: every file a template names with {{asset …}},
// wherever the templates live in the module, is embedded here, so a page
// cannot answer 500 for a missing static file.
func TestTemplateAssetsExist(t *testing.T) {
	var refs []string
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(p) != ".html" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range assetRef.FindAllStringSubmatch(string(b), -1) {
			if _, err := fs.Stat(FS, m[1]); err != nil {
				t.Errorf("%s references %q, which is not embedded: %v", p, m[1], err)
			}
			refs = append(refs, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// guard against the walk silently finding nothing (templates moved
	// out of the module, or the pattern no longer matching)
	for _, want := range []string{"vendor/chart.umd.min.js", "vendor/chartjs-plugin-annotation.min.js"} {
		if !slices.Contains(refs, want) {
			t.Errorf("no template references %s; found %q", want, refs)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
