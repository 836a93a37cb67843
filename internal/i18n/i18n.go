package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Langs lists the supported languages, default first.
var Langs = []string{"nb", "nn", "en"}

// Default is the language used when nothing else is known or supported.
const Default = "nb"

// supported is the package's own copy of Langs, safe from callers that
// modify the exported slice.
var supported = []string{"nb", "nn", "en"}

//go:embed locales/*.toml
var locales embed.FS

// Bundle holds the messages of all supported languages. It is read-only
// after Load and safe for concurrent use.
type Bundle struct {
	bundle     *goi18n.Bundle
	messages   map[string]map[string]*goi18n.Message // lang → ID → message
	localizers map[string]*Localizer
}

// Localizer translates messages and formats times for one language. It is
// safe for concurrent use.
type Localizer struct {
	lang string
	loc  *goi18n.Localizer
	// plain keeps the messages asked for without data (ID → text):
	// they never change, and a page asks for dozens of them.
	plain sync.Map
}

// Load parses the embedded message files (locales/active.<lang>.toml and
// any locales/<area>.<lang>.toml for nb, nn and en). It fails when a file is missing or
// broken: invalid TOML, a message without text, an ID defined twice or a
// template that does not parse. All problems found are reported together.
func Load() (*Bundle, error) {
	return load(locales)
}

// load reads locales/*.<lang>.toml from fsys for every supported language.
func load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{
		bundle:     goi18n.NewBundle(language.MustParse(Default)),
		messages:   make(map[string]map[string]*goi18n.Message, len(supported)),
		localizers: make(map[string]*Localizer, len(supported)),
	}
	unmarshal := map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal}
	var errs []error
	for _, lang := range supported {
		// active.<lang>.toml holds the shared messages; each area of the app
		// may keep its own <area>.<lang>.toml beside it.
		names, _ := fs.Glob(fsys, path.Join("locales", "*."+lang+".toml"))
		if !slices.Contains(names, path.Join("locales", "active."+lang+".toml")) {
			errs = append(errs, fmt.Errorf("i18n: locales/active.%s.toml is missing", lang))
			continue
		}
		byID := map[string]*goi18n.Message{}
		var langErrs []error
		for _, name := range names {
			buf, err := fs.ReadFile(fsys, name)
			if err != nil {
				langErrs = append(langErrs, fmt.Errorf("i18n: %w", err))
				continue
			}
			mf, err := goi18n.ParseMessageFileBytes(buf, name, unmarshal)
			if err != nil {
				langErrs = append(langErrs, fmt.Errorf("i18n: %s: %w", name, err))
				continue
			}
			if mf.Tag.String() != lang {
				langErrs = append(langErrs, fmt.Errorf("i18n: %s: language %q, want %q", name, mf.Tag, lang))
				continue
			}
			for _, m := range mf.Messages {
				if _, dup := byID[m.ID]; dup {
					langErrs = append(langErrs, fmt.Errorf("i18n: %s: %q is defined more than once", name, m.ID))
					continue
				}
				byID[m.ID] = m
				langErrs = append(langErrs, checkMessage(name, m)...)
			}
			if err := b.bundle.AddMessages(mf.Tag, mf.Messages...); err != nil {
				langErrs = append(langErrs, fmt.Errorf("i18n: %s: %w", name, err))
			}
		}
		if len(langErrs) > 0 {
			errs = append(errs, langErrs...)
			continue
		}
		b.messages[lang] = byID
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return nil, errors.Join(errs...)
	}
	for _, lang := range supported {
		b.localizers[lang] = &Localizer{lang: lang, loc: goi18n.NewLocalizer(b.bundle, lang)}
	}
	return b, nil
}

// forms returns a message's plural forms that have text, by CLDR name.
func forms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for name, s := range map[string]string{
		"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other,
	} {
		if s != "" {
			out[name] = s
		}
	}
	return out
}

// parseForm parses one plural form of m the way go-i18n will execute it.
func parseForm(m *goi18n.Message, src string) (*template.Template, error) {
	left, right := m.LeftDelim, m.RightDelim
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	return template.New(m.ID).Delims(left, right).Parse(src)
}

