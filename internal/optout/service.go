package optout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service reads and confirms call unsubscribe links. It needs no actor:
// the signed token is the permission, for the one thing it names.
type Service struct {
	db  bun.IDB
	key []byte
	now func() time.Time
}

// NewService returns a Service over db that verifies tokens with key,
// the instance's session key.
func NewService(db bun.IDB, key []byte) *Service { return &Service{db: db, key: key, now: time.Now} }

// View is what an unsubscribe link does, for its page.
type View struct {
	OrganisationName string `bun:"organisation_name"`
	Email            string `bun:"email"`
	// OptedOutAt is when the organisation opted out; nil while it has not.
	OptedOutAt *time.Time `bun:"opted_out_at"`
}

// verify turns Verify's errors into awards.Errors: EInvalid for both,
// with ErrForged or ErrExpired as the cause, so that the page can say
// which (and answer 400 or 410).
func (s *Service) verify(token string) (Claims, error) {
	c, err := Verify(s.key, token, PurposeCall, s.now())
	switch {
	case errors.Is(err, ErrExpired):
		return c, &awards.Error{Code: awards.EInvalid, Err: ErrExpired,
			Message: "this unsubscribe link has expired; use the link in a newer announcement"}
	case err != nil:
		return c, &awards.Error{Code: awards.EInvalid, Err: ErrForged, Message: "this unsubscribe link is not valid"}
	}
	return c, nil
}

const viewSQL = `
	SELECT o.name AS organisation_name, ? AS email, co.created_at AS opted_out_at
	FROM organisations o LEFT JOIN call_optouts co ON co.organisation_id = o.id
	WHERE o.id = ?`

// Preview says what token would do, changing nothing. EInvalid for a
// forged, expired or foreign token; ENotFound when its organisation is
// gone.
func (s *Service) Preview(ctx context.Context, token string) (View, error) {
	c, err := s.verify(token)
	if err != nil {
		return View{}, err
	}
	var v View
	if err := s.db.NewRaw(viewSQL, c.Email, c.OrganisationID).Scan(ctx, &v); err != nil {
		return View{}, postgres.Map(fmt.Sprintf("organisation %d", c.OrganisationID), err)
	}
	return v, nil
}

// Confirm opts the token's organisation out of call announcements,
// recording the member it was sent to and when; confirming again keeps
// the first record. Errors as Preview.
func (s *Service) Confirm(ctx context.Context, token string) (View, error) {
	c, err := s.verify(token)
	if err != nil {
		return View{}, err
	}
	var v View
	err = postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO call_optouts (organisation_id, user_id, email)
			SELECT o.id, (SELECT id FROM users WHERE id = ?), ? FROM organisations o WHERE o.id = ?
			ON CONFLICT (organisation_id) DO NOTHING`, c.UserID, c.Email, c.OrganisationID)
		if err != nil {
			return postgres.Map("record call opt-out", err)
		}
		if err := tx.NewRaw(viewSQL, c.Email, c.OrganisationID).Scan(ctx, &v); err != nil {
			return postgres.Map(fmt.Sprintf("organisation %d", c.OrganisationID), err)
		}
		return nil
	})
	return v, err
}
