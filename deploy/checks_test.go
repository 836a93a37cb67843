package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// The checks read the files of deploy/ from an fs.FS rooted there, so
// that the tests can run them on broken copies too. Each returns the
// problems it found, one readable line each. One file per thing checked:
// the Kubernetes manifests and kustomizations (checks_kubernetes_test.go),
// compose.yaml (checks_compose_test.go), the Dockerfile
// (checks_dockerfile_test.go); this one holds what they share and the
// check of the login providers' JSON.

// appUID is distroless's nonroot user, the one the image runs as.
const appUID = 65532

// document is one YAML document of a file.
type document struct {
	file string
	node *yaml.Node
	raw  map[string]any
	kind string
	name string
}

func (d document) String() string { return fmt.Sprintf("%s: %s %s", d.file, d.kind, d.name) }

// readYAML decodes every document of file.
func readYAML(fsys fs.FS, file string) ([]document, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []document
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			return docs, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(n.Content) == 0 {
			continue // an empty document, e.g. after a trailing ---
		}
		var raw map[string]any
		if err := n.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s: not a mapping: %w", file, err)
		}
		var head struct {
			Kind     string
			Metadata struct{ Name string }
		}
		if err := n.Decode(&head); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		docs = append(docs, document{file: file, node: &n, raw: raw, kind: head.Kind, name: head.Metadata.Name})
	}
}

// walk calls visit for every key of every mapping inside v.
func walk(v any, visit func(key string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			visit(k, x)
			walk(x, visit)
		}
	case []any:
		for _, x := range v {
			walk(x, visit)
		}
	}
}

// unpinned says why image is not pinned to a release, or "".
func unpinned(image string) string {
	if image == "" {
		return "has no image"
	}
	if strings.Contains(image, "@sha256:") {
		return ""
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, ok := strings.Cut(last, ":")
	switch {
	case !ok || tag == "":
		return fmt.Sprintf("image %s is not pinned: add a tag or digest", image)
	case tag == "latest":
		return fmt.Sprintf("image %s is not pinned: latest moves", image)
	}
	return ""
}

// repository is image without its tag or digest.
func repository(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// isHeder tells Heder's own image from the others (PostgreSQL, Garage).
func isHeder(image string) bool {
	r := repository(image)
	return r == "heder" || strings.HasSuffix(r, "/heder")
}

var secretish = regexp.MustCompile(`(?i)KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL`)

// literalSecret says why an environment variable set to a literal value
// exposes a secret, or "". Secrets come from a Secret object or a file
// (NAME_FILE), never from the manifest.
func literalSecret(name, value string) string {
	if strings.HasSuffix(name, "_FILE") {
		return ""
	}
	if name == "DATABASE_URL" || secretish.MatchString(name) {
		return fmt.Sprintf("%s has a literal value: take it from a Secret (secretKeyRef) or a file (%s_FILE)", name, name)
	}
	if u, err := url.Parse(value); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return fmt.Sprintf("%s has a password in its URL: take it from a Secret or a file (%s_FILE)", name, name)
		}
	}
	return ""
}

// checkJSON checks JSON files (login providers) for client secrets, which
// belong in a Secret, named by client_secret_file.
func checkJSON(fsys fs.FS) []string {
	var problems []string
	_ = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, err))
			return nil
		}
		walk(v, func(key string, v any) {
			if s, ok := v.(string); ok && key == "client_secret" && s != "" {
				problems = append(problems, fmt.Sprintf("%s: client_secret is committed: use client_secret_file", p))
			}
		})
		return nil
	})
	return problems
}
