package main

import (
	"fmt"
	"sync"

	"github.com/heder-awards/heder/internal/replicatest"
)

// harness is this program's replicatest.TB. Fatalf ends the run with a
// panic that run recovers into an error, so it may only be called from
// run's own goroutine; the functions given to Cleanup run, last first,
// when close is called.
type harness struct {
	say func(format string, args ...any)

	mu       sync.Mutex
	cleanups []func()
	failed   bool
}

// fatal is what Fatalf panics with.
type fatal struct{ msg string }

func (h *harness) Helper() {}

func (h *harness) Cleanup(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cleanups = append(h.cleanups, f)
}

func (h *harness) Fatalf(format string, args ...any) {
	h.fail()
	panic(fatal{fmt.Sprintf(format, args...)})
}

func (h *harness) Logf(format string, args ...any) { h.say(format, args...) }

func (h *harness) Failed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failed
}

// fail marks the run failed, so that the harness prints the replicas'
// output when it stops them.
func (h *harness) fail() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failed = true
}

// close runs the cleanups, last first, and removes the built binary.
func (h *harness) close() {
	h.mu.Lock()
	fs := h.cleanups
	h.cleanups = nil
	h.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
	replicatest.Cleanup()
}
