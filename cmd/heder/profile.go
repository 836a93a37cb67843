package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of the whole run to path, for `go
// tool pprof`; the returned function ends it. Only `heder dev` honours
// HEDER_CPUPROFILE (the load test in bench/rush sets it): a production
// server is profiled with its platform's tools, not by a variable that
// could be left on.
func startCPUProfile(args []string, getenv func(string) string) (stop func(), err error) {
	path := getenv("HEDER_CPUPROFILE")
	if path == "" || len(args) == 0 || args[0] != "dev" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("HEDER_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("HEDER_CPUPROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
