// Package i18n translates Heder's user interface into Norwegian bokmål
// ("nb", the default), nynorsk ("nn") and English ("en"), and formats
// dates, times and deadlines the way people in Norway read them.
//
// Messages live in locales/active.<lang>.toml, one file per language, in
// go-i18n v2's TOML format, and are embedded in the binary. Each message is
// a table named by its dotted ID, quoted so that the dots belong to the ID:
//
//	["login.with"]
//	other = "Logg inn med {{.Provider}}"
//
//	["deadline.in_days"]
//	one = "Fristen går ut om {{.Count}} dag"
//	other = "Fristen går ut om {{.Count}} dager"
//
// Messages are text/template templates. [Localizer.T] takes the template
// data as alternating key/value pairs; the key "Count" also selects the
// plural form. The result is plain text: HTML templates escape it as usual.
//
// Every ID must exist in all three files with the same template fields and
// plural forms; the package's tests enforce that, so adding a message
// means adding it to every file. A message missing from nn or en at run
// time falls back to bokmål, and an unknown ID is shown as the ID itself.
//
// # Glossary
//
// One word per thing, in each language, everywhere (messages, templates,
// the demo's texts):
//
//	thing                                   nb                 nn                 en
//	what an organisation sends in           nominasjon         nominasjon         nomination
//	an organisation named in it             nominert           nominert           nominee
//	                                        (organisasjon)     (organisasjon)     (organisation)
//	the people who write and send it        innsender          innsendar          submitter
//	the work it describes                   prosjekt           prosjekt           project
//	the call for nominations                utlysning          utlysing           call
//	the jury's shortlist                    finalist           finalist           finalist
//	honoured without the prize              hederlig omtale    heiderleg omtale   honourable mention
//	the jury's written reasons              begrunnelse        grunngjeving       statement
//
// Not "søknad", "bidrag", "søker" (nb), "søkjar" (nn), "application",
// "applicant", "entry" or "submission" (en), which readers took for other
// things than a nomination. "Nominert" never means a finalist, even where the real award's
// sources say so. [Glossary] lists the ruled-out words; a test holds every
// message to it, and the demo's test its texts. Quotes from real sources
// (internal/history) keep their words.
//
// Times are shown in Europe/Oslo (the zone data is embedded), as
// "1. mars 2027 kl. 23.59" in Norwegian and "1 March 2027 at 23:59" in
// English.
package i18n
