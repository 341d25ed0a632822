// Package static holds the files the web server serves under /static/:
// stylesheets, scripts and the vendored chart library, embedded in the
// binary so the app runs from a single file with no internet access.
//
// Pages link every file through its content-hashed URL (Assets.URL), so a
// browser may cache it forever and still never runs yesterday's script.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// FS holds the embedded static files, rooted at this folder (css/app.css is
// "css/app.css"). vendor/ holds the files `npm run vendor` copied from
// node_modules, committed so a build needs Go alone; vendor_test.go checks
// them against vendor/manifest.json and package-lock.json.
//
//go:embed css img js vendor
var FS embed.FS

// hashLen is how many hex digits of the SHA-256 go into a hashed name.
const hashLen = 12

// Assets maps every embedded file to its content-hashed name and back:
// "css/app.css" ↔ "css/app.3f2a1b9c0d4e.css".
type Assets struct {
	fsys   fs.FS
	hashed map[string]string // name → hashed name
	names  map[string]string // hashed name → name
	sums   map[string]string // name → full hex digest (the ETag)
}

// NewAssets hashes every file of fsys (normally FS) once.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{fsys: fsys, hashed: map[string]string{}, names: map[string]string{}, sums: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hexSum := hex.EncodeToString(sum[:])
		h := HashedName(p, hexSum[:hashLen])
		a.hashed[p], a.names[h], a.sums[p] = h, p, hexSum
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static files: %w", err)
	}
	return a, nil
}

// HashedName inserts hash before the extension of name: "js/app.js" with
// "abc" is "js/app.abc.js"; a name without extension gets ".abc" appended.
func HashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// URL returns the hashed URL path of a file, "/static/css/app.3f2a….css".
// ok is false when there is no such file.
func (a *Assets) URL(name string) (url string, ok bool) {
	h, ok := a.hashed[name]
	if !ok {
		return "", false
	}
	return "/static/" + h, true
}

// Lookup resolves a requested path (without "/static/") to the file name
// and its digest. immutable is true when the request named the file by its
// current hash, so it may be cached forever; a plain name also resolves
// (module scripts import each other by plain name) but must be revalidated.
func (a *Assets) Lookup(req string) (name, etag string, immutable, ok bool) {
	if n, found := a.names[req]; found {
		return n, a.sums[n], true, true
	}
	if s, found := a.sums[req]; found {
		return req, s, false, true
	}
	return "", "", false, false
}

// Open opens a file by its plain name.
func (a *Assets) Open(name string) (fs.File, error) { return a.fsys.Open(name) }

// Names returns every file's plain name.
func (a *Assets) Names() []string {
	out := make([]string, 0, len(a.sums))
	for n := range a.sums {
		out = append(out, n)
	}
	return out
}
