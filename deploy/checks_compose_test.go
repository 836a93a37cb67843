package deploy

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkCompose checks compose.yaml: pinned images, no secret in it, the
// secret files git-ignored, and Heder's container locked down.
func checkCompose(fsys fs.FS, file string) []string {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, file+": "+fmt.Sprintf(format, args...))
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return []string{err.Error()}
	}
	type fileRef struct {
		File string `yaml:"file"`
	}
	var c struct {
		Services map[string]struct {
			Image       string    `yaml:"image"`
			Environment yaml.Node `yaml:"environment"`
			EnvFile     yaml.Node `yaml:"env_file"`
			User        string    `yaml:"user"`
			ReadOnly    bool      `yaml:"read_only"`
			CapDrop     []string  `yaml:"cap_drop"`
			SecurityOpt []string  `yaml:"security_opt"`
		} `yaml:"services"`
		Secrets map[string]fileRef `yaml:"secrets"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		return []string{fmt.Sprintf("%s: %v", file, err)}
	}
	ignored := gitignored(fsys, path.Join(path.Dir(file), ".gitignore"))
	private := func(what, p string) {
		p = path.Clean(p)
		if first, _, _ := strings.Cut(p, "/"); !ignored[first] {
			add("%s: %s is not in a folder that .gitignore ignores", what, p)
		}
	}
	heder := false
	for name, s := range c.Services {
		if why := unpinned(s.Image); why != "" {
			add("service %s: %s", name, why)
		}
		for _, kv := range composeEnv(&s.Environment) {
			k, v, _ := strings.Cut(kv, "=")
			if why := literalSecret(k, v); why != "" {
				add("service %s: %s", name, why)
			}
		}
		var envFiles []string
		if s.EnvFile.Kind == yaml.ScalarNode {
			envFiles = []string{s.EnvFile.Value}
		} else if s.EnvFile.Kind != 0 {
			if err := s.EnvFile.Decode(&envFiles); err != nil {
				add("service %s: env_file: %v", name, err)
			}
		}
		for _, f := range envFiles {
			private("env_file", f)
		}
		if !isHeder(s.Image) {
			continue
		}
		heder = true
		if uid, _, _ := strings.Cut(s.User, ":"); uid != strconv.Itoa(appUID) {
			add("service %s: user %q; want %d (distroless nonroot)", name, s.User, appUID)
		}
		if !s.ReadOnly {
			add("service %s: read_only is not true", name)
		}
		if !slices.Contains(s.CapDrop, "ALL") {
			add("service %s: cap_drop is not [ALL]", name)
		}
		if !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			add("service %s: security_opt lacks no-new-privileges:true", name)
		}
	}
	if !heder {
		add("no service runs Heder")
	}
	for name, s := range c.Secrets {
		private("secret "+name, s.File)
	}
	return problems
}

// composeEnv returns environment as KEY=VALUE, from either of its forms.
func composeEnv(n *yaml.Node) []string {
	switch n.Kind {
	case yaml.MappingNode:
		var kv []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			kv = append(kv, n.Content[i].Value+"="+n.Content[i+1].Value)
		}
		return kv
	case yaml.SequenceNode:
		var kv []string
		for _, item := range n.Content {
			kv = append(kv, item.Value)
		}
		return kv
	}
	return nil
}

// gitignored returns the top-level folders a .gitignore ignores (lines
// such as /secrets/).
func gitignored(fsys fs.FS, file string) map[string]bool {
	ignored := map[string]bool{}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return ignored
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "/") && strings.HasSuffix(line, "/") && strings.Count(line, "/") == 2 {
			ignored[strings.Trim(line, "/")] = true
		}
	}
	return ignored
}
