package archive_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/awards"
)

func hitTitles(r archive.Results) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.Entry.Title)
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(year2017(past2, past))
	e.cycle(cycle{year: 2019, finalistsAt: future, noms: []nom{{org: "3901", title: "Framtiden", summary: "Hemmelig framtid.", outcome: "finalist"}}})
	e.cycle(cycle{year: 2018, publishAll: true, finalistsAt: past2, winnersAt: future, noms: []nom{
		{org: "1835", title: "Tenk Træna 2018", summary: "Vinneren i 2018.", outcome: "winner", statement: "Hemmelig begrunnelse"},
		{org: "3901", title: "Horten 2018", summary: "Svømmehall i Horten.", challenge: "renewal", outcome: "finalist"},
		{org: "3203", title: "Asker 2018", summary: "Ikke publisert ennå: svømmehall."},
	}})
	tests := []struct {
		name string
		q    archive.Query
		want []string
	}{
		// Norwegian stemming: the definite form finds the project's title.
		{"stemming", archive.Query{Text: "svømmehallen"}, []string{"Mulighetenes kommune", "Horten 2018"}},
		{"nominee's name", archive.Query{Text: "Asker"}, []string{"Mulighetenes kommune"}},
		// Words from the nomination's name and a project's text together.
		{"across texts", archive.Query{Text: "svømmehall Asker"}, []string{"Mulighetenes kommune"}},
		{"negation", archive.Query{Text: "svømmehall -Horten"}, []string{"Mulighetenes kommune"}},
		{"or", archive.Query{Text: "svømmehall or Træna", Year: 2017}, []string{"Tenk Træna", "Mulighetenes kommune"}},
		{"phrase", archive.Query{Text: `"Tenk Træna"`, Year: 2017}, []string{"Tenk Træna"}},
		{"year", archive.Query{Text: "svømmehall", Year: 2018}, []string{"Horten 2018"}},
		{"county", archive.Query{County: "39"}, []string{"Horten 2018", "Horten på tvers"}},
		{"challenge", archive.Query{Challenge: awards.ChallengeKnownTangle}, []string{"Fra idé til drift"}},
		// Embargoed, draft and withdrawn nominations are never found.
		{"embargoed winner", archive.Query{Text: "Hemmelig"}, nil},
		{"draft", archive.Query{Text: "utkast"}, nil},
		{"withdrawn", archive.Query{Text: "trukket"}, nil},
		{"stop words only", archive.Query{Text: "og i"}, nil},
		{"markup in the words", archive.Query{Text: "<script>alert(1)</script>"}, nil},
		{"browse", archive.Query{Year: 2018}, ifWinnerAmongFinalists([]string{"Horten 2018", "Tenk Træna 2018"}, []string{"Horten 2018"})},
		{"statement", archive.Query{Text: "begrunnelse"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := e.s.Search(e.ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitTitles(r)
			if tc.want == nil {
				tc.want = []string{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
			if r.Total != len(tc.want) {
				t.Errorf("total = %d, want %d", r.Total, len(tc.want))
			}
		})
	}
}

func TestSearchHighlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(cycle{year: 2017, winnersAt: past, noms: []nom{
		{org: "3203", title: "Svømmehall <script>alert(1)</script>", outcome: "winner", statement: "Flott",
			summary:  `En svømmehall med <img src=x onerror=alert(1)> og "hdrs" & <mark>falsk</mark> markering.`,
			projects: []proj{{title: "Holmen svømmehall", description: "Den mest energieffektive svømmehallen."}, {title: "Velferdslab"}}},
	}})
	r, err := e.s.Search(e.ctx, archive.Query{Text: "svømmehallen"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("search = %+v, %v", r, err)
	}
	h := r.Hits[0]
	if got, want := h.Title.HTML(), "<mark>Svømmehall</mark> &lt;script&gt;alert(1)&lt;/script&gt;"; got != want {
		t.Errorf("title = %s, want %s", got, want)
	}
	snippet := h.Snippet.HTML()
	for _, bad := range []string{"<img", "<script", "<mark>falsk"} {
		if strings.Contains(snippet, bad) {
			t.Errorf("snippet %s contains %s", snippet, bad)
		}
	}
	if !strings.Contains(snippet, "<mark>svømmehall</mark>") || !strings.Contains(snippet, "falsk") {
		t.Errorf("snippet = %s", snippet)
	}
	// Markup in stored text never becomes markup: ts_headline drops what
	// it parses as tags, and the rest is escaped.
	if !strings.Contains(snippet, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("snippet = %s", snippet)
	}
	want := []archive.ProjectHit{
		{PublicID: h.Projects[0].PublicID, Title: archive.Fragments{{Text: "Holmen "}, {Text: "svømmehall", Hit: true}}, Matched: true},
		{PublicID: h.Projects[1].PublicID, Title: archive.Fragments{{Text: "Velferdslab"}}},
	}
	if diff := cmp.Diff(want, h.Projects); diff != "" {
		t.Errorf("projects (-want +got):\n%s", diff)
	}
}

func TestSearchInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		q      archive.Query
		fields []string
	}{
		{archive.Query{Text: strings.Repeat("a", archive.MaxQuery+1)}, []string{"q"}},
		{archive.Query{Text: "a\x00b"}, []string{"q"}},
		{archive.Query{Text: "-svømmehall"}, []string{"q"}},
		{archive.Query{Year: 17}, []string{"year"}},
		{archive.Query{County: "Akershus"}, []string{"county"}},
		{archive.Query{Challenge: "krise"}, []string{"challenge"}},
		{archive.Query{Page: -1, PerPage: archive.MaxPerPage + 1}, []string{"page", "per_page"}},
	}
	for _, tc := range tests {
		_, err := e.s.Search(e.ctx, tc.q)
		var got []string
		for k := range awards.ErrorFields(err) {
			got = append(got, k)
		}
		if diff := cmp.Diff(sorted(tc.fields), sorted(got)); awards.ErrorCode(err) != awards.EInvalid || diff != "" {
			t.Errorf("%+v: %v (-want +got fields):\n%s", tc.q, err, diff)
		}
	}
}

func TestSearchPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var noms []nom
	for _, org := range []string{"3203", "3207", "3901", "1835", "0217"} {
		noms = append(noms, nom{org: org, title: "Innovasjon i " + org, summary: "Innovasjon."})
	}
	noms[0].outcome, noms[0].statement = "winner", "Flott"
	e.cycle(cycle{year: 2017, publishAll: true, winnersAt: past, noms: noms})
	var seen []string
	for page := 1; page <= 3; page++ {
		r, err := e.s.Search(e.ctx, archive.Query{Text: "innovasjon", Page: page, PerPage: 2})
		if err != nil || r.Total != 5 || r.Pages() != 3 {
			t.Fatalf("page %d: total %d, %v", page, r.Total, err)
		}
		seen = append(seen, hitTitles(r)...)
	}
	if len(seen) != 5 {
		t.Errorf("pages gave %v", seen)
	}
	r, err := e.s.Search(e.ctx, archive.Query{Text: "innovasjon", Page: 4, PerPage: 2})
	if err != nil || len(r.Hits) != 0 || r.Total != 5 {
		t.Errorf("past the end: %+v, %v", r, err)
	}
}

func TestSearchFacets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(year2017(past2, past))
	e.cycle(cycle{year: 2019, finalistsAt: future, noms: []nom{{org: "3203", title: "Snart", outcome: "finalist"}}})
	f, err := e.s.SearchFacets(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{2017}, f.Years); diff != "" {
		t.Errorf("years (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]archive.County{{"32", "Akershus"}, {"39", "Vestfold"}}, f.Counties); diff != "" {
		t.Errorf("counties (-want +got):\n%s", diff)
	}
}
