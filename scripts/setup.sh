#!/usr/bin/env bash
# Installs what `make dev` and `make test` need and this machine lacks,
# from Debian's packages: PostgreSQL's server binaries (each run starts a
# throw-away cluster of its own), Node.js with npm (Designsystemet, the
# Inter font and axe-core come from npm) and, with --browser, what the
# tests use: Chromium for the browser tests, xmllint for the archive
# deposit's schemas and poppler-utils (pdftotext, pdftoppm) to read and
# render the PDFs. It says what it does, and does nothing when all is
# there. `make dev`, `make test` and .ci/run all call it.
set -euo pipefail

browser=0
if [[ "${1:-}" == "--browser" ]]; then
	browser=1
fi

need=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	need+=(postgresql)
fi
if ! command -v npm >/dev/null 2>&1; then
	need+=(nodejs npm)
fi
if [[ $browser == 1 ]] && ! command -v chromium >/dev/null 2>&1; then
	need+=(chromium)
fi
# The tests validate archive deposits against Arkivverket's schemas.
if [[ $browser == 1 ]] && ! command -v xmllint >/dev/null 2>&1; then
	need+=(libxml2-utils)
fi
# The tests read the diplomas and the jury book with pdftotext.
if [[ $browser == 1 ]] && { ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; }; then
	need+=(poppler-utils)
fi
if [[ ${#need[@]} -eq 0 ]]; then
	exit 0
fi

as_root=()
if [[ $(id -u) != 0 ]]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "setup: missing ${need[*]}; install these Debian packages as root: apt-get install ${need[*]}" >&2
		exit 1
	fi
	as_root=(sudo)
fi
echo "setup: installing ${need[*]} from Debian's packages (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
echo "setup: installed ${need[*]}" >&2
