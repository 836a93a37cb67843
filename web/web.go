// Package web embeds Heder's templates and static files. Third-party files
// under static/vendor are copied from npm by `make assets` and never
// committed.
package web

import "embed"

// Templates holds layouts/, partials/ and pages/.
//
//go:embed templates
var Templates embed.FS

// Static holds the CSS, fonts and scripts served under /static/.
//
//go:embed static
var Static embed.FS
