package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/riverqueue/river"
)

// devMailFrom is the sender shown on mail caught by `heder dev` when
// HEDER_MAIL_FROM is not set.
const devMailFrom = "Heder <heder@localhost>"

// newMailer returns where mail goes. With the development identity
// provider on (`heder dev`, apptest) it is always the catcher, even when
// HEDER_SMTP_URL is set: demo users have real-looking addresses
// (kari@asker.kommune.no) that must never get mail. serve sends by SMTP.
func newMailer(cfg config.Config, db *postgres.DB) (notify.Mailer, error) {
	if c := devMail(cfg, db); c != nil {
		return c, nil
	}
	return notify.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
}

// devMail is the mail catcher the /dev/e-post pages read; nil unless the
// development identity provider is on, which leaves those pages out.
func devMail(cfg config.Config, db *postgres.DB) *notify.Catcher {
	if !cfg.DevIdP {
		return nil
	}
	from := cfg.MailFrom
	if from == "" {
		from = devMailFrom
	}
	return notify.NewCatcher(db, from)
}

// startJobs starts River's client with Heder's workers. It runs until
// stopped (stopJobs), not until ctx ends, so that jobs in progress get
// their time to finish when the process is told to stop.
func startJobs(ctx context.Context, cfg config.Config, db *postgres.DB, store files.Store, logger *slog.Logger) (*jobs.Client, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, fmt.Errorf("load translations: %w", err)
	}
	mailer, err := newMailer(cfg, db)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	if err := notify.AddWorkers(workers, notify.WorkerDeps{DB: db, Mailer: mailer, Bundle: bundle, BaseURL: cfg.BaseURL, Logger: logger,
		SessionKey: []byte(cfg.SessionKey)}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &privacy.RetentionWorker{DB: db, Logger: logger}); err != nil {
		return nil, err
	}
	deposits := noark.NewService(db, store)
	if err := river.AddWorkerSafely(workers, &noark.ExportWorker{Service: deposits, Logger: logger}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &noark.CleanupWorker{Service: deposits, Logger: logger}); err != nil {
		return nil, err
	}
	client, err := jobs.New(db, workers, logger, privacy.RetentionJob(), noark.CleanupJob())
	if err != nil {
		return nil, err
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("start jobs: %w", err)
	}
	return client, nil
}

// stopJobs stops the client gracefully, also when ctx has ended: no new
// jobs, and running ones get jobs.SoftStopTimeout to finish before they
// are cancelled and handed back to the queue for another replica (or
// this one after its next start). A job that ignores its cancellation
// for two more seconds is left running in River's table, and River runs
// it again after jobs.RescueAfter.
func stopJobs(ctx context.Context, client *jobs.Client, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobs.SoftStopTimeout+2*time.Second)
	defer cancel()
	if err := client.Stop(ctx); err != nil {
		logger.Error("stop jobs", "error", err)
	}
}
