package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCPUProfileOnlyInDev(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"dev", "-addr", "127.0.0.1:0"}, true},
		{[]string{"serve"}, false},
		{[]string{"migrate"}, false},
		{nil, false},
	} {
		path := filepath.Join(t.TempDir(), "cpu.pprof")
		stop, err := startCPUProfile(tc.args, func(k string) string {
			if k == "HEDER_CPUPROFILE" {
				return path
			}
			return ""
		})
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		stop()
		fi, err := os.Stat(path)
		if got := err == nil && fi.Size() > 0; got != tc.want {
			t.Errorf("%v: profile written = %v, want %v", tc.args, got, tc.want)
		}
	}
	// Unset, nothing happens even in dev.
	stop, err := startCPUProfile([]string{"dev"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := startCPUProfile([]string{"dev"}, func(string) string { return "/nonexistent/dir/cpu.pprof" }); err == nil {
		t.Error("an unwritable profile path was accepted")
	}
}
