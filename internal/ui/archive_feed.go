package ui

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
)

// Atom (RFC 4287) documents.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomAuthor  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     string   `xml:"title"`
	Published string   `xml:"published"`
	Updated   string   `xml:"updated"`
	Link      atomLink `xml:"link"`
	Summary   atomText `xml:"summary"`
}

// atomText is plain text, so that no feed reader renders markup from a
// nomination.
type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// handleArchiveFeed serves the Atom feed of announcements: of every award
// at /priser/feed.atom, of one at /priser/{slug}/feed.atom.
func (h *Handler) handleArchiveFeed(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	award, announcements, err := h.Archive.Feed(r.Context(), slug)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	lang := l.Lang()
	self, page, title := "/priser/feed.atom", "/priser", l.T("archive.feed.title")
	if award != nil {
		self, page, title = awardPath(slug)+"/feed.atom", awardPath(slug), l.T("archive.feed.award_title", "Title", award.Name.In(lang))
	}
	base := strings.TrimSuffix(h.BaseURL, "/")
	f := atomFeed{Lang: lang, ID: base + withLang(self, lang), Title: title, Subtitle: l.T("archive.feed.subtitle"),
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links: []atomLink{{Href: base + withLang(self, lang), Rel: "self", Type: "application/atom+xml"},
			{Href: base + withLang(page, lang), Rel: "alternate", Type: "text/html", Hreflang: lang}},
		Author: atomAuthor{Name: l.T("app.name")}}
	m := archiveMeta{l: l, baseURL: base}
	for i, a := range announcements {
		at := a.At.UTC().Format(time.RFC3339)
		if i == 0 {
			f.Updated = at
		}
		link := base + withLang(cyclePath(a.Cycle.AwardSlug, a.Cycle.Year), lang)
		e := atomEntry{ID: base + cyclePath(a.Cycle.AwardSlug, a.Cycle.Year) + "#" + a.Kind, Published: at, Updated: at,
			Link: atomLink{Href: link, Rel: "alternate", Type: "text/html", Hreflang: lang}, Summary: atomText{Type: "text"}}
		names := func(es []archive.Entry) string {
			var out []string
			for _, e := range es {
				out = append(out, e.Names())
			}
			return strings.Join(out, ", ")
		}
		var lines []string
		if a.Kind == "winners" {
			e.Title = l.T("archive.feed.winners", "Title", a.Cycle.Title, "Name", names(a.Winners))
			if len(a.Winners) == 0 {
				e.Title = l.T("archive.feed.results", "Title", a.Cycle.Title)
			}
			for _, w := range a.Winners {
				lines = append(lines, m.Outcome(w.Outcome)+": "+w.Names()+" – "+w.Title, m.Text(w.Statement))
			}
			for _, hm := range a.Honourable {
				lines = append(lines, m.Outcome(hm.Outcome)+": "+hm.Names()+" – "+hm.Title, m.Text(hm.Statement))
			}
			if len(a.Finalists) > 0 {
				lines = append(lines, l.T("archive.feed.finalists_line", "Name", names(a.Finalists)))
			}
			if a.Applications > 0 {
				lines = append(lines, l.T("archive.feed.applications", "Count", a.Applications))
			}
		} else {
			e.Title = l.T("archive.feed.finalists", "Title", a.Cycle.Title, "Name", names(a.Finalists))
			for _, fi := range a.Finalists {
				lines = append(lines, fi.Names()+" – "+fi.Title)
			}
		}
		var kept []string
		for _, s := range lines {
			if s = strings.TrimSpace(s); s != "" {
				kept = append(kept, s)
			}
		}
		e.Summary.Body = strings.Join(kept, "\n\n")
		f.Entries = append(f.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// handleSitemapIndex serves /sitemap.xml: an index of the sitemap's
// parts, so that the archive can grow past the 50,000 URLs one sitemap may
// hold.
func (h *Handler) handleSitemapIndex(w http.ResponseWriter, r *http.Request) {
	n, err := h.Archive.SitemapParts(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	base := strings.TrimSuffix(h.BaseURL, "/")
	var b strings.Builder
	b.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 1; i <= n; i++ {
		b.WriteString(" <sitemap><loc>" + xmlText(base+"/sitemap-"+strconv.Itoa(i)+".xml") + "</loc></sitemap>\n")
	}
	b.WriteString("</sitemapindex>\n")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

// handleSitemap serves one part of the sitemap: every public page, with
// when it last changed and its other languages.
func (h *Handler) handleSitemap(w http.ResponseWriter, r *http.Request) {
	part, err := strconv.Atoi(chi.URLParam(r, "part"))
	if err != nil {
		h.NotFound(w, r)
		return
	}
	urls, err := h.Archive.Sitemap(r.Context(), part)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	base := strings.TrimSuffix(h.BaseURL, "/")
	var b strings.Builder
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, u := range urls {
		b.WriteString(" <url><loc>" + xmlText(base+u.Path) + "</loc>")
		if !u.Updated.IsZero() {
			b.WriteString("<lastmod>" + u.Updated.UTC().Format(time.RFC3339) + "</lastmod>")
		}
		for _, lang := range i18n.Langs {
			b.WriteString(`<xhtml:link rel="alternate" hreflang="` + lang + `" href="` + xmlText(base+withLang(u.Path, lang)) + `"/>`)
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// handleRobots points crawlers to the sitemap.
func (h *Handler) handleRobots(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("User-agent: *\nAllow: /\n\nSitemap: " + strings.TrimSuffix(h.BaseURL, "/") + "/sitemap.xml\n"))
}
