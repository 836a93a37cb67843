package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/postgres"
)

// attachmentService opens the file store the configuration names. Opening
// makes no network call, so no deadline is needed here; the store's own
// calls have timeouts.
func attachmentService(cfg config.Config, db *postgres.DB, logger *slog.Logger) (*attachments.Service, files.Store, error) {
	store, err := files.Open(context.Background(), cfg.FilesURL)
	if err != nil {
		return nil, nil, err
	}
	return attachments.NewService(db, store, logger), store, nil
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
