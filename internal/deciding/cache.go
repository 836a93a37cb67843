package deciding

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultStateTTL is how long a version read from the database is
// trusted before it is read again (Service.StateTTL): a busy ranking page
// then costs the database little more than its login checks, and a
// juror's newly submitted scores show within a second. The service's own
// changes forget it at once.
const DefaultStateTTL = time.Second

// cache keeps computed rankings by key (a cycle, a round and the
// nominations left out for a reader), each with the version of the data
// it came from. When several requests miss at once, one computes and the
// others wait for it. It also keeps, briefly, the version of each round
// each seat (or admin) last read.
type cache struct {
	mu      sync.Mutex
	max     int // entries
	budget  int // scores in all kept rankings together
	cost    int
	entries map[string]*entry
	states  map[string]keptState
}

type keptState struct {
	st rankingState
	at time.Time
}

type entry struct {
	version string
	ready   chan struct{} // closed when r and err are set
	r       *Ranking
	err     error
	cost    int // the ranking's number of scores
}

// newCache keeps at most max rankings of at most budget scores together
// (a ranking of 600,000 scores takes about 50 MB), and always the last.
func newCache(max, budget int) *cache {
	return &cache{max: max, budget: budget, entries: map[string]*entry{}, states: map[string]keptState{}}
}

func stateKey(cycleID, roundID, jurorID int64) string {
	return strconv.FormatInt(cycleID, 10) + "/" + strconv.FormatInt(roundID, 10) + "/" + strconv.FormatInt(jurorID, 10)
}

// state returns the version of the round last read for the cycle and
// seat, if it was read less than ttl ago.
func (c *cache) state(cycleID, roundID, jurorID int64, now time.Time, ttl time.Duration) (rankingState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.states[stateKey(cycleID, roundID, jurorID)]
	return k.st, ok && now.Sub(k.at) < ttl
}

func (c *cache) keepState(cycleID, roundID, jurorID int64, st rankingState, at time.Time, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.states) >= 1024 {
		for k, v := range c.states {
			if at.Sub(v.at) >= ttl {
				delete(c.states, k)
			}
		}
	}
	c.states[stateKey(cycleID, roundID, jurorID)] = keptState{st, at}
}

// forget drops the versions kept for a cycle, after a change to it.
func (c *cache) forget(cycleID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := strconv.FormatInt(cycleID, 10) + "/"
	for k := range c.states {
		if strings.HasPrefix(k, prefix) {
			delete(c.states, k)
		}
	}
}

// get returns the ranking kept under key when its version is version (or
// is being computed for it), else computes, keeps and returns it. A
// failed computation is not kept.
func (c *cache) get(key, version string, compute func() (*Ranking, error)) (*Ranking, error) {
	c.mu.Lock()
	if e := c.entries[key]; e != nil && e.version == version {
		c.mu.Unlock()
		<-e.ready
		return e.r, e.err
	}
	e := &entry{version: version, ready: make(chan struct{})}
	if old := c.entries[key]; old != nil {
		c.drop(key, old)
	}
	for len(c.entries) >= c.max && c.evict(key) {
	}
	c.entries[key] = e
	c.mu.Unlock()

	e.r, e.err = compute()
	c.mu.Lock()
	switch {
	case c.entries[key] != e:
	case e.err != nil:
		delete(c.entries, key)
	default:
		// Keyed by the version the computation actually read, which is
		// newer when the data changed in between.
		e.version = e.r.Version
		e.cost = e.r.scores
		c.cost += e.cost
		for c.cost > c.budget && c.evict(key) {
		}
	}
	c.mu.Unlock()
	close(e.ready)
	return e.r, e.err
}

// drop forgets an entry; c.mu is held.
func (c *cache) drop(key string, e *entry) {
	delete(c.entries, key)
	c.cost -= e.cost
}

// evict drops one finished entry other than keep (any: the map's order
// is random) and reports whether there was one; c.mu is held.
func (c *cache) evict(keep string) bool {
	for k, e := range c.entries {
		if k == keep {
			continue
		}
		select {
		case <-e.ready:
			c.drop(k, e)
			return true
		default:
		}
	}
	return false
}
