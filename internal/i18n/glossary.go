package i18n

import (
	"regexp"
	"strings"
)

// A Term is one thing Heder names: the word each language uses for it and
// the words that language must not use for it. Readers met "søknad",
// "bidrag" and "nominasjon" for the same thing and took them for three.
type Term struct {
	Thing string
	Use   map[string]string         // lang → the word to use
	Not   map[string]*regexp.Regexp // lang → the words ruled out, matched against one whole lower-case word
}

// words matches whole words, Norwegian letters included.
var words = regexp.MustCompile(`[\p{L}\p{N}]+`)

// not compiles the words a language rules out, each a whole word.
func not(alternatives ...string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + strings.Join(alternatives, "|") + `)$`)
}

// Glossary is the one word per thing, in each language (see the package
// documentation); the tests hold every message and the demo's texts to it.
var Glossary = []Term{
	{Thing: "what an organisation sends in",
		Use: map[string]string{"nb": "nominasjon", "nn": "nominasjon", "en": "nomination"},
		Not: map[string]*regexp.Regexp{
			"nb": not(`søknad\p{L}*`, `bidrag\p{L}*`),
			"nn": not(`søknad\p{L}*`, `bidrag\p{L}*`),
			"en": not(`applications?`, `entry`, `entries`, `submissions?`),
		}},
	{Thing: "the people who write and send it for their organisation",
		Use: map[string]string{"nb": "innsender", "nn": "innsendar", "en": "submitter"},
		Not: map[string]*regexp.Regexp{
			// "søker" alone is also the verb "searches", so only the noun's other forms are ruled out.
			"nb": not(`søkere`, `søkeren`, `søkerne`),
			"nn": not(`søkjar\p{L}*`, `søkar\p{L}*`),
			"en": not(`applicants?`),
		}},
	{Thing: "the call for nominations",
		Use: map[string]string{"nb": "utlysning", "nn": "utlysing", "en": "call"},
		Not: map[string]*regexp.Regexp{
			"nb": not(`utlysing\p{L}*`),
			"nn": not(`utlysning\p{L}*`),
		}},
	{Thing: "a nomination the jury honours without a prize",
		Use: map[string]string{"nb": "hederlig omtale", "nn": "heiderleg omtale", "en": "honourable mention"},
		Not: map[string]*regexp.Regexp{"nn": not(`hederle\p{L}*`)}},
	{Thing: "the jury's written reasons for a winner or an honourable mention",
		Use: map[string]string{"nb": "begrunnelse", "nn": "grunngjeving", "en": "statement"},
		Not: map[string]*regexp.Regexp{"nn": not(`grunngiving\p{L}*`)}},
}

// RuledOut returns the words of text, a text in lang, that the glossary
// rules out, each with the word to use instead.
func RuledOut(lang, text string) []string {
	var found []string
	for _, w := range words.FindAllString(text, -1) {
		lw := strings.ToLower(w)
		for _, t := range Glossary {
			if re := t.Not[lang]; re != nil && re.MatchString(lw) {
				found = append(found, "«"+w+"» (use «"+t.Use[lang]+"»)")
			}
		}
	}
	return found
}
