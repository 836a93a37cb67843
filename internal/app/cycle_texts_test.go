package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestCycleTextsWrittenForms keeps a cycle's six texts (description and
// call text in bokmål, nynorsk and English) through the API and the
// admin's form, and shows readers of the in-app cycle page and the public
// archive their written form, or bokmål marked lang="nb" where theirs is
// missing.
func TestCycleTextsWrittenForms(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	admin, kari, anon := a.Login(t, "admin"), a.Login(t, "asker"), a.Client(t)
	do := func(c *http.Client, method, path, body string, status int) string {
		t.Helper()
		got, answer := a.Do(t, c, method, path, body)
		if got != status {
			t.Fatalf("%s %s: %d, want %d\n%.600s", method, path, got, status, answer)
		}
		return answer
	}
	want := func(body string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("answer lacks %s\n%.3000s", w, body)
			}
		}
	}

	// The API round trip.
	do(admin, "POST", "/api/v1/awards", `{"slug":"sprak","name_nb":"Språkprisen","name_nn":"Språkprisen"}`, http.StatusCreated)
	body := do(admin, "POST", "/api/v1/awards/sprak/cycles", `{"year":2031,"title":"Språkprisen 2031",`+
		`"description":"Beskrivelse NB","description_nn":"Skildring NN","description_en":"Description EN",`+
		`"call_text":"Utlysning NB","call_text_nn":"Utlysing NN","call_text_en":"Call EN"}`, http.StatusCreated)
	id := cyclesDecode[struct{ ID string }](t, body).ID
	api := "/api/v1/cycles/" + id
	want(do(admin, "GET", api, "", http.StatusOK), `"description":"Beskrivelse NB"`, `"description_nn":"Skildring NN"`,
		`"description_en":"Description EN"`, `"call_text":"Utlysning NB"`, `"call_text_nn":"Utlysing NN"`, `"call_text_en":"Call EN"`)

	// The form shows all six, the translations marked with their
	// language, and saves all six.
	page := "/admin/sykluser/" + id
	want(do(admin, "GET", page, "", http.StatusOK), `name="description_nn" rows="4" maxlength="20000" lang="nn">Skildring NN</textarea>`,
		`lang="en">Description EN</textarea>`, `lang="nn">Utlysing NN</textarea>`, `lang="en">Call EN</textarea>`,
		">Beskrivelse NB</textarea>", ">Utlysning NB</textarea>")
	form := url.Values{"year": {"2031"}, "title": {"Språkprisen 2031"}, "eligible_kinds": {"municipality"},
		"max_nominations_per_org": {"1"}, "max_projects": {"3"},
		"description": {"Beskrivelse bokmål"}, "description_nn": {"Skildring nynorsk"}, "description_en": {"Description English"},
		"call_text": {"Utlysning bokmål"}, "call_text_nn": {"Utlysing nynorsk"}, "call_text_en": {"Call English"}}
	do(admin, "POST", page, form.Encode(), http.StatusSeeOther)
	want(do(admin, "GET", api, "", http.StatusOK), `"description":"Beskrivelse bokmål"`, `"description_nn":"Skildring nynorsk"`,
		`"description_en":"Description English"`, `"call_text":"Utlysning bokmål"`, `"call_text_nn":"Utlysing nynorsk"`,
		`"call_text_en":"Call English"`)

	// Readers of the in-app page get their written form, unmarked.
	do(admin, "POST", page+"/fase", "to=open", http.StatusSeeOther)
	cyclePage := "/sykluser/" + id
	inLang := func(c *http.Client, lang string) string {
		t.Helper()
		do(c, "GET", "/lang/"+lang+"?next=/", "", http.StatusSeeOther)
		return do(c, "GET", cyclePage, "", http.StatusOK)
	}
	nn := inLang(kari, "nn")
	want(nn, `data-size="lg">Skildring nynorsk</p>`, `<p class="ds-paragraph cycle-text">Utlysing nynorsk</p>`)
	en := inLang(kari, "en")
	want(en, `data-size="lg">Description English</p>`, `<p class="ds-paragraph cycle-text">Call English</p>`)
	nb := inLang(kari, "nb")
	want(nb, `data-size="lg">Beskrivelse bokmål</p>`, `<p class="ds-paragraph cycle-text">Utlysning bokmål</p>`)

	// Without their version they get bokmål, marked as such.
	do(admin, "PATCH", api, `{"description_nn":"","call_text_nn":"","description_en":"","call_text_en":""}`, http.StatusOK)
	want(inLang(kari, "nn"), `data-size="lg" lang="nb">Beskrivelse bokmål</p>`, `<p class="ds-paragraph cycle-text" lang="nb">Utlysning bokmål</p>`)
	want(inLang(kari, "en"), `data-size="lg" lang="nb">Beskrivelse bokmål</p>`, `<p class="ds-paragraph cycle-text" lang="nb">Utlysning bokmål</p>`)
	if nb := inLang(kari, "nb"); strings.Contains(nb, `lang="nb">Beskrivelse`) || strings.Contains(nb, `lang="nb">Utlysning`) {
		t.Error(`a bokmål page marks bokmål with lang="nb"`)
	}

	// The public archive: the history's 2017 has no texts of its own; give
	// it a description in bokmål and nynorsk and a call text in bokmål and
	// English.
	list := do(admin, "GET", "/api/v1/awards/kommunal-innovasjonspris/cycles", "", http.StatusOK)
	var y2017 string
	for _, c := range cyclesDecode[struct {
		Items []struct {
			ID   string
			Year int
		}
	}](t, list).Items {
		if c.Year == 2017 {
			y2017 = c.ID
		}
	}
	if y2017 == "" {
		t.Fatalf("no 2017 in %.300s", list)
	}
	do(admin, "PATCH", "/api/v1/cycles/"+y2017, `{"description":"Prisen for 2017 ble delt ut i Arendal.","description_nn":"Prisen for 2017 vart delt ut i Arendal.",`+
		`"call_text":"Kommunen søker med én søknad.","call_text_en":"Apply with up to three projects."}`,
		http.StatusOK)
	archive := "/priser/kommunal-innovasjonspris/2017"
	nn = do(anon, "GET", archive+"?lang=nn", "", http.StatusOK)
	want(nn, `<p class="ds-paragraph" data-size="lg">Prisen for 2017 vart delt ut i Arendal.</p>`,
		`<p class="ds-paragraph" lang="nb">Kommunen søker med én søknad`)
	en = do(anon, "GET", archive+"?lang=en", "", http.StatusOK)
	want(en, `<p class="ds-paragraph" data-size="lg" lang="nb">Prisen for 2017 ble delt ut i Arendal.`,
		`<p class="ds-paragraph">Apply with up to three projects.</p>`)
	want(do(anon, "GET", "/api/v1/public/awards/kommunal-innovasjonspris/2017", "", http.StatusOK),
		`"nn":"Prisen for 2017 vart delt ut i Arendal."`, `"en":"Apply with up to three projects."`)
}
