//go:build unix

package store

import "syscall"

// gone reports whether the -shm file opened has been deleted (one fstat,
// cheaper than a stat of its path).
func (c *tokenUsers) gone() bool {
	fi, err := c.shm.Stat()
	if err != nil {
		return true
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink == 0
}