// checkMessage reports what would make m fail or render badly at run time.
func checkMessage(file string, m *goi18n.Message) []error {
	var errs []error
	if m.ID == "" {
		return []error{fmt.Errorf("i18n: %s: message without ID", file)}
	}
	if strings.TrimSpace(m.Other) == "" {
		errs = append(errs, fmt.Errorf("i18n: %s: %q has no text (\"other\" is empty)", file, m.ID))
	}
	for name, src := range forms(m) {
		if _, err := parseForm(m, src); err != nil {
			errs = append(errs, fmt.Errorf("i18n: %s: %q (%s): %w", file, m.ID, name, err))
		}
	}
	return errs
}

// normalize maps a language tag to a supported language: nb, nb-NO, no,
// no-NO → nb; nn, nn-NO → nn; en, en-GB, en-US → en. Case and "_" versus
// "-" do not matter.
func normalize(tag string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(tag))
	t = strings.ReplaceAll(t, "_", "-")
	base, rest, _ := strings.Cut(t, "-")
	switch base {
	case "nb", "nob":
		return "nb", true
	case "no", "nor":
		if rest == "nyn" || strings.HasPrefix(rest, "nyn-") { // the grandfathered tag for nynorsk
			return "nn", true
		}
		return "nb", true
	case "nn", "nno":
		return "nn", true
	case "en", "eng":
		return "en", true
	}
	return "", false
}

// maxAcceptEntries bounds the work done on an Accept-Language header.
const maxAcceptEntries = 32

// Negotiate picks the language for a request: the explicit choice (from a
// cookie or query parameter) when it is supported, else the best supported
// language in the Accept-Language header by q-value (nb, nb-NO, no and
// no-NO mean bokmål; nn and nn-NO nynorsk; en-* English), else nb.
func Negotiate(choice, acceptLanguage string) string {
	if lang, ok := normalize(choice); ok {
		return lang
	}
	best, bestQ := Default, 0.0
	entries := strings.SplitN(acceptLanguage, ",", maxAcceptEntries+1)
	for _, entry := range entries[:min(len(entries), maxAcceptEntries)] {
		tag, params, _ := strings.Cut(entry, ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		if q <= bestQ {
			continue
		}
		if lang, ok := normalize(tag); ok {
			best, bestQ = lang, q
		}
	}
	return best
}

// Localizer returns the translator for lang. Tags like "nb-NO" are
// understood; unsupported languages get bokmål.
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := normalize(lang); ok {
		lang = l
	} else {
		lang = Default
	}
	if l := b.localizers[lang]; l != nil {
		return l
	}
	return &Localizer{lang: lang} // only for a Bundle not made by Load; T returns IDs
}

// IDs returns the message IDs defined for lang (one of Langs), sorted. It
// returns nil for an unsupported language.
func (b *Bundle) IDs(lang string) []string {
	msgs := b.messages[lang]
	if msgs == nil {
		return nil
	}
	ids := make([]string, 0, len(msgs))
	for id := range msgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Lang returns the language code in use: "nb", "nn" or "en".
func (l *Localizer) Lang() string {
	if l == nil || l.lang == "" {
		return Default
	}
	return l.lang
}

// T translates a message. Template data is given as alternating key/value
// pairs, l.T("home.welcome", "Name", name); the key "Count" also picks the
// plural form, l.T("deadline.in_days", "Count", 3). A message missing in
// the language falls back to bokmål; an unknown ID, or a message that
// cannot be rendered, gives the ID itself. T never panics.
func (l *Localizer) T(id string, kv ...any) (out string) {
	if l == nil || l.loc == nil {
		return id
	}
	defer func() {
		if recover() != nil {
			out = id
		}
	}()
	if len(kv) == 0 {
		if msg, ok := l.plain.Load(id); ok {
			return msg.(string)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2+1)
		for i := 0; i+1 < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				k = fmt.Sprint(kv[i])
			}
			data[k] = kv[i+1]
		}
		cfg.TemplateData = data
		if c, ok := data["Count"]; ok {
			cfg.PluralCount = pluralCount(c)
		}
	}
	msg, err := l.loc.Localize(cfg)
	if err == nil && len(kv) == 0 {
		l.plain.Store(id, msg)
	}
	if err == nil || msg != "" {
		return msg
	}
	var notFound *goi18n.MessageNotFoundErr
	if cfg.PluralCount != nil && !errors.As(err, &notFound) {
		// An unusable count: fall back to the "other" form.
		cfg.PluralCount = nil
		if msg, err = l.loc.Localize(cfg); err == nil || msg != "" {
			return msg
		}
	}
	return id
}

// pluralCount converts v to a type go-i18n accepts as a plural count
// (signed integers, floats and numeric strings), or nil.
func pluralCount(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	}
	return nil
}
