package deploy

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

func parseDockerfile(src []byte) [][]instruction {
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	for _, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if body, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

// checkDockerfile checks that the image is built static, carries the
// version, and ends on distroless or scratch as a non-root user.
func checkDockerfile(fsys fs.FS, file string) []string {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, file+": "+fmt.Sprintf(format, args...))
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return []string{err.Error()}
	}
	stages := parseDockerfile(src)
	if len(stages) == 0 {
		return []string{file + ": no FROM"}
	}
	var build string
	for _, st := range stages {
		image, _, _ := strings.Cut(st[0].args, " ")
		if image != "scratch" && !strings.Contains(image, "$") {
			if why := unpinned(image); why != "" {
				add("FROM %s", why)
			}
		}
		for _, in := range st {
			if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
				build = in.args
			}
		}
	}
	switch {
	case build == "":
		add("no RUN … go build")
	default:
		if !strings.Contains(build, "CGO_ENABLED=0") {
			add("go build without CGO_ENABLED=0: the binary would not be static")
		}
		for _, v := range []string{"version", "commit"} {
			if !regexp.MustCompile(`-X '?github\.com/heder-awards/heder/internal/app\.` + v + `=`).MatchString(build) {
				add("go build does not set internal/app.%s with -ldflags -X", v)
			}
		}
	}
	if !strings.Contains(string(src), "scripts/assets.sh") {
		add("the vendored web assets (scripts/assets.sh) are not built, so they would not be embedded")
	}
	final := stages[len(stages)-1]
	base, _, _ := strings.Cut(final[0].args, " ")
	if base != "scratch" && !strings.HasPrefix(base, "gcr.io/distroless/") {
		add("the final stage is %s; want distroless or scratch", base)
	}
	user := ""
	for _, in := range final {
		if in.cmd == "USER" {
			user = in.args
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid != strconv.Itoa(appUID) && uid != "nonroot" {
		add("the final stage runs as %q; want USER %d:%d", user, appUID, appUID)
	}
	return problems
}
