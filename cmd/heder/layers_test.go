package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/heder-awards/heder/"

// layers are ARCHITECTURE.md's layers, lowest first: a package may import
// packages of lower layers and of its own, except that use cases import
// only those before them in the award's flow. A package not listed fails
// the test, so that each new one is placed.
var layers = []struct {
	name     string
	packages []string
	// ordered: within the layer, only earlier packages may be imported.
	ordered bool
}{
	{"domain", []string{"internal/awards", "internal/policy", "internal/i18n"}, false},
	{"engines", []string{"internal/scorestats", "internal/matching", "internal/schulze", "internal/spreadsheet", "internal/pdfdoc"}, false},
	{"store and edges", []string{"internal/postgres", "internal/pgcluster", "internal/files", "internal/audit", "internal/jobs",
		"internal/devidp"}, false},
	{"use cases, in the award's flow", []string{"internal/orgs", "internal/users", "internal/owners", "internal/optout",
		"internal/privacy", "internal/outbox", "internal/cycles", "internal/nominations", "internal/attachments", "internal/jury",
		"internal/assignment", "internal/scoring", "internal/voting", "internal/deciding", "internal/jurybook", "internal/diplomas",
		"internal/publication", "internal/noark", "internal/history"}, true},
	{"read side", []string{"internal/archive", "internal/auditlog"}, false},
	{"drivers", []string{"internal/httpx", "internal/auth", "internal/notify", "internal/ui", "internal/api", "internal/server"}, false},
	{"app", []string{"internal/config", "internal/demo", "internal/devbuild", "internal/app", "cmd/heder"}, false},
	// Load scripts and deployment checks, on top of everything.
	{"tools", []string{"bench/", "deploy"}, false},
}

// testSupport are imported only by tests, by each other and by tools.
var testSupport = []string{"internal/pgtest", "internal/apptest", "internal/browsertest", "internal/replicatest",
	"internal/smtptest", "internal/pdfdoc/pdftest"}

// TestLayers fails on an import against the layers, with `go list -deps`
// over the whole module.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}} {{join .Imports " "}}{{end}}`,
		module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type place struct{ layer, order int }
	where := map[string]place{}
	for i, l := range layers {
		for j, p := range l.packages {
			where[p] = place{i, j}
		}
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module) {
			continue
		}
		pkg := strings.TrimPrefix(fields[0], module)
		if pkg == "web" || pkg == "migrations" {
			continue // embedded files, no code of ours to place
		}
		from, placed := where[pkg]
		if !placed && (strings.HasPrefix(pkg, "bench/") || pkg == "deploy") {
			from, placed = where["bench/"], true
		}
		if !placed {
			if !slices.Contains(testSupport, pkg) {
				t.Errorf("%s is in no layer: place it in ARCHITECTURE.md and in this test", pkg)
			}
			continue
		}
		checked++
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if slices.Contains(testSupport, dep) {
				if layers[from.layer].name != "tools" {
					t.Errorf("%s imports the test support package %s", pkg, dep)
				}
				continue
			}
			to, ok := where[dep]
			switch {
			case !ok, dep == "web", dep == "migrations":
				continue
			case to.layer > from.layer:
				t.Errorf("%s (%s) imports %s, of the higher layer %s", pkg, layers[from.layer].name, dep, layers[to.layer].name)
			case to.layer == from.layer && layers[from.layer].ordered && to.order > from.order:
				t.Errorf("%s imports %s, which comes after it in the award's flow", pkg, dep)
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked %d packages: go list said %q", checked, out)
	}
}
