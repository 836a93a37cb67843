package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
	"github.com/jackc/pgx/v5"
)

// sessionStore keeps the sessions in postgresstore's table, with the ID
// of the user each is of beside its data (sessions.user_id), so that a
// request reads its session and its user's actor in one round trip
// instead of two, one after the other. The session's data stays what
// says who is logged in: the actor read with it is used only when it is
// of the user the data names (Service.Actor).
type sessionStore struct {
	*postgresstore.PostgresStore
	db    *postgres.DB
	codec scs.Codec
}

// liveSession is postgresstore's condition for the live session with
// token $1.
const liveSession = `token = $1 AND current_timestamp < expiry`

var (
	sessionFind = `SELECT data FROM sessions WHERE ` + liveSession
	// sessionActor reads the actor of the user the session is of.
	sessionActor = users.NewActorRead(`(SELECT user_id FROM sessions WHERE ` + liveSession + `)`)
)

// FindCtx returns the session's data and, when the request is one that
// LoadAndSave began, leaves its user's actor for Actor.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b pgx.Batch
	b.Queue(sessionFind, token)
	pf, _ := ctx.Value(prefetchKey{}).(*prefetched)
	var readActor func(pgx.BatchResults) (*awards.Actor, error)
	if pf != nil {
		readActor = sessionActor.Queue(&b, token)
	}
	br := s.db.Pool.SendBatch(ctx, &b)
	var data []byte
	findErr := br.QueryRow().Scan(&data)
	if readActor != nil && findErr == nil {
		// An actor that cannot be read is read again, and its error
		// reported, by Actor's fallback.
		pf.actor, _ = readActor(br)
	}
	if err := br.Close(); err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	if errors.Is(findErr, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if findErr != nil {
		return nil, false, fmt.Errorf("find session: %w", findErr)
	}
	return data, true, nil
}

// CommitCtx stores the session with the user its data names, if any.
func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, values, err := s.codec.Decode(b)
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	var user *int64
	if id, ok := values[keyUserID].(int64); ok {
		user = &id
	}
	_, err = s.db.DB.DB.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id`,
		token, b, expiry, user)
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx deletes the session.
func (s *sessionStore) DeleteCtx(_ context.Context, token string) error { return s.Delete(token) }

// prefetched is where sessionStore.FindCtx leaves the actor it read with
// the session, for Actor.
type prefetched struct{ actor *awards.Actor }

type prefetchKey struct{}

// LoadAndSave is the session manager's LoadAndSave, with the actor of
// the session's user read in the same round trip as the session.
func (s *Service) LoadAndSave(next http.Handler) http.Handler {
	h := s.Sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), prefetchKey{}, &prefetched{})))
	})
}

// Actor returns the actor of user userID, as read with the request's
// session when it is theirs, else from the database: ENotFound when the
// user no longer exists.
func (s *Service) Actor(ctx context.Context, userID int64) (*awards.Actor, error) {
	if pf, _ := ctx.Value(prefetchKey{}).(*prefetched); pf != nil && pf.actor != nil && pf.actor.User.ID == userID {
		return pf.actor, nil
	}
	return s.users.Actor(ctx, userID)
}
