package deciding

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	t.Parallel()
	c := newCache(2, 10)
	var computed atomic.Int32
	ranked := func(version string, scores int) func() (*Ranking, error) {
		return func() (*Ranking, error) {
			computed.Add(1)
			return &Ranking{Version: version, scores: scores}, nil
		}
	}
	get := func(key, version string, scores int) *Ranking {
		t.Helper()
		r, err := c.get(key, version, ranked(version, scores))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := get("a", "1", 4)
	if get("a", "1", 4) != a || computed.Load() != 1 {
		t.Error("a kept ranking was computed again")
	}
	if get("a", "2", 4) == a || c.cost != 4 {
		t.Errorf("a new version reused the old ranking (cost %d)", c.cost)
	}
	get("b", "1", 4)
	get("c", "1", 4) // over the count: a or b goes
	if len(c.entries) != 2 || c.entries["c"] == nil || c.cost != 8 {
		t.Errorf("entries %v, cost %d", c.entries, c.cost)
	}
	get("d", "1", 9) // over the budget: all but d go
	if len(c.entries) != 1 || c.entries["d"] == nil || c.cost != 9 {
		t.Errorf("after a big one: entries %v, cost %d", c.entries, c.cost)
	}

	// A failed computation is not kept.
	boom := errors.New("boom")
	if _, err := c.get("e", "1", func() (*Ranking, error) { return nil, boom }); !errors.Is(err, boom) || c.entries["e"] != nil {
		t.Errorf("failed: %v, kept %v", err, c.entries["e"])
	}

	// Readers arriving during a computation wait for it.
	computed.Store(0)
	release := ranked("x", 1)
	slow := func() (*Ranking, error) { time.Sleep(50 * time.Millisecond); return release() }
	var wg sync.WaitGroup
	got := make([]*Ranking, 8)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], _ = c.get("f", "1", slow) }()
	}
	wg.Wait()
	for _, r := range got {
		if r != got[0] {
			t.Fatal("concurrent readers got different rankings")
		}
	}
	if computed.Load() != 1 {
		t.Errorf("computed %d times for concurrent readers", computed.Load())
	}
}

func TestKeptStates(t *testing.T) {
	t.Parallel()
	c := newCache(2, 10)
	now := time.Now()
	c.keepState(1, 3, 7, rankingState{Version: "v"}, now, time.Second)
	if st, ok := c.state(1, 3, 7, now.Add(500*time.Millisecond), time.Second); !ok || st.Version != "v" {
		t.Error("a fresh state was not trusted")
	}
	if _, ok := c.state(1, 4, 7, now, time.Second); ok {
		t.Error("another round's state was trusted")
	}
	if _, ok := c.state(1, 3, 7, now.Add(time.Second), time.Second); ok {
		t.Error("a stale state was trusted")
	}
	c.forget(1)
	if _, ok := c.state(1, 3, 7, now, time.Second); ok {
		t.Error("a forgotten state was trusted")
	}
}
