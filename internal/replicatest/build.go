package replicatest

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/heder-awards/heder/internal/devbuild"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	mainUsed  bool
)

// Main runs a test package's tests and then removes the heder binary
// they shared. Use it as: func TestMain(m *testing.M) { replicatest.Main(m) }.
func Main(m *testing.M) {
	mainUsed = true
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// Cleanup removes the heder binary built for this process. Main calls
// it; a program that is not a test calls it before it exits.
func Cleanup() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}

// binary builds cmd/heder once per process, as `go build -trimpath`
// from the module's root, and returns its path.
func binary(t TB) string {
	t.Helper()
	if testing.Testing() && !mainUsed {
		t.Fatalf("replicatest: call replicatest.Main from the package's TestMain, so that the heder binary is removed after the tests")
	}
	buildOnce.Do(func() { binPath, buildErr = build() })
	if buildErr != nil {
		t.Fatalf("replicatest: %v", buildErr)
	}
	return binPath
}

func build() (string, error) {
	var err error
	if binDir, err = os.MkdirTemp("", "heder-replicatest"); err != nil {
		return "", err
	}
	return devbuild.Heder(context.Background(), binDir)
}
