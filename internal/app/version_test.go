package app

import (
	"bytes"
	"context"
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	stamped := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{
			Main: debug.Module{Path: "github.com/heder-awards/heder", Version: "v0.0.0-20261124190000-0123456789ab"},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.modified", Value: modified},
			},
		}
	}
	unstamped := &debug.BuildInfo{Main: debug.Module{Path: "github.com/heder-awards/heder", Version: "(devel)"}}
	tests := []struct {
		name             string
		ver, rev         string
		info             *debug.BuildInfo
		wantVer, wantRev string
	}{
		{"set with -X", "v1.2.0", "fedcba9876543210", stamped("false"), "v1.2.0", "fedcba9876543210"},
		{"version set, commit from vcs", "v1.2.0", "", stamped("false"), "v1.2.0", "0123456789abcdef0123456789abcdef01234567"},
		{"from build info", "", "", stamped("false"), "v0.0.0-20261124190000-0123456789ab", "0123456789abcdef0123456789abcdef01234567"},
		{"uncommitted changes", "", "", stamped("true"), "v0.0.0-20261124190000-0123456789ab", "0123456789abcdef0123456789abcdef01234567-dirty"},
		{"built without vcs", "", "", unstamped, "(devel)", "unknown"},
		{"no build info", "", "", nil, "unknown", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ver, rev := buildVersion(tt.ver, tt.rev, tt.info)
			if ver != tt.wantVer || rev != tt.wantRev {
				t.Errorf("buildVersion(%q, %q) = %q, %q; want %q, %q", tt.ver, tt.rev, ver, rev, tt.wantVer, tt.wantRev)
			}
		})
	}
}

// TestRunVersion sets the variables the release build sets with -ldflags -X
// (deploy/Dockerfile), so it must not run in parallel.
func TestRunVersion(t *testing.T) {
	oldVersion, oldCommit := version, commit
	t.Cleanup(func() { version, commit = oldVersion, oldCommit })
	version, commit = "v1.2.3", "0123456789abcdef0123456789abcdef01234567"

	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	if err := Run(context.Background(), []string{"version"}, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("heder version: %v (stderr %q)", err, stderr.String())
	}
	want := "heder v1.2.3 commit 0123456789abcdef0123456789abcdef01234567\n"
	if got := stdout.String(); got != want {
		t.Errorf("heder version printed %q; want %q", got, want)
	}
}
