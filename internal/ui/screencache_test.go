package ui

import (
	"testing"

	"github.com/heder-awards/heder/internal/scoring"
)

func TestScreenCache(t *testing.T) {
	c := NewScreenCache(200)
	key := func(user, nomination, version int64) screenKey {
		return screenKey{stamp: scoring.ScreenStamp{UserID: user, NominationID: nomination, Version: version}, lang: "nb", cycle: "c", deadline: "d"}
	}
	c.put(key(1, 1, 1), "A", make([]byte, 50))
	if title, _, ok := c.get(key(1, 1, 1)); !ok || title != "A" {
		t.Fatalf("kept screen: %q %v", title, ok)
	}
	// Another version of the same reader's screen is a miss, and replaces it.
	if _, _, ok := c.get(key(1, 1, 2)); ok {
		t.Fatal("another version was answered from the kept one")
	}
	c.put(key(1, 1, 2), "B", make([]byte, 50))
	if _, _, ok := c.get(key(1, 1, 1)); ok || c.size != 50 || len(c.slots) != 1 {
		t.Fatalf("the old version is still kept: %d bytes in %d slots", c.size, len(c.slots))
	}
	// Past the budget, the screen read longest ago goes.
	c.put(key(2, 1, 1), "C", make([]byte, 50))
	c.get(key(1, 1, 2))
	c.put(key(3, 1, 1), "D", make([]byte, 50))
	c.put(key(4, 1, 1), "E", make([]byte, 50))
	c.put(key(5, 1, 1), "F", make([]byte, 50))
	if _, _, ok := c.get(key(2, 1, 1)); ok {
		t.Error("the screen read longest ago is still kept past the budget")
	}
	if _, _, ok := c.get(key(1, 1, 2)); !ok {
		t.Error("the screen read last was forgotten")
	}
	if c.size > 200 {
		t.Errorf("%d bytes kept, budget 200", c.size)
	}
	// A screen larger than a quarter of the budget is not kept.
	c.put(key(6, 1, 1), "G", make([]byte, 51))
	if _, _, ok := c.get(key(6, 1, 1)); ok {
		t.Error("a screen larger than a quarter of the budget was kept")
	}
}
