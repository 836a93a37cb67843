package i18n

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"text/template/parse"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sampleData is the template data every message must render with. A
// message using a field not listed here fails TestTemplatesExecute: add
// the field here when adding such a message.
var sampleData = map[string]any{
	"Count":          3,
	"Missing":        "utlysningsteksten",
	"Months":         36,
	"Cycle":          "Innovasjonsprisen 2027",
	"Deadline":       "1. mars 2027 kl. 23.59",
	"Date":           "1. mars 2027",
	"Name":           "Kari Nordmann",
	"Org":            "Asker",
	"Provider":       "ID-porten",
	"Successor":      "Ålesund",
	"Title":          "Organisasjoner",
	"Year":           2028,
	"From":           "Åpen for nominasjoner",
	"To":             "Publisert",
	"Page":           2,
	"Pages":          7,
	"Text":           "Beskriv hva som ble gjort i prosjektet",
	"Relative":       "om 4 dager",
	"Done":           12,
	"Total":          18,
	"Time":           "14.02",
	"Value":          "5",
	"Mean":           "3,7",
	"Std":            "1,2",
	"Link":           "https://heder.example/jury/abc",
	"Invited":        "Røyken",
	"Person":         "Kari Nordmann",
	"Min":            5,
	"Award":          "Innovasjonsprisen",
	"Lang":           "nynorsk",
	"Month":          "desember 2015",
	"Who":            "Difi",
	"Amount":         "500 000",
	"Municipalities": 18,
	"Projects":       33,
	"N":              3,
	"Kinds":          "Kommune, Fylkeskommune",
	"Phase":          "Avgjort",
	"Size":           "12,4 MB",
	"Downloaded":     "1. mars 2027 kl. 14.02",
	"Removes":        "2. mars 2027 kl. 14.02",
	"Round":          "Finale",
	"Names":          "Velferdslab og Smartby",
	"Ahead":          "Velferdslab",
	"Behind":         "Smartby",
	"For":            28,
	"Against":        24,
	"Path":           "Velferdslab → Fiksgata → Smartby",
}

// requiredIDs are the messages other packages rely on.
var requiredIDs = []string{
	"app.name", "app.tagline",
	"nav.home", "nav.about", "nav.login", "nav.logout", "nav.language", "nav.skip", "nav.menu",
	"lang.nb", "lang.nn", "lang.en",
	"home.title", "home.welcome", "home.anonymous_intro", "home.roles", "home.organisations",
	"home.no_organisations", "home.request_access",
	"role.admin", "role.submitter", "role.org_admin", "role.juror", "role.chair",
	"login.title", "login.choose_provider", "login.with", "login.failed_title", "login.failed_body",
	"login.try_again", "logout.done",
	"error.not_found_title", "error.not_found_body", "error.forbidden_title", "error.forbidden_body",
	"error.unavailable_title", "error.unavailable_body", "error.internal_title", "error.internal_body",
	"error.bad_request_title", "error.summary_title",
	"about.title", "about.body", "about.data_credit", "about.data_licence",
	"footer.accessibility",
	"orgs.title", "orgs.search_label", "orgs.search_button",
	"orgs.kind.municipality", "orgs.kind.county", "orgs.kind.ministry", "orgs.kind.other",
	"orgs.county", "orgs.number", "orgs.orgnr", "orgs.former", "orgs.members",
	"orgs.request_submitted", "orgs.request_approve", "orgs.request_reject", "orgs.requests_title",
	"orgs.add_member",
	"orgs.error.orgnr", "orgs.error.email_domain", "orgs.error.language", "orgs.error.role",
	"orgs.error.former", "form.error.too_long",
	"admin.title", "admin.grant_admin",
	"form.save", "form.cancel", "form.required",
	"deadline.in_days",
	"relative.in_days", "relative.in_hours", "relative.in_minutes", "relative.in_less_than_minute",
	"relative.days_ago", "relative.hours_ago", "relative.minutes_ago", "relative.less_than_minute_ago",
	"common.yes", "common.no",
}

