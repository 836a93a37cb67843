package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/heder-awards/heder/internal/users"
	"golang.org/x/oauth2"
)

// Session keys.
const (
	keyUserID   = "user_id"
	keySeen     = "seen"
	keyProvider = "provider"
	keyIDToken  = "id_token"
	keyPending  = "login"
)

// CookieName is the session cookie's name; the development provider uses
// another so that the two do not overwrite each other on 127.0.0.1.
const CookieName = "heder_session"

// pending is a login in flight, kept in the session between the redirect
// to the provider and the callback.
type pending struct {
	State    string
	Nonce    string
	Verifier string
	Provider string
	Next     string
	Started  time.Time
}

func init() { gob.Register(pending{}) }

// loginTimeout bounds how long a person may spend at the provider.
const loginTimeout = 15 * time.Minute

// Service is the relying party for every configured provider.
type Service struct {
	Sessions  *scs.SessionManager
	idle      time.Duration
	users     *users.Service
	baseURL   string
	admins    []Admin
	providers []*provider
	logger    *slog.Logger
	client    *http.Client
}

type provider struct {
	cfg Provider

	mu         sync.Mutex
	discovered *oidc.Provider
	endSession string
}

// Options configure New.
type Options struct {
	DB              *postgres.DB
	Users           *users.Service
	BaseURL         string
	Providers       []Provider
	Admins          []Admin
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	Logger          *slog.Logger
	// HTTPClient talks to the providers; it must have a timeout.
	HTTPClient *http.Client
}

// New builds the service. Providers are discovered on first use, so the
// app starts even when a provider is down.
func New(o Options) *Service {
	sm := scs.New()
	sm.Codec = sessionCodec{}
	sm.Store = &sessionStore{PostgresStore: postgresstore.NewWithCleanupInterval(o.DB.DB.DB, 10*time.Minute), db: o.DB, codec: sm.Codec}
	sm.HashTokenInStore = true
	// The idle timeout is kept by UserID, not by scs, which would write
	// the session back to the database on every request.
	sm.Lifetime = o.SessionLifetime
	sm.Cookie.Name = CookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.Secure = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	client := o.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Service{Sessions: sm, idle: o.SessionIdle, users: o.Users, baseURL: o.BaseURL, admins: o.Admins, logger: o.Logger, client: client}
	for _, p := range o.Providers {
		s.providers = append(s.providers, &provider{cfg: p})
	}
	return s
}

// ProviderInfo is what the login page shows for a provider.
type ProviderInfo struct{ ID, Name string }

// Providers lists the configured providers in order.
func (s *Service) Providers() []ProviderInfo {
	out := make([]ProviderInfo, len(s.providers))
	for i, p := range s.providers {
		out[i] = ProviderInfo{ID: p.cfg.ID, Name: p.cfg.Name}
	}
	return out
}

func (s *Service) provider(id string) *provider {
	if id == "" && len(s.providers) == 1 {
		return s.providers[0]
	}
	for _, p := range s.providers {
		if p.cfg.ID == id {
			return p
		}
	}
	return nil
}

func (s *Service) discover(ctx context.Context, p *provider) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.discovered != nil {
		return p.discovered, nil
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client), 10*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.cfg.Issuer)
	if err != nil {
		return nil, &awards.Error{Code: awards.EUnavailable, Op: "discover " + p.cfg.ID, Message: "the login provider does not answer", Err: err}
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = op.Claims(&extra)
	p.discovered, p.endSession = op, extra.EndSession
	return op, nil
}

func (s *Service) oauthConfig(p *provider, op *oidc.Provider) *oauth2.Config {
	scopes := p.cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	return &oauth2.Config{
		ClientID:     p.cfg.ClientID,
		ClientSecret: p.cfg.ClientSecret,
		Endpoint:     op.Endpoint(),
		RedirectURL:  s.baseURL + "/auth/callback",
		Scopes:       scopes,
	}
}

// LoginRequest is a request to start logging in.
type LoginRequest struct {
	Provider  string
	LoginHint string
	Lang      string
	Next      string
}

// ErrChooseProvider means several providers are configured and none was
// chosen: the caller shows the choice.
var ErrChooseProvider = errors.New("choose a login provider")

