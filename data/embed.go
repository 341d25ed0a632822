// Package data carries the demo evaluation documents (demo.json,
// demo-extra.json) inside the binary, so a fresh database gets the demo
// wherever the program runs. At run time the data folder also holds the
// database.
package data

import "embed"

// Demo holds the demo documents, read by store.LoadDemoFS.
//
//go:embed demo.json demo-extra.json
var Demo embed.FS
