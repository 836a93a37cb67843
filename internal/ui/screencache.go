package ui

import (
	"container/list"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/scoring"
)

// DefaultScreenBudget is how many bytes of rendered scoring screens a
// server keeps: a screen takes about 40 kB, so some 400 of them, the ones
// read last.
const DefaultScreenBudget = 16 << 20

// ScreenCache keeps rendered scoring screens by what they show. A request
// reads the reader's rights and the cycle's version of its jury data from
// the database first, every time (other servers write to the same
// database), and is answered from here only when its key is the one the
// kept screen was rendered under.
type ScreenCache struct {
	mu     sync.Mutex
	budget int
	size   int
	lru    *list.List // of *screenEntry, the last read at the front
	slots  map[screenSlot]*list.Element
}

// screenKey is everything a screen depends on: what the database says
// (the stamp), the language, the cycle as the URL names it, the
// deadline's text, which changes with the clock alone ("om 4 dager"), and
// what the layout around it shows (layoutKey).
type screenKey struct {
	stamp    scoring.ScreenStamp
	lang     string
	cycle    string
	deadline string
	layout   string
}

// screenSlot is where a reader's screen of a nomination is kept: one
// screen each, so that a new version replaces the old.
type screenSlot struct {
	user, nomination int64
	lang             string
}

type screenEntry struct {
	slot screenSlot
	key  screenKey
	page []byte
}

// NewScreenCache keeps at most budget bytes of screens.
func NewScreenCache(budget int) *ScreenCache {
	return &ScreenCache{budget: budget, lru: list.New(), slots: map[screenSlot]*list.Element{}}
}

func slotOf(k screenKey) screenSlot {
	return screenSlot{user: k.stamp.UserID, nomination: k.stamp.NominationID, lang: k.lang}
}

// get returns the screen kept under k.
func (c *ScreenCache) get(k screenKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.slots[slotOf(k)]
	if !ok {
		return nil, false
	}
	e := el.Value.(*screenEntry)
	if e.key != k {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.page, true
}

// put keeps a screen under k, in place of the reader's older one of the
// nomination, and forgets the screens read longest ago beyond the budget.
func (c *ScreenCache) put(k screenKey, page []byte) {
	if len(page) > c.budget/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := slotOf(k)
	if el, ok := c.slots[s]; ok {
		c.remove(el)
	}
	c.slots[s] = c.lru.PushFront(&screenEntry{slot: s, key: k, page: page})
	c.size += len(page)
	for c.size > c.budget {
		c.remove(c.lru.Back())
	}
}

// remove forgets one entry; c.mu is held.
func (c *ScreenCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*screenEntry)
	delete(c.slots, e.slot)
	c.size -= len(e.page)
}

// handleScoringShow shows a scoring screen. It is kept whole
// (Handler.Screens) under what it shows, checked against the database on
// every request: the reader's rights and the cycle's version of its jury
// data, which every write to a row it shows raises.
func (h *Handler) handleScoringShow(w http.ResponseWriter, r *http.Request) {
	ctx, actor, cycle := r.Context(), h.actor(r), chi.URLParam(r, "cycle")
	c, err := h.Scoring.CheckScreen(ctx, actor, cycle, chi.URLParam(r, "id"))
	if err != nil {
		h.juryError(w, r, err)
		return
	}
	stamp, keep := c.Stamp(actor)
	// A flash message is shown once: that page is not kept.
	keep = keep && h.Screens != nil && !h.Auth.Sessions.Exists(ctx, "flash")
	var key screenKey
	if keep {
		b := h.base(r, "")
		key = screenKey{stamp: stamp, lang: b.L.Lang(), cycle: cycle, deadline: deadlineText(b.L, c.Cycle(), c.Now()), layout: layoutKey(b)}
		if page, ok := h.Screens.get(key); ok {
			h.Renderer.Write(w, http.StatusOK, page)
			return
		}
	}
	s, err := h.Scoring.ScreenOf(ctx, c)
	if err != nil {
		h.juryError(w, r, err)
		return
	}
	p := h.scoringPage(r, s, nil, nil)
	page, err := h.Renderer.Page("jury_nomination", p)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if keep {
		h.Screens.put(key, page)
	}
	h.Renderer.Write(w, http.StatusOK, page)
}
