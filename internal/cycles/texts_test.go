package cycles_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
)

// TestCycleTexts keeps a cycle's description and call text in bokmål,
// nynorsk and English through create, update and copy, checks each of the
// six like the bokmål ones, and gives readers their written form with
// bokmål where one is missing.
func TestCycleTexts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.award(t, "pris")
	texts := func(c awards.Cycle) [6]string {
		return [6]string{c.Description, c.DescriptionNN, c.DescriptionEN, c.CallText, c.CallTextNN, c.CallTextEN}
	}
	c := e.cycle(t, "pris", 2030, cycles.CycleFields{Description: ptr("Beskrivelse"), DescriptionNN: ptr(" Skildring "),
		DescriptionEN: ptr("Description"), CallText: ptr("Send inn."), CallTextNN: ptr("Send inn no.\r\nAndre avsnitt."),
		CallTextEN: ptr("Apply.")})
	want := [6]string{"Beskrivelse", "Skildring", "Description", "Send inn.", "Send inn no.\nAndre avsnitt.", "Apply."}
	if diff := cmp.Diff(want, texts(c)); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}

	// An update changes only what it names; clearing a version is allowed.
	c, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{DescriptionNN: ptr(""), CallTextEN: ptr("Apply now.")})
	if err != nil {
		t.Fatal(err)
	}
	want = [6]string{"Beskrivelse", "", "Description", "Send inn.", "Send inn no.\nAndre avsnitt.", "Apply now."}
	if diff := cmp.Diff(want, texts(c)); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	got, err := e.s.Cycle(ctx, e.admin, c.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, texts(got)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}

	// The reader's written form, else bokmål, with the language it is in.
	for _, tc := range []struct {
		lang        string
		description awards.Text
		callText    awards.Text
	}{
		{"nb", awards.Text{Text: "Beskrivelse", Lang: "nb"}, awards.Text{Text: "Send inn.", Lang: "nb"}},
		{"nn", awards.Text{Text: "Beskrivelse", Lang: "nb"}, awards.Text{Text: "Send inn no.\nAndre avsnitt.", Lang: "nn"}},
		{"en", awards.Text{Text: "Description", Lang: "en"}, awards.Text{Text: "Apply now.", Lang: "en"}},
	} {
		if d, ct := got.DescriptionIn(tc.lang), got.CallTextIn(tc.lang); d != tc.description || ct != tc.callText {
			t.Errorf("in %s: %+v and %+v, want %+v and %+v", tc.lang, d, ct, tc.description, tc.callText)
		}
	}

	next, err := e.s.Copy(ctx, e.admin, c.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, texts(next)); diff != "" {
		t.Errorf("copied (-want +got):\n%s", diff)
	}

	// Each version is checked like bokmål, and a refusal changes nothing.
	long := strings.Repeat("x", 20001)
	_, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{DescriptionNN: ptr(long), DescriptionEN: ptr(long),
		CallTextNN: ptr("a\x00b"), CallTextEN: ptr(long)})
	wantFields(t, err, awards.EInvalid, map[string]string{"description_nn": "form.error.too_long",
		"description_en": "form.error.too_long", "call_text_nn": "cycles.error.text", "call_text_en": "form.error.too_long"})
	if got, err = e.s.Cycle(ctx, e.admin, c.PublicID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, texts(got)); diff != "" {
		t.Errorf("after a refusal (-want +got):\n%s", diff)
	}
}
