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
// Times are shown in Europe/Oslo (the zone data is embedded), as
// "1. mars 2027 kl. 23.59" in Norwegian and "1 March 2027 at 23:59" in
// English.
package i18n
