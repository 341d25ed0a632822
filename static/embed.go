// Package static holds the files the web server serves under /static/:
// stylesheets, scripts and images, embedded in the binary so the app runs
// from a single file with no internet access.
package static

import "embed"

// FS holds the embedded static files, rooted at this folder (css/app.css is
// "css/app.css").
//
//go:embed css
var FS embed.FS
