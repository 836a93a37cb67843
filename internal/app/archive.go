package app

import (
	"context"
	"log/slog"

	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/server"
)

// archiveService opens the public archive over the configured file store
// and starts the watcher that lets the public cache follow every write.
// The watcher runs until the database pool is closed, which is how the
// app stops.
func archiveService(cfg config.Config, db *postgres.DB, logger *slog.Logger) (*archive.Service, *server.PublicFreshness, error) {
	store, err := files.Open(context.Background(), cfg.FilesURL)
	if err != nil {
		return nil, nil, err
	}
	svc := archive.NewService(db, store)
	w := archive.StartWatcher(context.Background(), db.Pool, logger)
	return svc, &server.PublicFreshness{Generation: w.Generation, Horizon: svc.Horizon}, nil
}
