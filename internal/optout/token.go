package optout

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PurposeCall is the one thing a call announcement's link may do: opt its
// organisation out of call announcements. A token signed for another
// purpose is refused here even with a valid signature.
const PurposeCall = "call_optout"

// Lifetime is how long an unsubscribe link works: a year, as calls come
// once a year and an old mail should still be good for the next one.
const Lifetime = 365 * 24 * time.Hour

// Errors of Verify; Service wraps them in awards.Error.
var (
	// ErrForged: the token does not parse, its signature does not match,
	// or it was signed for another purpose.
	ErrForged = errors.New("unsubscribe link is not valid")
	// ErrExpired: the token is genuine but past its expiry.
	ErrExpired = errors.New("unsubscribe link has expired")
)

// Claims are what a token says.
type Claims struct {
	Purpose        string `json:"p"`
	OrganisationID int64  `json:"o"`
	UserID         int64  `json:"u"`
	Email          string `json:"e"`
	// Expires is a Unix time in seconds.
	Expires int64 `json:"x"`
}

// Sign returns the token for c with key: the claims as base64url JSON, a
// dot, and their HMAC-SHA256.
func Sign(key []byte, c Claims) (string, error) {
	if len(key) == 0 {
		return "", errors.New("sign unsubscribe link: no key")
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("sign unsubscribe link: %w", err)
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac(key, payload)), nil
}

// CallToken signs the call unsubscribe link for the member userID (at
// email) of organisation orgID, valid for Lifetime from now.
func CallToken(key []byte, orgID, userID int64, email string, now time.Time) (string, error) {
	return Sign(key, Claims{Purpose: PurposeCall, OrganisationID: orgID, UserID: userID, Email: email,
		Expires: now.Add(Lifetime).Unix()})
}

func mac(key []byte, payload string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// Verify returns the claims of token, signed with key for purpose, at
// instant now: ErrForged when it is not (a bad signature or form, another
// purpose), ErrExpired when it is but has expired.
func Verify(key []byte, token, purpose string, now time.Time) (Claims, error) {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(key) == 0 {
		return Claims{}, ErrForged
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(key, payload)) {
		return Claims{}, ErrForged
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Claims{}, ErrForged
	}
	var c Claims
	if err := json.Unmarshal(body, &c); err != nil || c.Purpose != purpose || c.OrganisationID == 0 {
		return Claims{}, ErrForged
	}
	if !now.Before(time.Unix(c.Expires, 0)) {
		return c, ErrExpired
	}
	return c, nil
}
