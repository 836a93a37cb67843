package ui

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/scoring"
)

func TestScreenCache(t *testing.T) {
	c := NewScreenCache(200)
	key := func(user, nomination, version int64) screenKey {
		return screenKey{stamp: scoring.ScreenStamp{UserID: user, NominationID: nomination, Version: version}, lang: "nb", cycle: "c", deadline: "d"}
	}
	c.put(key(1, 1, 1), make([]byte, 50))
	if page, ok := c.get(key(1, 1, 1)); !ok || len(page) != 50 {
		t.Fatalf("kept screen: %d bytes, %v", len(page), ok)
	}
	// Another version of the same reader's screen is a miss, and replaces it.
	if _, ok := c.get(key(1, 1, 2)); ok {
		t.Fatal("another version was answered from the kept one")
	}
	c.put(key(1, 1, 2), make([]byte, 50))
	if _, ok := c.get(key(1, 1, 1)); ok || c.size != 50 || len(c.slots) != 1 {
		t.Fatalf("the old version is still kept: %d bytes in %d slots", c.size, len(c.slots))
	}
	// Past the budget, the screen read longest ago goes.
	c.put(key(2, 1, 1), make([]byte, 50))
	c.get(key(1, 1, 2))
	c.put(key(3, 1, 1), make([]byte, 50))
	c.put(key(4, 1, 1), make([]byte, 50))
	c.put(key(5, 1, 1), make([]byte, 50))
	if _, ok := c.get(key(2, 1, 1)); ok {
		t.Error("the screen read longest ago is still kept past the budget")
	}
	if _, ok := c.get(key(1, 1, 2)); !ok {
		t.Error("the screen read last was forgotten")
	}
	if c.size > 200 {
		t.Errorf("%d bytes kept, budget 200", c.size)
	}
	// A screen larger than a quarter of the budget is not kept.
	c.put(key(6, 1, 1), make([]byte, 51))
	if _, ok := c.get(key(6, 1, 1)); ok {
		t.Error("a screen larger than a quarter of the budget was kept")
	}
}

func TestLayoutKey(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	base := func(lang, path string, a *awards.Actor) Base {
		return Base{L: b.Localizer(lang), Path: path, Actor: a}
	}
	user := func(name string, admin bool, orgs ...string) *awards.Actor {
		a := &awards.Actor{User: awards.User{ID: 1, Name: name, IsAdmin: admin}}
		for _, o := range orgs {
			a.Memberships = append(a.Memberships, awards.Membership{OrganisationName: o})
		}
		return a
	}
	same := layoutKey(base("nb", "/a", user("Kari", false, "Asker")))
	for name, other := range map[string]Base{
		"language":   base("nn", "/a", user("Kari", false, "Asker")),
		"path":       base("nb", "/b", user("Kari", false, "Asker")),
		"name":       base("nb", "/a", user("Kari Nordmann", false, "Asker")),
		"admin":      base("nb", "/a", user("Kari", true, "Asker")),
		"membership": base("nb", "/a", user("Kari", false, "Asker", "Bærum")),
		"anonymous":  base("nb", "/a", &awards.Actor{}),
	} {
		if layoutKey(other) == same {
			t.Errorf("another %s gives the same layout key", name)
		}
	}
	if layoutKey(base("nb", "/a", user("Kari", false, "Asker"))) != same {
		t.Error("the same layout gives another key")
	}
}
