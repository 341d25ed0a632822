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

// accountPages are the handlers of the account pages.
type accountPages struct {
	a  *accounts
	ui *ui
}

// stopOnce makes a func safe to call more than once.
func stopOnce(f func()) func() {
	var once sync.Once
	return func() { once.Do(f) }
}
