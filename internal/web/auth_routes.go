package web

import (
	"sync"
	"time"
)

// Defaults of the sign-in settings of Config.
const (
	DefaultLoginFailures = 5
	DefaultLoginWindow   = 15 * time.Minute
)

// stopOnce makes a func safe to call more than once.
func stopOnce(f func()) func() {
	var once sync.Once
	return func() { once.Do(f) }
}
