package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/files"
)

// openStore opens the file store the configuration names, where
// attachments and the archive deposits' files are kept. Opening makes no
// network call, so no deadline is needed here; the store's own calls have
// timeouts.
func openStore(cfg config.Config) (files.Store, error) {
	return files.Open(context.Background(), cfg.FilesURL)
}

// devFilesURL gives `heder dev` a throw-away folder for attachments, like
// its throw-away database, unless HEDER_FILES_URL names a store; remove
// deletes the folder at exit.
func devFilesURL(getenv func(string) string) (url string, remove func(), err error) {
	if u := getenv("HEDER_FILES_URL"); u != "" {
		return u, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "heder-files-")
	if err != nil {
		return "", nil, fmt.Errorf("make a folder for attachments: %w", err)
	}
	return "file://" + filepath.ToSlash(dir), func() { _ = os.RemoveAll(dir) }, nil
}