// StartLogin remembers state, nonce and PKCE verifier in the session and
// returns the provider's authorization URL to redirect to.
func (s *Service) StartLogin(ctx context.Context, req LoginRequest) (string, error) {
	p := s.provider(req.Provider)
	if p == nil {
		if req.Provider == "" {
			return "", ErrChooseProvider
		}
		return "", awards.Errorf(awards.ENotFound, "unknown login provider")
	}
	op, err := s.discover(ctx, p)
	if err != nil {
		return "", err
	}
	pend := pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(),
		Provider: p.cfg.ID, Next: SafeNext(req.Next), Started: time.Now()}
	s.Sessions.Put(ctx, keyPending, pend)
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(pend.Verifier), oidc.Nonce(pend.Nonce)}
	if req.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", req.LoginHint))
	}
	if p.cfg.UILocales && req.Lang != "" {
		opts = append(opts, oauth2.SetAuthURLParam("ui_locales", req.Lang))
	}
	for k, v := range p.cfg.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	return s.oauthConfig(p, op).AuthCodeURL(pend.State, opts...), nil
}

// ErrLoginFailed is the one error a failed callback returns to the user;
// the cause is logged, never shown.
var ErrLoginFailed = &awards.Error{Code: awards.EUnauthenticated, Message: "login failed"}

func failed(op string, err error) error {
	return &awards.Error{Code: awards.EUnauthenticated, Op: op, Message: "login failed", Err: err}
}

// Callback finishes a login: it checks state, exchanges the code with the
// PKCE verifier, verifies the ID token and nonce, checks acr, provisions
// the user and renews the session ID. It returns where to go next.
func (s *Service) Callback(ctx context.Context, q url.Values) (string, error) {
	pend, ok := s.Sessions.Pop(ctx, keyPending).(pending)
	if !ok {
		return "", failed("callback", errors.New("no login in progress (replayed or expired callback)"))
	}
	if q.Get("state") == "" || q.Get("state") != pend.State {
		return "", failed("callback", errors.New("state mismatch"))
	}
	if time.Since(pend.Started) > loginTimeout {
		return "", failed("callback", errors.New("login took too long"))
	}
	if e := q.Get("error"); e != "" {
		return "", failed("callback", fmt.Errorf("provider answered %s: %s", e, q.Get("error_description")))
	}
	p := s.provider(pend.Provider)
	if p == nil {
		return "", failed("callback", errors.New("provider no longer configured"))
	}
	op, err := s.discover(ctx, p)
	if err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client), 10*time.Second)
	defer cancel()
	cfg := s.oauthConfig(p, op)
	tok, err := cfg.Exchange(cctx, q.Get("code"), oauth2.VerifierOption(pend.Verifier))
	if err != nil {
		return "", failed("exchange code", err)
	}
	rawID, ok := tok.Extra("id_token").(string)
	if !ok || rawID == "" {
		return "", failed("callback", errors.New("no id_token in token response"))
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID}).Verify(cctx, rawID)
	if err != nil {
		return "", failed("verify id token", err)
	}
	if idt.Nonce != pend.Nonce {
		return "", failed("callback", errors.New("nonce mismatch"))
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return "", failed("read claims", err)
	}
	if _, has := claims["name"]; !has {
		// Some providers put the profile only in userinfo, which must be
		// about the same subject (OpenID Connect Core 5.3.2).
		if ui, err := op.UserInfo(cctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			var more map[string]any
			if ui.Claims(&more) == nil {
				for k, v := range more {
					if _, exists := claims[k]; !exists {
						claims[k] = v
					}
				}
			}
		}
	}
	userID, err := s.provision(ctx, p, idt.Issuer, idt.Subject, claims)
	if err != nil {
		return "", err
	}
	// A fresh session ID at login stops session fixation.
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return "", fmt.Errorf("renew session: %w", err)
	}
	s.Sessions.Put(ctx, keyUserID, userID)
	s.Sessions.Put(ctx, keyProvider, p.cfg.ID)
	s.Sessions.Put(ctx, keyIDToken, rawID)
	s.Sessions.Put(ctx, keySeen, time.Now().Unix())
	s.logger.InfoContext(ctx, "login", "user_id", userID, "provider", p.cfg.ID)
	return pend.Next, nil
}

func (s *Service) provision(ctx context.Context, p *provider, issuer, subject string, claims map[string]any) (int64, error) {
	acr, _ := claims["acr"].(string)
	if !p.cfg.ACRAtLeast(acr) {
		return 0, failed("check acr", fmt.Errorf("acr %q is below the minimum %q", acr, p.cfg.MinACR))
	}
	str := func(k string) string { v, _ := claims[k].(string); return v }
	verified, _ := claims["email_verified"].(bool)
	name := str("name")
	if name == "" {
		name = strings.TrimSpace(str("given_name") + " " + str("family_name"))
	}
	l := users.Login{
		Issuer: issuer, Subject: subject, Name: name, Email: str("email"), EmailVerified: verified,
		Locale: str("locale"), Orgnrs: Orgnrs(claims, p.cfg.OrgnrClaims), EmailDomains: p.cfg.EmailDomains,
	}
	for _, a := range s.admins {
		if (a.Issuer == issuer && a.Subject == subject) || (a.Email != "" && verified && strings.EqualFold(a.Email, l.Email)) {
			l.Admin = true
		}
	}
	id, err := s.users.Provision(ctx, l)
	if err != nil {
		return 0, fmt.Errorf("provision login: %w", err)
	}
	return id, nil
}

