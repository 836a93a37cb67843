package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/web"
)

// Renderer holds the parsed templates, one per page, built at start-up so
// that a broken template stops the start, not a request.
type Renderer struct {
	pages  map[string]*template.Template
	hashes map[string]string
	logger *slog.Logger
}

// NewRenderer parses every page under web/templates/pages with the layouts.
func NewRenderer(logger *slog.Logger) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, hashes: map[string]string{}, logger: logger}
	if err := fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.Static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		r.hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	}); err != nil {
		return nil, fmt.Errorf("hash static files: %w", err)
	}
	funcs := template.FuncMap{
		"static": func(name string) (string, error) {
			h, ok := r.hashes[name]
			if !ok {
				return "", fmt.Errorf("static file %q missing: run make assets", name)
			}
			return "/static/" + name + "?v=" + h, nil
		},
		"roleKey": func(role awards.Role) string { return "role." + string(role) },
		"deref":   func(t *time.Time) time.Time { return *t },
		// nomSummary orders a nomination form's errors as its fields.
		"nomSummary":      nomSummary,
		"invitationColor": invitationColor,
		// langAttr marks a text whose language is not the page's (a
		// fallback to bokmål) with its lang attribute.
		"langAttr": langAttr,
	}
	pages, err := fs.Glob(web.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	// The layouts are parsed once and cloned for each page, which then adds
	// its own "content": parsing them per page cost 50 copies in memory.
	layouts, err := template.New("layouts").Funcs(funcs).ParseFS(web.Templates, "templates/layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	for _, p := range pages {
		t, err := layouts.Clone()
		if err == nil {
			t, err = t.ParseFS(web.Templates, p)
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return r, nil
}

// StaticVersion returns the content hash of a static file, "" if unknown.
func (r *Renderer) StaticVersion(name string) string { return r.hashes[name] }

// Lang is an entry of the language switch.
type Lang struct{ Code, Name string }

// Base is what every page's data starts with.
type Base struct {
	L     *i18n.Localizer
	Actor *awards.Actor
	Title string
	// Description is the page's meta description, for pages that have no
	// archive head of their own (which writes one from the page's content).
	Description      string
	Path             string
	Flash            string
	AccessibilityURL string
	ContactEmail     string
	Langs            []Lang
}

// layoutKey is everything the layout (base.html) shows besides the page's
// own title and content: the language, the path for the language links,
// the footer's addresses and the person in the header. A page kept whole
// (a scoring screen) is shown again only to a request whose layoutKey is
// the same, so whatever the layout comes to show must be in it. Pages
// with a flash message are not kept.
func layoutKey(b Base) string {
	var k strings.Builder
	for _, s := range []string{b.L.Lang(), b.Path, b.Description, b.AccessibilityURL, b.ContactEmail} {
		k.WriteString(s)
		k.WriteByte(0)
	}
	if a := b.Actor; a != nil && !a.Anonymous() {
		k.WriteString(a.User.Name)
		k.WriteByte(0)
		k.WriteString(strconv.FormatBool(a.User.IsAdmin) + strconv.FormatBool(a.AnyAdmin()))
		for _, m := range a.Memberships {
			k.WriteByte(0)
			k.WriteString(m.OrganisationName)
		}
	}
	return k.String()
}

// Render writes page with status, rendering into a buffer first so that a
// failing template never sends half a page.
func (r *Renderer) Render(w http.ResponseWriter, status int, page string, data any) {
	t, ok := r.pages[page]
	if !ok {
		r.logger.Error("template missing", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		r.logger.Error("render template", "page", page, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// Page renders page whole, for a handler that keeps it.
func (r *Renderer) Page(page string, data any) ([]byte, error) {
	t, ok := r.pages[page]
	if !ok {
		return nil, fmt.Errorf("template %s missing", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// Write sends a page rendered before (Page).
func (r *Renderer) Write(w http.ResponseWriter, status int, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

// langAttr is ` lang="…"` when a text in textLang is shown on a page in
// pageLang, else nothing: screen readers then read the text in its own
// language, and the page says which texts are not in the reader's.
func langAttr(textLang, pageLang string) template.HTMLAttr {
	if textLang == "" || textLang == pageLang {
		return ""
	}
	return template.HTMLAttr(` lang="` + template.HTMLEscapeString(textLang) + `"`)
}
