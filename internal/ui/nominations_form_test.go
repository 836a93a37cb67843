package ui

import (
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/i18n"
)

// A refused project form's error summary lists the fields top to bottom,
// measured results by row, not in the order of the field names, and each
// message names its field.
func TestNomSummaryFollowsTheForm(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("nb")
	errs := map[string]string{"links": "l", "title": "t", "measure-10-label": "m10", "measure-2-unit": "m2u",
		"measure-2-label": "m2l", "description": "d", "period_end": "pe", "partners": "p", "zz-other": "z"}
	var got, msgs []string
	for _, e := range nomSummary(l, errs) {
		got = append(got, e.ID)
		msgs = append(msgs, e.Message)
	}
	want := []string{"title", "description", "measure-2-label", "measure-2-unit", "measure-10-label", "partners",
		"period_end", "links", "zz-other"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	wantMsgs := []string{"Tittel: t", "Hva ble gjort? d", "Hva er målt, rad 3: m2l", "Enhet, rad 3: m2u", "Hva er målt, rad 11: m10",
		"Samarbeidspartnere: p", "Sluttdato: pe", "Lenker: l", "z"}
	if !slices.Equal(msgs, wantMsgs) {
		t.Errorf("messages %q, want %q", msgs, wantMsgs)
	}
}