func mustLoad(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestLangs(t *testing.T) {
	if diff := cmp.Diff([]string{"nb", "nn", "en"}, Langs); diff != "" {
		t.Errorf("Langs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Langs, supported); diff != "" {
		t.Errorf("supported differs from Langs (-Langs +supported):\n%s", diff)
	}
	if Langs[0] != Default {
		t.Errorf("Langs[0] = %q, want the default %q", Langs[0], Default)
	}
}

func TestRequiredIDs(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range Langs {
		ids := b.IDs(lang)
		var missing []string
		for _, id := range requiredIDs {
			if _, ok := slices.BinarySearch(ids, id); !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks required messages:\n\t%s", lang, strings.Join(missing, "\n\t"))
		}
	}
}

// TestSameIDs fails when a message ID exists in one language file but not
// in another.
func TestSameIDs(t *testing.T) {
	b := mustLoad(t)
	all := map[string]bool{}
	for _, lang := range Langs {
		for _, id := range b.IDs(lang) {
			all[id] = true
		}
	}
	for _, lang := range Langs {
		var missing []string
		for _, id := range slices.Sorted(maps.Keys(all)) {
			if b.messages[lang][id] == nil {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			t.Errorf("locales/active.%s.toml lacks %d message(s) defined in another language:\n\t%s",
				lang, len(missing), strings.Join(missing, "\n\t"))
		}
	}
}

func TestNoEmptyMessages(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range Langs {
		for _, id := range b.IDs(lang) {
			m := b.messages[lang][id]
			if strings.TrimSpace(m.Other) == "" {
				t.Errorf("%s %q: empty message", lang, id)
			}
			for form, src := range forms(m) {
				if strings.TrimSpace(src) == "" {
					t.Errorf("%s %q (%s): empty text", lang, id, form)
				}
				if src != strings.TrimSpace(src) {
					t.Errorf("%s %q (%s): leading or trailing space in %q", lang, id, form, src)
				}
			}
		}
	}
}

// TestPluralForms checks that nb, nn and en (whose plural rules have only
// "one" and "other") use only those forms, and that a message has the same
// forms in every language.
func TestPluralForms(t *testing.T) {
	b := mustLoad(t)
	for _, id := range b.IDs(Default) {
		want := slices.Sorted(maps.Keys(forms(b.messages[Default][id])))
		for _, lang := range Langs {
			m := b.messages[lang][id]
			if m == nil {
				continue // reported by TestSameIDs
			}
			got := slices.Sorted(maps.Keys(forms(m)))
			for _, f := range got {
				if f != "one" && f != "other" {
					t.Errorf("%s %q: plural form %q is never used in %s", lang, id, f, lang)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %q: plural forms %v, but %s has %v", lang, id, got, Default, want)
			}
			if m.One != "" && !slices.Contains(templateFields(t, m.ID, m.One), "Count") {
				t.Errorf("%s %q: plural message does not show {{.Count}}", lang, id)
			}
		}
	}
}

// templateFields returns the sorted top-level fields ({{.Name}}) src uses.
func templateFields(t *testing.T, id, src string) []string {
	t.Helper()
	trees, err := parse.Parse(id, src, "", "", map[string]any{})
	if err != nil {
		t.Errorf("%q: %v", id, err)
		return nil
	}
	seen := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			seen[n.Ident[0]] = true
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, tree := range trees {
		walk(tree.Root)
	}
	return slices.Sorted(maps.Keys(seen))
}

// TestTemplateFields checks that a message uses the same template fields
// in every language and form, so no translation drops or invents data.
func TestTemplateFields(t *testing.T) {
	b := mustLoad(t)
	for _, id := range b.IDs(Default) {
		m := b.messages[Default][id]
		want := templateFields(t, id, m.Other)
		for _, lang := range Langs {
			m := b.messages[lang][id]
			if m == nil {
				continue
			}
			for form, src := range forms(m) {
				if got := templateFields(t, id, src); !slices.Equal(got, want) {
					t.Errorf("%s %q (%s) uses fields %v, but %s other uses %v", lang, id, form, got, Default, want)
				}
			}
		}
	}
}

// TestTemplatesExecute renders every form of every message with the
// sample data, failing on fields the data lacks.
func TestTemplatesExecute(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range Langs {
		for _, id := range b.IDs(lang) {
			m := b.messages[lang][id]
			for form, src := range forms(m) {
				tmpl, err := parseForm(m, src)
				if err != nil {
					t.Errorf("%s %q (%s): %v", lang, id, form, err)
					continue
				}
				var sb strings.Builder
				if err := tmpl.Option("missingkey=error").Execute(&sb, sampleData); err != nil {
					t.Errorf("%s %q (%s): %v", lang, id, form, err)
					continue
				}
				if strings.Contains(sb.String(), "<no value>") {
					t.Errorf("%s %q (%s) renders %q", lang, id, form, sb.String())
				}
			}
			// And through T, as the application calls it.
			l := b.Localizer(lang)
			var kv []any
			for _, k := range slices.Sorted(maps.Keys(sampleData)) {
				kv = append(kv, k, sampleData[k])
			}
			got := l.T(id, kv...)
			if got == id || got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s T(%q) = %q", lang, id, got)
			}
		}
	}
}

func TestExactTexts(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang, id string
		kv       []any
		want     string
	}{
		{"nb", "app.name", nil, "Heder"},
		{"nn", "app.name", nil, "Heder"},
		{"en", "app.name", nil, "Heder"},
		{"nb", "app.tagline", nil, "Innovasjonspriser for offentlig sektor"},
		{"nb", "about.data_credit", nil, "Kilde: Statistisk sentralbyrå"},
		{"nn", "about.data_credit", nil, "Kilde: Statistisk sentralbyrå"},
		{"en", "about.data_credit", nil, "Source: Statistics Norway (Statistisk sentralbyrå)"},
		{"nb", "nav.login", nil, "Logg inn"},
		{"nn", "nav.login", nil, "Logg inn"},
		{"nb", "nav.logout", nil, "Logg ut"},
		{"nb", "nav.language", nil, "Språk"},
		{"nn", "nav.language", nil, "Språk"},
		{"nb", "nav.skip", nil, "Hopp til hovedinnhold"},
		{"nb", "lang.nb", nil, "Bokmål"},
		{"en", "lang.nn", nil, "Nynorsk"},
		{"nn", "lang.en", nil, "English"},
		{"nb", "login.failed_title", nil, "Innloggingen mislyktes"},
		{"nb", "login.try_again", nil, "Prøv igjen"},
		{"nb", "error.not_found_title", nil, "Fant ikke siden"},
		{"nb", "error.unavailable_title", nil, "Tjenesten er midlertidig utilgjengelig"},
		{"nb", "about.title", nil, "Om tjenesten"},
		{"nb", "footer.accessibility", nil, "Tilgjengelighetserklæring"},
		{"nn", "footer.accessibility", nil, "Tilgjengeerklæring"},
		{"nb", "orgs.title", nil, "Organisasjoner"},
		{"nn", "orgs.title", nil, "Organisasjonar"},
		{"nb", "role.submitter", nil, "Innsender"},
		{"nb", "role.org_admin", nil, "Organisasjonsadministrator"},
		{"nb", "role.juror", nil, "Jurymedlem"},
		{"nb", "role.chair", nil, "Juryleder"},
		{"nb", "home.welcome", []any{"Name", "Kari"}, "Velkommen, Kari"},
		{"nn", "home.welcome", []any{"Name", "Kari"}, "Velkomen, Kari"},
		{"en", "login.with", []any{"Provider", "ID-porten"}, "Log in with ID-porten"},
		{"nb", "orgs.former", []any{"Name", "Oslo kommune", "Date", "1. januar 2020", "Successor", "Oslo"},
			"Oslo kommune (til 1. januar 2020), nå Oslo"},
	}
	for _, tt := range tests {
		if got := b.Localizer(tt.lang).T(tt.id, tt.kv...); got != tt.want {
			t.Errorf("%s T(%q, %v) = %q, want %q", tt.lang, tt.id, tt.kv, got, tt.want)
		}
	}
}

// dayCount is a named integer type, as callers may pass.
type dayCount int

func TestTPlural(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		lang  string
		count any
		want  string
	}{
		{"nb", 0, "Fristen går ut om 0 dager"},
		{"nb", 1, "Fristen går ut om 1 dag"},
		{"nb", 2, "Fristen går ut om 2 dager"},
		{"nb", 21, "Fristen går ut om 21 dager"},
		{"nn", 1, "Fristen går ut om 1 dag"},
		{"nn", 5, "Fristen går ut om 5 dagar"},
		{"en", 1, "The deadline is in 1 day"},
		{"en", 14, "The deadline is in 14 days"},
		{"en", int64(1), "The deadline is in 1 day"},
		{"en", uint(1), "The deadline is in 1 day"},
		{"en", uint8(7), "The deadline is in 7 days"},
		{"en", dayCount(1), "The deadline is in 1 day"},
		{"en", "1", "The deadline is in 1 day"},
		{"en", 2.5, "The deadline is in 2.5 days"},
		// Counts go-i18n cannot use fall back to "other".
		{"en", "many", "The deadline is in many days"},
		{"en", nil, "The deadline is in <no value> days"},
	}
	for _, tt := range tests {
		if got := b.Localizer(tt.lang).T("deadline.in_days", "Count", tt.count); got != tt.want {
			t.Errorf("%s T(deadline.in_days, Count=%#v) = %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
}

func TestTEdgeCases(t *testing.T) {
	b := mustLoad(t)
	nb := b.Localizer("nb")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"missing ID", nb.T("no.such.message"), "no.such.message"},
		{"missing ID with data", nb.T("no.such.message", "Count", 2), "no.such.message"},
		{"empty ID", nb.T(""), ""},
		{"no data for template", nb.T("home.welcome"), "Velkommen, <no value>"},
		{"odd key/value list", nb.T("home.welcome", "Name", "Kari", "Extra"), "Velkommen, Kari"},
		{"non-string key", nb.T("home.welcome", 7, "x", "Name", "Kari"), "Velkommen, Kari"},
		{"extra data", nb.T("common.yes", "Name", "Kari"), "Ja"},
		{"nil localizer", (*Localizer)(nil).T("common.yes"), "common.yes"},
		{"zero localizer", (&Localizer{}).T("common.yes"), "common.yes"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if got := (*Localizer)(nil).Lang(); got != "nb" {
		t.Errorf("nil Localizer.Lang() = %q, want nb", got)
	}
}

func TestFallbackToBokmal(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/active.nb.toml": {Data: []byte("[\"a.b\"]\nother = \"bokmål\"\n[\"c.d\"]\nother = \"begge\"\n")},
		"locales/active.nn.toml": {Data: []byte("[\"c.d\"]\nother = \"båe\"\n")},
		"locales/active.en.toml": {Data: []byte("[\"c.d\"]\nother = \"both\"\n")},
	}
	b, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"nb": "bokmål", "nn": "bokmål", "en": "bokmål"} {
		if got := b.Localizer(lang).T("a.b"); got != want {
			t.Errorf("%s T(a.b) = %q, want %q", lang, got, want)
		}
	}
	for lang, want := range map[string]string{"nb": "begge", "nn": "båe", "en": "both"} {
		if got := b.Localizer(lang).T("c.d"); got != want {
			t.Errorf("%s T(c.d) = %q, want %q", lang, got, want)
		}
	}
	if diff := cmp.Diff([]string{"c.d"}, b.IDs("nn")); diff != "" {
		t.Errorf("IDs(nn) (-want +got):\n%s", diff)
	}
}

func TestLoadBroken(t *testing.T) {
	good := "[\"a.b\"]\nother = \"x\"\n"
	tests := []struct {
		name    string
		nn      string // the nn file; nb and en are good
		missing bool
		want    string // in the error
	}{
		{name: "missing file", missing: true, want: "active.nn.toml"},
		{name: "invalid TOML", nn: "[\"a.b\"\nother = \"x\"\n", want: "active.nn.toml"},
		{name: "bad template", nn: "[\"a.b\"]\nother = \"Hei {{.Name\"\n", want: `"a.b"`},
		{name: "empty message", nn: "[\"a.b\"]\nother = \"\"\n", want: `"a.b" has no text`},
		{name: "only one", nn: "[\"a.b\"]\none = \"en\"\n", want: `"a.b" has no text`},
		{name: "defined twice", nn: "[\"a.b\"]\nother = \"x\"\n[a.b]\nother = \"y\"\n", want: "more than once"},
		{name: "mixed keys", nn: "[\"a.b\"]\nother = \"x\"\nfoo = \"y\"\n", want: "active.nn.toml"},
		{name: "not a message file", nn: "\"a.b\" = 3\n", want: "active.nn.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"locales/active.nb.toml": {Data: []byte(good)},
				"locales/active.en.toml": {Data: []byte(good)},
			}
			if !tt.missing {
				fsys["locales/active.nn.toml"] = &fstest.MapFile{Data: []byte(tt.nn)}
			}
			b, err := load(fsys)
			if err == nil {
				t.Fatalf("load succeeded with IDs %v", b.IDs("nn"))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestLoadReportsAllProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/active.nb.toml": {Data: []byte("[\"a.b\"]\nother = \"{{\"\n[\"c.d\"]\nother = \"\"\n")},
		"locales/active.nn.toml": {Data: []byte("[\"a.b\"]\nother = \"x\"\n[\"c.d\"]\nother = \"y\"\n")},
	}
	_, err := load(fsys)
	if err == nil {
		t.Fatal("load succeeded")
	}
	for _, want := range []string{"active.nb.toml: \"a.b\"", "active.nb.toml: \"c.d\"", "active.en.toml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestIDs(t *testing.T) {
	b := mustLoad(t)
	ids := b.IDs("nb")
	if !slices.IsSorted(ids) {
		t.Error("IDs(nb) is not sorted")
	}
	if len(ids) < len(requiredIDs) {
		t.Errorf("IDs(nb) has %d IDs, want at least %d", len(ids), len(requiredIDs))
	}
	ids[0] = "changed"
	if b.IDs("nb")[0] == "changed" {
		t.Error("IDs returns the bundle's own slice")
	}
	if got := b.IDs("de"); got != nil {
		t.Errorf("IDs(de) = %v, want nil", got)
	}
}

func TestLocalizer(t *testing.T) {
	b := mustLoad(t)
	tests := map[string]string{
		"nb": "nb", "nn": "nn", "en": "en",
		"": "nb", "de": "nb", "xx-invalid-": "nb",
		"nb-NO": "nb", "no": "nb", "nn-NO": "nn", "EN": "en", "en-GB": "en",
	}
	for in, want := range tests {
		if got := b.Localizer(in).Lang(); got != want {
			t.Errorf("Localizer(%q).Lang() = %q, want %q", in, got, want)
		}
	}
	if b.Localizer("nn") != b.Localizer("nn") {
		t.Error("Localizer does not reuse localizers")
	}
	want := map[string]string{"nb": "Organisasjoner", "nn": "Organisasjonar", "en": "Organisations"}
	for lang, w := range want {
		if got := b.Localizer(lang).T("orgs.title"); got != w {
			t.Errorf("%s T(orgs.title) = %q, want %q", lang, got, w)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	b := mustLoad(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			l := b.Localizer(Langs[i%len(Langs)])
			for j := range 50 {
				l.T("deadline.in_days", "Count", j)
				l.T("home.welcome", "Name", "Kari")
				l.Relative(time.Unix(int64(j)*3600, 0), time.Unix(0, 0))
			}
		})
	}
	wg.Wait()
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		choice, accept, want string
	}{
		{"", "", "nb"},
		{"nb", "", "nb"},
		{"nn", "", "nn"},
		{"en", "", "en"},
		{"nn", "en-GB,en;q=0.9", "nn"},
		{"en", "nb-NO,nb;q=0.9", "en"},
		{"NN", "", "nn"},
		{" en ", "", "en"},
		{"nb-NO", "en", "nb"},
		{"de", "nn-NO", "nn"},
		{"<script>", "en", "en"},
		{"", "nb", "nb"},
		{"", "nn", "nn"},
		{"", "en", "en"},
		{"", "no", "nb"},
		{"", "nb-NO", "nb"},
		{"", "no-NO", "nb"},
		{"", "nn-NO", "nn"},
		{"", "no-nyn", "nn"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "nn-NO,nn;q=0.9,nb;q=0.8,en;q=0.7", "nn"},
		{"", "en;q=0.5,nn;q=0.8", "nn"},
		{"", "en;q=0.8,nb;q=0.8", "en"}, // equal q: first wins
		{"", "de-DE,de;q=0.9,en;q=0.8", "en"},
		{"", "sv-SE,da;q=0.8", "nb"},
		{"", "nn;q=0,en;q=0.1", "en"},
		{"", "nn;q=0", "nb"},
		{"", "nn;q=abc,en;q=0.5", "en"},
		{"", "nn;q=2,en;q=0.5", "en"},
		{"", "*", "nb"},
		{"", "*;q=0.5,nn", "nn"},
		{"", " NN-no ; Q=0.9 , en;q=0.1", "nn"},
		{"", "nb_NO", "nb"},
		{"", ",,;;==,", "nb"},
		{"", strings.Repeat("de,", 40) + "en", "nb"}, // only the first 32 entries count
	}
	for _, tt := range tests {
		if got := Negotiate(tt.choice, tt.accept); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.choice, tt.accept, got, tt.want)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestFormatTime(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		at       string
		nb, en   string
		dateNb   string
		dateEn   string
		nnEquals bool
	}{
		{"2027-03-01T22:59:00Z", "1. mars 2027 kl. 23.59", "1 March 2027 at 23:59", "1. mars 2027", "1 March 2027", true},
		{"2027-06-15T10:00:00Z", "15. juni 2027 kl. 12.00", "15 June 2027 at 12:00", "15. juni 2027", "15 June 2027", true},
		// Late evening UTC is already the next day in Oslo.
		{"2026-12-31T23:30:00Z", "1. januar 2027 kl. 00.30", "1 January 2027 at 00:30", "1. januar 2027", "1 January 2027", true},
		{"2027-05-17T07:05:59Z", "17. mai 2027 kl. 09.05", "17 May 2027 at 09:05", "17. mai 2027", "17 May 2027", true},
		// Either side of the switch to summer time, 28 March 2027 at 02.00.
		{"2027-03-28T00:59:00Z", "28. mars 2027 kl. 01.59", "28 March 2027 at 01:59", "28. mars 2027", "28 March 2027", true},
		{"2027-03-28T01:00:00Z", "28. mars 2027 kl. 03.00", "28 March 2027 at 03:00", "28. mars 2027", "28 March 2027", true},
		{"2027-10-20T12:00:00+02:00", "20. oktober 2027 kl. 12.00", "20 October 2027 at 12:00", "20. oktober 2027", "20 October 2027", true},
		{"2027-12-24T15:00:00-05:00", "24. desember 2027 kl. 21.00", "24 December 2027 at 21:00", "24. desember 2027", "24 December 2027", true},
	}
	nb, nn, en := b.Localizer("nb"), b.Localizer("nn"), b.Localizer("en")
	for _, tt := range tests {
		at := mustTime(t, tt.at)
		if got := nb.FormatTime(at); got != tt.nb {
			t.Errorf("nb FormatTime(%s) = %q, want %q", tt.at, got, tt.nb)
		}
		if got := nn.FormatTime(at); got != tt.nb {
			t.Errorf("nn FormatTime(%s) = %q, want %q", tt.at, got, tt.nb)
		}
		if got := en.FormatTime(at); got != tt.en {
			t.Errorf("en FormatTime(%s) = %q, want %q", tt.at, got, tt.en)
		}
		if got := nb.FormatDate(at); got != tt.dateNb {
			t.Errorf("nb FormatDate(%s) = %q, want %q", tt.at, got, tt.dateNb)
		}
		if got := nn.FormatDate(at); got != tt.dateNb {
			t.Errorf("nn FormatDate(%s) = %q, want %q", tt.at, got, tt.dateNb)
		}
		if got := en.FormatDate(at); got != tt.dateEn {
			t.Errorf("en FormatDate(%s) = %q, want %q", tt.at, got, tt.dateEn)
		}
	}
}

func TestMonthNames(t *testing.T) {
	b := mustLoad(t)
	want := map[string]string{
		"nb": "januar februar mars april mai juni juli august september oktober november desember",
		"nn": "januar februar mars april mai juni juli august september oktober november desember",
		"en": "January February March April May June July August September October November December",
	}
	for lang, w := range want {
		l := b.Localizer(lang)
		var got []string
		for m := time.January; m <= time.December; m++ {
			d := l.FormatDate(time.Date(2027, m, 10, 12, 0, 0, 0, Oslo()))
			got = append(got, strings.Fields(d)[1])
		}
		if diff := cmp.Diff(w, strings.Join(got, " ")); diff != "" {
			t.Errorf("%s months (-want +got):\n%s", lang, diff)
		}
	}
}

func TestOslo(t *testing.T) {
	if got := Oslo().String(); got != "Europe/Oslo" {
		t.Errorf("Oslo() = %q", got)
	}
}

func TestRelative(t *testing.T) {
	b := mustLoad(t)
	now := mustTime(t, "2027-02-10T12:00:00Z")
	const (
		min  = time.Minute
		hour = time.Hour
		day  = 24 * time.Hour
	)
	tests := []struct {
		d          time.Duration
		nb, nn, en string
	}{
		{3 * day, "om 3 dager", "om 3 dagar", "in 3 days"},
		{1 * day, "om 1 dag", "om 1 dag", "in 1 day"},
		{2*day + 23*hour, "om 2 dager", "om 2 dagar", "in 2 days"}, // never looks further away than it is
		{40 * day, "om 40 dager", "om 40 dagar", "in 40 days"},
		{5 * hour, "om 5 timer", "om 5 timar", "in 5 hours"},
		{1 * hour, "om 1 time", "om 1 time", "in 1 hour"},
		{23*hour + 59*min, "om 23 timer", "om 23 timar", "in 23 hours"},
		{10 * min, "om 10 minutter", "om 10 minutt", "in 10 minutes"},
		{1 * min, "om 1 minutt", "om 1 minutt", "in 1 minute"},
		{59*min + 59*time.Second, "om 59 minutter", "om 59 minutt", "in 59 minutes"},
		{30 * time.Second, "om mindre enn ett minutt", "om mindre enn eitt minutt", "in less than a minute"},
		{0, "om mindre enn ett minutt", "om mindre enn eitt minutt", "in less than a minute"},
		{-30 * time.Second, "for mindre enn ett minutt siden", "for mindre enn eitt minutt sidan", "less than a minute ago"},
		{-1 * min, "for 1 minutt siden", "for 1 minutt sidan", "1 minute ago"},
		{-10 * min, "for 10 minutter siden", "for 10 minutt sidan", "10 minutes ago"},
		{-1 * hour, "for 1 time siden", "for 1 time sidan", "1 hour ago"},
		{-5 * hour, "for 5 timer siden", "for 5 timar sidan", "5 hours ago"},
		{-1 * day, "for 1 dag siden", "for 1 dag sidan", "1 day ago"},
		{-2 * day, "for 2 dager siden", "for 2 dagar sidan", "2 days ago"},
		{-(2*day + 20*hour), "for 2 dager siden", "for 2 dagar sidan", "2 days ago"},
	}
	for _, tt := range tests {
		at := now.Add(tt.d)
		for lang, want := range map[string]string{"nb": tt.nb, "nn": tt.nn, "en": tt.en} {
			if got := b.Localizer(lang).Relative(at, now); got != want {
				t.Errorf("%s Relative(now%+v) = %q, want %q", lang, tt.d, got, want)
			}
		}
	}
	// Extremes do not overflow.
	far := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := b.Localizer("en").Relative(far, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); !strings.HasSuffix(got, "days ago") {
		t.Errorf("Relative(far past) = %q", got)
	}
}

func ExampleLocalizer_T() {
	b, err := Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	nn := b.Localizer(Negotiate("", "nn-NO,nb;q=0.8"))
	fmt.Println(nn.T("home.welcome", "Name", "Kari"))
	fmt.Println(nn.T("deadline.in_days", "Count", 1))
	fmt.Println(nn.T("deadline.in_days", "Count", 3))
	fmt.Println(nn.FormatTime(time.Date(2027, 3, 1, 22, 59, 0, 0, time.UTC)))
	// Output:
	// Velkomen, Kari
	// Fristen går ut om 1 dag
	// Fristen går ut om 3 dagar
	// 1. mars 2027 kl. 23.59
}

// TestTKeepsPlainMessages: a message asked for without data is kept and
// given again as it was; one with data is rendered with each call's data,
// and keeping the first does not change what later calls get.
func TestTKeepsPlainMessages(t *testing.T) {
	t.Parallel()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	nb, nn := b.Localizer("nb"), b.Localizer("nn")
	for range 2 {
		if got := nb.T("nav.login"); got == "nav.login" || got != nb.T("nav.login") {
			t.Errorf("nav.login: %q", got)
		}
		if got := nn.T("home.welcome", "Name", "Kari"); got != "Velkomen, Kari" {
			t.Errorf("nynorsk home.welcome: %q", got)
		}
		for _, name := range []string{"Kari", "Ola"} {
			if got, want := nb.T("home.welcome", "Name", name), "Velkommen, "+name; got != want {
				t.Errorf("home.welcome with %s: %q, want %q", name, got, want)
			}
		}
	}
	if got := nb.T("no.such.message"); got != "no.such.message" {
		t.Errorf("unknown ID: %q", got)
	}
}
