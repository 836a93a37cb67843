package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Catcher is the Mailer of `heder dev` and the tests: it keeps every mail
// in the caught_mails table instead of sending it, where the development
// pages under /dev/e-post and the tests read it. The table, not memory,
// because the River jobs and receipt records that produce the mail live
// in the database too: a dev process restarted on the same DATABASE_URL
// still shows the mail its records say were sent, and a test can read the
// mail an app running elsewhere in the process caught.
type Catcher struct {
	db   bun.IDB
	from string
}

// NewCatcher returns a Catcher writing to db; from is shown as the sender.
func NewCatcher(db bun.IDB, from string) *Catcher { return &Catcher{db: db, from: from} }

// Send keeps m.
func (c *Catcher) Send(ctx context.Context, m Message) error {
	_, err := c.db.ExecContext(ctx, `INSERT INTO caught_mails (sender, recipient, subject, text_body, html_body) VALUES (?, ?, ?, ?, ?)`,
		c.from, m.To, m.Subject, m.Text, m.HTML)
	if err != nil {
		return postgres.Map("catch mail", err)
	}
	return nil
}

// CaughtMail is a mail the Catcher kept.
type CaughtMail struct {
	ID      int64     `bun:"id"`
	From    string    `bun:"sender"`
	To      string    `bun:"recipient"`
	Subject string    `bun:"subject"`
	Text    string    `bun:"text_body"`
	HTML    string    `bun:"html_body"`
	At      time.Time `bun:"created_at"`
}

// List returns the newest caught mails first, at most limit (1–500).
// Development only: whoever reaches the dev pages may read all of them.
func (c *Catcher) List(ctx context.Context, limit int) ([]CaughtMail, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var mails []CaughtMail
	err := c.db.NewRaw(`SELECT id, sender, recipient, subject, text_body, html_body, created_at FROM caught_mails ORDER BY id DESC LIMIT ?`, limit).
		Scan(ctx, &mails)
	if err != nil {
		return nil, postgres.Map("list caught mails", err)
	}
	return mails, nil
}

// Get returns one caught mail. Returns ENotFound.
func (c *Catcher) Get(ctx context.Context, id int64) (CaughtMail, error) {
	var m CaughtMail
	err := c.db.NewRaw(`SELECT id, sender, recipient, subject, text_body, html_body, created_at FROM caught_mails WHERE id = ?`, id).
		Scan(ctx, &m)
	if err != nil {
		return CaughtMail{}, postgres.Map(fmt.Sprintf("caught mail %d", id), err)
	}
	return m, nil
}
