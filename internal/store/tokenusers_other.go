//go:build !unix

package store

import "os"

// gone reports whether the -shm file at its path is no longer the one
// opened.
func (c *tokenUsers) gone() bool {
	fi, err := os.Stat(c.path)
	return err != nil || !os.SameFile(fi, c.fi)
}
