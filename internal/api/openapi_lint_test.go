package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/browsertest"
)

// TestOpenAPISpectral lints the merged OpenAPI document with Spectral's
// spectral:oas ruleset (npm @stoplight/spectral-cli, pinned in
// package.json and installed by `make assets`) and fails on any finding,
// warnings and hints included.
func TestOpenAPISpectral(t *testing.T) {
	t.Parallel()
	// Spectral runs on Node.
	node := browsertest.NeedTool(t, "node", "nodejs")
	cli, err := filepath.Abs(filepath.Join("..", "..", "node_modules", "@stoplight", "spectral-cli", "dist", "index.js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("Spectral is missing (run make assets): %v", err)
	}
	dir := t.TempDir()
	doc, ruleset := filepath.Join(dir, "openapi.json"), filepath.Join(dir, ".spectral.yaml")
	if err := os.WriteFile(doc, openAPI, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ruleset, []byte("extends: [\"spectral:oas\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, cli, "lint", "--quiet", "--format", "json", "--ruleset", ruleset, doc)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it finds errors: the output says which
	var findings []struct {
		Code     string   `json:"code"`
		Message  string   `json:"message"`
		Path     []string `json:"path"`
		Severity int      `json:"severity"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
		t.Fatalf("spectral: %v (%v): %.2000s %.2000s", runErr, err, stdout.String(), stderr.String())
	}
	counts := map[string]int{}
	for _, f := range findings {
		sev := [...]string{"error", "warning", "info", "hint"}[min(max(f.Severity, 0), 3)]
		counts[sev]++
		t.Errorf("spectral %s %s at %s: %s", sev, f.Code, strings.Join(f.Path, "."), f.Message)
	}
	if len(findings) > 0 {
		t.Logf("spectral:oas: %d errors, %d warnings, %d infos, %d hints", counts["error"], counts["warning"], counts["info"], counts["hint"])
	}
}

// TestOpenAPIOperationsDocumented keeps what Spectral checks also where
// Node is missing: every operation has a description and one tag, which
// the document's tags list describes, and the document has a contact.
func TestOpenAPIOperationsDocumented(t *testing.T) {
	t.Parallel()
	var doc struct {
		Info struct {
			Contact struct {
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"contact"`
		} `json:"info"`
		Tags []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"tags"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Info.Contact.Name == "" || doc.Info.Contact.URL == "" {
		t.Error("info.contact needs a name and a URL")
	}
	tags, used := map[string]bool{}, map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" {
			t.Errorf("tag %q has no description", tag.Name)
		}
		tags[tag.Name] = true
	}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op struct {
				Tags        []string `json:"tags"`
				Description string   `json:"description"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			where := fmt.Sprintf("%s %s", strings.ToUpper(method), path)
			if strings.TrimSpace(op.Description) == "" {
				t.Errorf("%s has no description", where)
			}
			if len(op.Tags) != 1 || !tags[op.Tags[0]] {
				t.Errorf("%s: tags %q, want one of the document's tags", where, op.Tags)
			}
			for _, tag := range op.Tags {
				used[tag] = true
			}
		}
	}
	for tag := range tags {
		if !used[tag] {
			t.Errorf("tag %q tags no operation", tag)
		}
	}
}
