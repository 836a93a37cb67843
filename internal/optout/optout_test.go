package optout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var key = []byte("optout-test-key-5fK8qW2nR7tY1mZ4xC9v")

// TestLinks: a call link opts out only its organisation, once, recording
// who and when; a forged link, an expired one and one signed for another
// purpose change nothing and say why.
func TestLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	var org, user int64
	for _, q := range []struct {
		dst *int64
		sql string
	}{
		{&org, `INSERT INTO organisations (kind, name, language) VALUES ('municipality', 'Træna kommune', 'nn') RETURNING id`},
		{&user, `INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', 'tore', 'Tore', 'tore@traena.kommune.no') RETURNING id`},
	} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			t.Fatal(err)
		}
	}
	s := optout.NewService(db, key)
	now := time.Now()
	valid, err := optout.CallToken(key, org, user, "tore@traena.kommune.no", now)
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := optout.CallToken(key, org, user, "tore@traena.kommune.no", now.Add(-optout.Lifetime-time.Minute))
	otherKey, _ := optout.CallToken([]byte("another-instance-key-aaaaaaaaaaaaaaa"), org, user, "tore@traena.kommune.no", now)
	otherPurpose, _ := optout.Sign(key, optout.Claims{Purpose: "jury_invitation", OrganisationID: org, UserID: user, Expires: now.Add(time.Hour).Unix()})
	tampered := valid[:len(valid)-2] + "xx"
	optedOut := func() int {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM call_optouts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		name, token string
		cause       error
	}{
		{"expired", expired, optout.ErrExpired},
		{"other key", otherKey, optout.ErrForged},
		{"other purpose", otherPurpose, optout.ErrForged},
		{"tampered", tampered, optout.ErrForged},
		{"garbage", "not-a-token", optout.ErrForged},
	} {
		for _, f := range []func(context.Context, string) (optout.View, error){s.Preview, s.Confirm} {
			_, err := f(ctx, tc.token)
			if awards.ErrorCode(err) != awards.EInvalid || !errors.Is(err, tc.cause) {
				t.Errorf("%s: %v, want EInvalid with %v", tc.name, err, tc.cause)
			}
		}
		if n := optedOut(); n != 0 {
			t.Fatalf("%s: %d organisations opted out", tc.name, n)
		}
	}

	v, err := s.Preview(ctx, valid)
	if err != nil || v.OrganisationName != "Træna kommune" || v.Email != "tore@traena.kommune.no" || v.OptedOutAt != nil {
		t.Fatalf("preview: %+v, %v", v, err)
	}
	if n := optedOut(); n != 0 {
		t.Fatalf("the preview opted %d out", n)
	}
	v, err = s.Confirm(ctx, valid)
	if err != nil || v.OptedOutAt == nil {
		t.Fatalf("confirm: %+v, %v", v, err)
	}
	first := *v.OptedOutAt
	// Confirming again keeps the first record.
	if v, err = s.Confirm(ctx, valid); err != nil || !v.OptedOutAt.Equal(first) {
		t.Errorf("confirm again: %+v, %v", v, err)
	}
	var gotOrg, gotUser int64
	var email string
	if err := db.QueryRowContext(ctx, `SELECT organisation_id, user_id, email FROM call_optouts`).Scan(&gotOrg, &gotUser, &email); err != nil {
		t.Fatal(err)
	}
	if gotOrg != org || gotUser != user || email != "tore@traena.kommune.no" || optedOut() != 1 {
		t.Errorf("recorded %d by %d (%s), want %d by %d; %d rows", gotOrg, gotUser, email, org, user, optedOut())
	}
}
