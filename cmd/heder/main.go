// Command heder runs Heder, the public-sector innovation award system.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/heder-awards/heder/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile, err := startCPUProfile(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heder:", err)
		os.Exit(1)
	}
	err = app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "heder:", err)
		stop()
		os.Exit(1)
	}
}