// touchEvery is how stale a session's last use may be before a request
// stores it again: the idle timeout is that much less exact, and a reader
// clicking through pages costs no database write per page.
const touchEvery = time.Minute

// UserID returns the logged-in user of the request's session, or 0 when
// there is none or it has been unused for longer than the idle timeout
// (it is then deleted).
func (s *Service) UserID(ctx context.Context) int64 {
	id := s.Sessions.GetInt64(ctx, keyUserID)
	if id == 0 {
		return 0
	}
	idle := time.Since(time.Unix(s.Sessions.GetInt64(ctx, keySeen), 0))
	if s.idle > 0 && idle > s.idle {
		if err := s.Sessions.Destroy(ctx); err != nil {
			s.logger.ErrorContext(ctx, "end idle session", "error", err)
		}
		return 0
	}
	if idle > touchEvery {
		s.Sessions.Put(ctx, keySeen, time.Now().Unix())
	}
	return id
}

// Logout deletes the session and returns where to send the browser: the
// provider's end-session endpoint where it has one, else the front page.
func (s *Service) Logout(ctx context.Context) (string, error) {
	providerID := s.Sessions.GetString(ctx, keyProvider)
	idToken := s.Sessions.GetString(ctx, keyIDToken)
	if err := s.Sessions.Destroy(ctx); err != nil {
		return "", fmt.Errorf("destroy session: %w", err)
	}
	home := s.baseURL + "/?logged_out=1"
	p := s.provider(providerID)
	if p == nil || providerID == "" {
		return home, nil
	}
	if _, err := s.discover(ctx, p); err != nil || p.endSession == "" {
		return home, nil
	}
	v := url.Values{"post_logout_redirect_uri": {home}, "client_id": {p.cfg.ClientID}}
	if idToken != "" {
		v.Set("id_token_hint", idToken)
	}
	return p.endSession + "?" + v.Encode(), nil
}

// Bearer authenticates a script's bearer token: a JWT from a configured
// issuer whose audience is that provider's client ID, verified against the
// issuer's published keys. It returns the user ID.
func (s *Service) Bearer(ctx context.Context, raw string) (int64, error) {
	iss, err := unverifiedIssuer(raw)
	if err != nil {
		return 0, &awards.Error{Code: awards.EUnauthenticated, Message: "invalid bearer token", Err: err}
	}
	for _, p := range s.providers {
		if p.cfg.Issuer != iss {
			continue
		}
		op, err := s.discover(ctx, p)
		if err != nil {
			return 0, err
		}
		cctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client), 10*time.Second)
		defer cancel()
		tok, err := op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID}).Verify(cctx, raw)
		if err != nil {
			return 0, &awards.Error{Code: awards.EUnauthenticated, Message: "invalid bearer token", Err: err}
		}
		claims := map[string]any{}
		if err := tok.Claims(&claims); err != nil {
			return 0, &awards.Error{Code: awards.EUnauthenticated, Message: "invalid bearer token", Err: err}
		}
		return s.provision(ctx, p, tok.Issuer, tok.Subject, claims)
	}
	return 0, &awards.Error{Code: awards.EUnauthenticated, Message: "bearer token from an unknown issuer"}
}

func unverifiedIssuer(raw string) (string, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("decode payload: %w", err)
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", fmt.Errorf("parse payload: %w", err)
	}
	return c.Iss, nil
}

// SafeNext keeps a post-login destination only when it is a path on this
// site, so a login link cannot send people elsewhere.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SessionsOf lists a user's live sessions without their tokens, for the
// person's own data export. A session's user is inside its encoded data,
// so every live session is read: an export is rare, the sessions few.
func (s *Service) SessionsOf(ctx context.Context, userID int64) ([]privacy.Session, error) {
	var out []privacy.Session
	err := s.Sessions.Iterate(ctx, func(ctx context.Context) error {
		if s.Sessions.GetInt64(ctx, keyUserID) != userID {
			return nil
		}
		out = append(out, privacy.Session{Provider: s.Sessions.GetString(ctx, keyProvider),
			LastSeen: time.Unix(s.Sessions.GetInt64(ctx, keySeen), 0).UTC(), Expires: s.Sessions.Deadline(ctx).UTC()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", userID, err)
	}
	slices.SortFunc(out, func(a, b privacy.Session) int { return b.LastSeen.Compare(a.LastSeen) })
	return out, nil
}
