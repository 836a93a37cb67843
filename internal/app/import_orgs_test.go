package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/app"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestImportOrganisationsCommand runs `heder import-organisations FILE`:
// a good file, the same file again (updated, not doubled), and a file with
// bad rows, each named with its line and what is wrong, that writes
// nothing. The numbers are generated test numbers, the names made up;
// 0301 is Oslo's kommunenummer.
func TestImportOrganisationsCommand(t *testing.T) {
	t.Parallel()
	run := commandRunner(map[string]string{"DATABASE_URL": pgtest.URL(t)})
	if _, stderr, err := run("import-kommuner"); err != nil {
		t.Fatalf("import-kommuner: %v %s", err, stderr)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", `orgnr,name,kind,parent,language
999990029,Bydel Testdal (testdata),city_district,0301,
999990037,Testbygda AS (testdata),company,,nn
`)
	for _, want := range []string{"imported 2 new and 0 updated organisations", "imported 0 new and 2 updated organisations"} {
		stdout, stderr, err := run("import-organisations", good)
		if err != nil || strings.TrimSpace(stdout) != want {
			t.Errorf("import: %v, stdout %q, stderr %q; want %q", err, stdout, stderr, want)
		}
	}
	bad := write("bad.csv", `orgnr,name,kind,parent,language
999990045,Stiftelsen Test (testdata),foundation,,
999990011,Feil kontrollsiffer (testdata),company,,
999990053,Bydel i Rogaland (testdata),city_district,11,
`)
	stdout, stderr, err := run("import-organisations", bad)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || stdout != "" {
		t.Errorf("bad file: %v, stdout %q", err, stdout)
	}
	for _, want := range []string{
		bad + `:3: orgnr "999990011": The organisation number's check digit is wrong.`,
		bad + `:4: parent "11": A city district must be a part of a current municipality.`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// Line 2 was good, but the file was refused as a whole.
	stdout, _, _ = run("import-organisations", write("again.csv", "orgnr,name,kind,parent,language\n999990045,Stiftelsen Test (testdata),foundation,,\n"))
	if strings.TrimSpace(stdout) != "imported 1 new and 0 updated organisations" {
		t.Errorf("the bad file's good row was written: %q", stdout)
	}
	if _, _, err := run("import-organisations"); err == nil {
		t.Error("no file: no error")
	}
}

// commandRunner runs heder's command line with the environment env and
// returns what it printed.
func commandRunner(env map[string]string) func(args ...string) (stdout, stderr string, err error) {
	return func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := app.Run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
}
