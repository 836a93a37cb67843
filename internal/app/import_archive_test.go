package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
)

// TestImportArchiveCommand runs `heder import-archive` on a database that
// has only the municipalities, as in production: the first run writes the
// history, the second changes nothing, and a history file that states a
// fact without a source is refused before anything is written.
func TestImportArchiveCommand(t *testing.T) {
	t.Parallel()
	run := commandRunner(map[string]string{"DATABASE_URL": pgtest.URL(t)})
	if _, stderr, err := run("import-archive"); err == nil || !strings.Contains(err.Error(), "import-kommuner") {
		t.Errorf("before the municipalities: %v %s", err, stderr)
	}
	if _, stderr, err := run("import-kommuner"); err != nil {
		t.Fatalf("import-kommuner: %v %s", err, stderr)
	}
	out, stderr, err := run("import-archive")
	if err != nil || !strings.Contains(out, "7 years and 28 sources") || strings.Contains(out, ": 0 rows") {
		t.Fatalf("first import: %q %v %s", out, err, stderr)
	}
	if out, _, err := run("import-archive"); err != nil || !strings.HasSuffix(strings.TrimSpace(out), ": 0 rows added or changed") {
		t.Errorf("second import: %q %v", out, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte(`[award]
slug = "x"
name_nb = "X"
owner_orgnr = "972417858"
owner_name = "KMD"
[[years]]
year = 2017
facts = [{ key = "d", kind = "deadline", date = "2017-03-01", sources = [] }]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run("import-archive", "-file", bad); err == nil || !strings.Contains(err.Error(), "has no source") {
		t.Errorf("a fact without a source: %v", err)
	}
}
