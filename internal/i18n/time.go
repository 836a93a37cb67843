package i18n

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Oslo without system zoneinfo
)

var osloOnce = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil { // cannot happen with time/tzdata embedded
		panic("i18n: load Europe/Oslo: " + err.Error())
	}
	return loc
})

// Oslo returns the Europe/Oslo time zone, in which Heder shows all times
// and reads times people enter.
func Oslo() *time.Location { return osloOnce() }

var months = map[string][12]string{
	"nb": {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
	"nn": {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

func (l *Localizer) month(m time.Month) string {
	names, ok := months[l.Lang()]
	if !ok {
		names = months[Default]
	}
	return names[m-1]
}

// FormatDate formats the day of t in Europe/Oslo: "1. mars 2027" in nb
// and nn, "1 March 2027" in en.
func (l *Localizer) FormatDate(t time.Time) string {
	t = t.In(Oslo())
	if l.Lang() == "en" {
		return fmt.Sprintf("%d %s %d", t.Day(), l.month(t.Month()), t.Year())
	}
	return fmt.Sprintf("%d. %s %d", t.Day(), l.month(t.Month()), t.Year())
}

// FormatMonth formats the month of t in Europe/Oslo: "desember 2015" in
// nb and nn, "December 2015" in en.
func (l *Localizer) FormatMonth(t time.Time) string {
	t = t.In(Oslo())
	return fmt.Sprintf("%s %d", l.month(t.Month()), t.Year())
}

// FormatTime formats t in Europe/Oslo to the minute: "1. mars 2027 kl.
// 23.59" in nb and nn, "1 March 2027 at 23:59" in en.
func (l *Localizer) FormatTime(t time.Time) string {
	t = t.In(Oslo())
	if l.Lang() == "en" {
		return fmt.Sprintf("%s at %02d:%02d", l.FormatDate(t), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%s kl. %02d.%02d", l.FormatDate(t), t.Hour(), t.Minute())
}

// Relative says how far t (typically a deadline) is from now, in whole
// days, else whole hours, else whole minutes, rounded towards now so a
// deadline never looks further away than it is: "om 3 dager", "for 2
// dager siden" (nb); "om 3 dagar", "for 2 dagar sidan" (nn); "in 3 days",
// "2 days ago" (en). Under a minute either way it says so ("om mindre enn
// ett minutt").
func (l *Localizer) Relative(t, now time.Time) string {
	d := t.Sub(now)
	future := d >= 0
	if !future {
		d = -d
		if d < 0 { // -math.MinInt64
			d = 1<<63 - 1
		}
	}
	var unit string
	var n int64
	switch {
	case d >= 24*time.Hour:
		unit, n = "days", int64(d/(24*time.Hour))
	case d >= time.Hour:
		unit, n = "hours", int64(d/time.Hour)
	case d >= time.Minute:
		unit, n = "minutes", int64(d/time.Minute)
	default:
		if future {
			return l.T("relative.in_less_than_minute")
		}
		return l.T("relative.less_than_minute_ago")
	}
	if future {
		return l.T("relative.in_"+unit, "Count", n)
	}
	return l.T("relative."+unit+"_ago", "Count", n)
}
