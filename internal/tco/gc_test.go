package tco

import (
	"testing"

	"vendorcompare/internal/testmain"
)

// TestMain runs the tests at GOGC 400 (testmain.GC).
func TestMain(m *testing.M) { testmain.Run(m) }
