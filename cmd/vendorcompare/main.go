// Command vendorcompare compares keeping a non-core service in-house with
// vendor quotes: it serves the web app and the JSON API, and costs an
// evaluation document from the command line.
//
// Usage:
//
//	vendorcompare [serve] [-addr 127.0.0.1:8080] [-data ./data]
//	vendorcompare compare [-json] [-break-even-max N] FILE|-
//	vendorcompare backup [-data ./data] FILE
//	vendorcompare import [-data ./data] -evaluation ID [-round-of OPTION_ID [-label L]] FILE|-
//	vendorcompare export [-data ./data] -evaluation ID [-format xlsx|csv|json|text] [-o FILE|-]
//	vendorcompare help
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default so a second one kills a
	// shutdown that hangs.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vendorcompare:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
