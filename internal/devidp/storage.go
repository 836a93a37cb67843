package devidp

import (
	"context"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Lifetimes are short because nothing here survives a restart anyway; they
// only need to outlast a developer clicking through the login page.
const (
	authRequestTTL  = 30 * time.Minute
	codeTTL         = 5 * time.Minute
	accessTokenTTL  = time.Hour
	idTokenLifetime = time.Hour
)

// storage is the in-memory op.Storage. clients, users and key are fixed
// by New and read without locking; everything else is guarded by mu, and
// auth requests leave it only as copies, so the op library never reads a
// struct that a login handler is changing.
type storage struct {
	mu           sync.Mutex
	now          func() time.Time // replaced in tests to expire codes
	clients      map[string]*client
	users        map[string]*User
	authRequests map[string]*authRequest
	codes        map[string]string // code -> auth request ID
	tokens       map[string]*accessToken
	key          *signingKey
	benchUsers   bool // Config.BenchUsers
}

var _ op.Storage = (*storage)(nil)
var _ op.CanSetUserinfoFromRequest = (*storage)(nil)

type accessToken struct {
	id       string
	subject  string
	clientID string
	scopes   []string
	expires  time.Time
}

// authRequest is both the stored state of one authorization and, as a
// copy, the op.AuthRequest handed to the library.
type authRequest struct {
	id            string
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	loginHint     string
	prompt        []string
	created       time.Time

	// browser is the devidp_login cookie value of the browser that opened
	// the login page; the POST must come from the same browser.
	browser string

	// Set when a user is chosen.
	subject  string
	acr      string
	authTime time.Time
	done     bool

	code         string
	codeIssuedAt time.Time
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return a.acr }
func (a *authRequest) GetAMR() []string                      { return nil }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

func (a *authRequest) copy() *authRequest {
	c := *a
	return &c
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is the JWKS view of the signing key.
type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

var (
	errNotFound     = errors.New("devidp: not found")
	errNotSupported = errors.New("devidp: not supported")
)

// sweep drops expired entries; called with mu held. Lazy sweeping is
// enough for a dev provider with a handful of requests.
func (s *storage) sweep(now time.Time) {
	for id, a := range s.authRequests {
		if now.Sub(a.created) > authRequestTTL {
			s.deleteAuthRequestLocked(id)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

func (s *storage) deleteAuthRequestLocked(id string) {
	if a, ok := s.authRequests[id]; ok && a.code != "" {
		delete(s.codes, a.code)
	}
	delete(s.authRequests, id)
}

// liveAuthRequestLocked returns the stored (not copied) auth request if it
// exists and has not expired.
func (s *storage) liveAuthRequestLocked(id string) (*authRequest, bool) {
	a, ok := s.authRequests[id]
	if !ok || s.now().Sub(a.created) > authRequestTTL {
		return nil, false
	}
	return a, true
}

// CreateAuthRequest stores a validated authorize request. PKCE "plain" is
// refused because it protects nothing and discovery advertises only S256.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	var challenge *oidc.CodeChallenge
	if req.CodeChallenge != "" {
		if req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
			return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
		}
		challenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	a := &authRequest{
		id:            id,
		clientID:      req.ClientID,
		redirectURI:   req.RedirectURI,
		state:         req.State,
		nonce:         req.Nonce,
		scopes:        slices.Clone([]string(req.Scopes)),
		responseType:  req.ResponseType,
		responseMode:  req.ResponseMode,
		codeChallenge: challenge,
		loginHint:     req.LoginHint,
		prompt:        slices.Clone([]string(req.Prompt)),
		created:       now,
	}
	s.authRequests[id] = a
	return a.copy(), nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.liveAuthRequestLocked(id)
	if !ok {
		return nil, fmt.Errorf("auth request %w", errNotFound)
	}
	return a.copy(), nil
}

// AuthRequestByCode also enforces the code lifetime, which the library
// leaves to storage.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, fmt.Errorf("code %w", errNotFound)
	}
	a, ok := s.liveAuthRequestLocked(id)
	if !ok || a.code != code || s.now().Sub(a.codeIssuedAt) > codeTTL {
		return nil, errors.New("devidp: code expired")
	}
	return a.copy(), nil
}

// SaveAuthCode keeps one code per auth request, so reloading the callback
// invalidates the code it handed out before.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.liveAuthRequestLocked(id)
	if !ok {
		return fmt.Errorf("auth request %w", errNotFound)
	}
	if a.code != "" {
		delete(s.codes, a.code)
	}
	a.code = code
	a.codeIssuedAt = s.now()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest is called once the code is exchanged, which makes
// codes single-use.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAuthRequestLocked(id)
	return nil
}

// CreateAccessToken records an opaque access token; the library encrypts
// "<id>:<subject>" into the token string and hands the pair back to
// SetUserinfoFromToken.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	var clientID string
	if a, ok := req.(*authRequest); ok {
		clientID = a.clientID
	}
	id, err := randomID()
	if err != nil {
		return "", time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	t := &accessToken{
		id:       id,
		subject:  req.GetSubject(),
		clientID: clientID,
		scopes:   slices.Clone(req.GetScopes()),
		expires:  now.Add(accessTokenTTL),
	}
	s.tokens[id] = t
	return id, t.expires, nil
}

// Refresh tokens are not offered: clients are not registered for the
// refresh_token grant, so the library never calls these.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, fmt.Errorf("refresh tokens: %w", errNotSupported)
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, oidc.ErrInvalidGrant().WithDescription("refresh tokens are not supported")
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession revokes the user's access tokens for the client; there
// is no provider-side SSO session to end.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrTokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenOrTokenID]
	if !ok {
		// RFC 7009: an unknown token is already as revoked as it gets.
		return nil
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
	}
	delete(s.tokens, tokenOrTokenID)
	return nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// GetClientByClientID answers an unknown client with invalid_request
// rather than a plain error, which the library would turn into a 500 on
// end_session.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	c, ok := s.clients[clientID] // immutable after New
	if !ok {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown client_id")
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, clientSecret string) error {
	c, ok := s.clients[clientID]
	if !ok || c.secret == "" || subtle.ConstantTimeCompare([]byte(c.secret), []byte(clientSecret)) != 1 {
		return errors.New("devidp: invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does
// the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	u, ok := s.user(req.GetSubject())
	if !ok {
		return fmt.Errorf("user %q %w", req.GetSubject(), errNotFound)
	}
	setUserinfo(info, u, scopes)
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.liveToken(tokenID, subject)
	if err != nil {
		return err
	}
	u, ok := s.user(subject)
	if !ok {
		return fmt.Errorf("user %q %w", subject, errNotFound)
	}
	setUserinfo(info, u, t.scopes)
	return nil
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.liveToken(tokenID, subject)
	if err != nil {
		return err
	}
	if t.clientID != clientID {
		return errors.New("devidp: token was not issued to this client")
	}
	u, ok := s.user(subject)
	if !ok {
		return fmt.Errorf("user %q %w", subject, errNotFound)
	}
	info := new(oidc.UserInfo)
	setUserinfo(info, u, t.scopes)
	resp.SetUserInfo(info)
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Expiration = oidc.FromTime(t.expires)
	return nil
}

func (s *storage) liveToken(tokenID, subject string) (accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok || t.subject != subject || s.now().After(t.expires) {
		return accessToken{}, errors.New("devidp: access token invalid or expired")
	}
	return *t, nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// The JWT profile grant is always advertised by op; refusing keys here
// makes it fail closed.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, fmt.Errorf("client keys: %w", errNotSupported)
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, fmt.Errorf("JWT profile grant: %w", errNotSupported)
}

func (s *storage) Health(context.Context) error { return nil }

// setUserinfo maps a demo user to claims. Standard claims follow the
// requested scopes, as a real provider's would, so a client that forgets
// "profile" or "email" notices in development. Extra claims are always
// added; registered claims win if a key collides.
func setUserinfo(info *oidc.UserInfo, u *User, scopes []string) {
	info.Subject = u.Username
	for _, scope := range scopes {
		switch scope {
		case oidc.ScopeProfile:
			info.Name = u.Name
			info.PreferredUsername = u.Username
			if u.Locale != "" {
				info.Locale = oidc.NewLocale(language.Make(u.Locale))
			}
		case oidc.ScopeEmail:
			info.Email = u.Email
			info.EmailVerified = oidc.Bool(u.Email != "")
		}
	}
	for k, v := range u.Claims {
		info.AppendClaims(k, v)
	}
}

// benchUsername is a login_hint that Config.BenchUsers signs in.
var benchUsername = regexp.MustCompile(`^bench-[0-9]{1,6}$`)

// user returns the user with username name: a configured one, or with
// benchUsers a made-up one for bench-<n>. Made-up users are derived from
// the name alone, so nothing needs storing and the map stays read-only.
func (s *storage) user(name string) (*User, bool) {
	if u, ok := s.users[name]; ok {
		return u, true
	}
	if !s.benchUsers || !benchUsername.MatchString(name) {
		return nil, false
	}
	n := strings.TrimPrefix(name, "bench-")
	return &User{Username: name, Name: "Testbruker " + n, Email: name + "@example.org"}, true
}

// loginState returns the login-relevant fields of a live auth request.
func (s *storage) loginState(id string) (authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.liveAuthRequestLocked(id)
	if !ok {
		return authRequest{}, false
	}
	return *a, true
}

// bindBrowser ties a pending auth request to the browser that is shown
// the picker, unless it is already bound.
func (s *storage) bindBrowser(id, browser string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.liveAuthRequestLocked(id)
	if !ok || a.done {
		return false
	}
	if a.browser == "" {
		a.browser = browser
	}
	return a.browser == browser
}

// completeLogin marks the auth request as authenticated by u. With
// requireBrowser, browser must match the one bound by bindBrowser.
func (s *storage) completeLogin(id string, u *User, browser string, requireBrowser bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.liveAuthRequestLocked(id)
	if !ok {
		return fmt.Errorf("auth request %w", errNotFound)
	}
	if a.done {
		return errors.New("devidp: auth request already completed")
	}
	if requireBrowser && (a.browser == "" || subtle.ConstantTimeCompare([]byte(a.browser), []byte(browser)) != 1) {
		return errors.New("devidp: login was started in another browser")
	}
	a.subject = u.Username
	a.authTime = s.now()
	if acr, ok := u.Claims["acr"].(string); ok {
		a.acr = acr
	}
	a.done = true
	return nil
}
