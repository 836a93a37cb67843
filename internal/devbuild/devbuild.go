// Package devbuild builds the heder binary from this checkout, for the
// tests and load tests that run Heder as production does: as processes
// of their own.
package devbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Root returns the folder holding go.mod, so that a program runs the same
// from anywhere inside the repository.
func Root() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run this inside the heder repository (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

// Heder builds cmd/heder into dir as a release is built (-trimpath) and
// returns the binary's path.
func Heder(ctx context.Context, dir string) (string, error) {
	root, err := Root()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "heder")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/heder")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/heder: %w\n%s", err, out)
	}
	return bin, nil
}
