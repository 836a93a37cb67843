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
	"regexp"
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
	// One set holds every page: the layouts once, each page's "content"
	// and "head" under names of its own ("content jury_nomination"), and a
	// "base NAME" for each page, base.html calling the page's own. A clone
	// of the layouts for each page held 16 of the 28 MB an idle server
	// keeps.
	set := template.New("layouts").Funcs(funcs)
	layouts, err := fs.Glob(web.Templates, "templates/layouts/*.html")
	if err != nil {
		return nil, err
	}
	var base string
	for _, p := range layouts {
		b, err := fs.ReadFile(web.Templates, p)
		if err != nil {
			return nil, err
		}
		if path.Base(p) == "base.html" {
			base = string(b)
			continue
		}
		if _, err := set.New(path.Base(p)).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		b, err := fs.ReadFile(web.Templates, p)
		if err != nil {
			return nil, err
		}
		page, err := ownNames(name, base, string(b))
		for _, m := range defineRE.FindAllStringSubmatch(page, -1) {
			if err == nil && set.Lookup(m[1]) != nil {
				err = fmt.Errorf("template %q is defined twice", m[1]) // one page would show another's
			}
		}
		if err == nil {
			_, err = set.New(path.Base(p)).Parse(page)
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		r.pages[name] = set.Lookup("base " + name)
	}
	return r, nil
}

var defineRE = regexp.MustCompile(`{{define "([^"]+)"}}`)

// ownNames returns a page's templates with the layout base.html, each
// under the page's own names: "base NAME", "content NAME", "head NAME".
func ownNames(name, base, page string) (string, error) {
	rename := func(text, old, new string) (string, error) {
		if strings.Count(text, old) != 1 {
			return "", fmt.Errorf("%s: want %s once", name, old)
		}
		return strings.Replace(text, old, new, 1), nil
	}
	out, err := rename(page, `{{define "content"}}`, `{{define "content `+name+`"}}`)
	if err != nil {
		return "", err
	}
	if strings.Contains(out, `{{define "head"}}`) {
		if out, err = rename(out, `{{define "head"}}`, `{{define "head `+name+`"}}`); err != nil {
			return "", err
		}
	} else {
		out += `{{define "head ` + name + `"}}{{end}}`
	}
	b, err := rename(base, `{{define "base"}}`, `{{define "base `+name+`"}}`)
	if err == nil {
		b, err = rename(b, `{{template "content" .}}`, `{{template "content `+name+`" .}}`)
	}
	if err == nil {
		b, err = rename(b, `{{block "head" .}}{{end}}`, `{{template "head `+name+`" .}}`)
	}
	return b + out, err
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
	if err := t.Execute(&buf, data); err != nil {
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
	if err := t.Execute(&buf, data); err != nil {
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
