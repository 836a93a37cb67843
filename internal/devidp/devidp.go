package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Paths the provider serves besides op's defaults (/authorize,
// /authorize/callback, /oauth/token, /userinfo, /end_session, /keys, ...).
const (
	loginPath     = "/login"
	loggedOutPath = "/logged-out"
)

// User is a demo identity.
type User struct {
	Username string         // also the OIDC subject, e.g. "asker"
	Name     string         // "Kari Asker"
	Email    string         // "kari@asker.kommune.no"; email_verified=true
	Locale   string         // optional
	Claims   map[string]any // optional extra claims put into ID token and userinfo (e.g. "authorization_details": [...], "acr": ...)
}

// Client is a relying party registered with the provider. A client without
// Secret is public and must use PKCE.
type Client struct {
	ID, Secret             string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
}

// Config configures New.
type Config struct {
	Issuer  string // e.g. "http://127.0.0.1:8081" (exact, no trailing slash); http allowed (op.WithAllowInsecure)
	Users   []User
	Clients []Client
	Logger  *slog.Logger
	// BenchUsers also signs in any login_hint of the form bench-<n> (n of
	// one to six digits) as a made-up user, so that a load test can log in
	// hundreds of distinct people (bench/rush). Off unless asked for:
	// `heder dev` sets it only with HEDER_DEV_BENCH_USERS=1.
	BenchUsers bool
}

// Provider is the development OpenID provider. It is an http.Handler that
// must be served at the root of Config.Issuer.
type Provider struct {
	issuer    string
	secure    bool // issuer is https, so cookies get Secure
	op        *op.Provider
	store     *storage
	users     []*User // in Config order, for the picker
	log       *slog.Logger
	mux       *http.ServeMux
	formCSP   string
	loginPage string // absolute URL of the login form's action
}

// New returns the provider as an http.Handler serving discovery (/.well-known/openid-configuration), JWKS, authorize, token, userinfo, end_session, and a login page.
func New(cfg Config) (*Provider, error) {
	if err := validateIssuer(cfg.Issuer); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}

	st := &storage{
		now:          time.Now,
		clients:      make(map[string]*client, len(cfg.Clients)),
		users:        make(map[string]*User, len(cfg.Users)),
		authRequests: make(map[string]*authRequest),
		codes:        make(map[string]string),
		tokens:       make(map[string]*accessToken),
		benchUsers:   cfg.BenchUsers,
	}
	p := &Provider{
		issuer:    cfg.Issuer,
		secure:    strings.HasPrefix(cfg.Issuer, "https://"),
		store:     st,
		log:       logger,
		loginPage: cfg.Issuer + loginPath,
	}

	extraClaims := map[string]bool{}
	for _, u := range cfg.Users {
		if u.Username == "" {
			return nil, errors.New("devidp: user with empty Username")
		}
		// op encodes opaque access tokens as "<token id>:<subject>" and
		// splits on ':', so a colon in the subject would break userinfo.
		if strings.Contains(u.Username, ":") {
			return nil, fmt.Errorf("devidp: username %q must not contain ':'", u.Username)
		}
		if _, dup := st.users[u.Username]; dup {
			return nil, fmt.Errorf("devidp: duplicate user %q", u.Username)
		}
		u.Claims = maps.Clone(u.Claims)
		for k := range u.Claims {
			extraClaims[k] = true
		}
		st.users[u.Username] = &u
		p.users = append(p.users, &u)
	}

	formActions := []string{"'self'"}
	for _, c := range cfg.Clients {
		if c.ID == "" {
			return nil, errors.New("devidp: client with empty ID")
		}
		if _, dup := st.clients[c.ID]; dup {
			return nil, fmt.Errorf("devidp: duplicate client %q", c.ID)
		}
		if len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("devidp: client %q has no RedirectURIs", c.ID)
		}
		for _, ru := range c.RedirectURIs {
			src, err := cspSource(ru)
			if err != nil {
				return nil, fmt.Errorf("devidp: client %q: redirect URI %q: %w", c.ID, ru, err)
			}
			if !slices.Contains(formActions, src) {
				formActions = append(formActions, src)
			}
		}
		st.clients[c.ID] = newClient(c, cfg.Issuer+loginPath+"?authRequestID=")
	}
	// Chrome applies form-action to every redirect that follows a form
	// submission, and picking a user ends at the client's redirect URI.
	p.formCSP = "form-action " + strings.Join(formActions, " ")

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: generate signing key: %w", err)
	}
	kid, err := randomID()
	if err != nil {
		return nil, err
	}
	st.key = &signingKey{id: kid, key: key}

	// op encrypts authorization codes and opaque access tokens with
	// AES-256-GCM under this key, so it must be exactly 32 random bytes.
	// Its own key ID keeps the JWE header from naming the JWKS key.
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, err
	}
	cryptoKeyID, err := randomID()
	if err != nil {
		return nil, err
	}

	claims := slices.Clone(op.DefaultSupportedClaims)
	for _, k := range slices.Sorted(maps.Keys(extraClaims)) {
		if !slices.Contains(claims, k) {
			claims = append(claims, k)
		}
	}

	opConfig := &op.Config{
		CryptoKey:                cryptoKey,
		CryptoKeyId:              cryptoKeyID,
		DefaultLogoutRedirectURI: cfg.Issuer + loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.MustParse("nb")},
		SupportedScopes:          []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail},
		SupportedClaims:          claims,
	}
	p.op, err = op.NewProvider(opConfig, st, op.StaticIssuer(cfg.Issuer),
		// Without this op refuses an http:// issuer.
		op.WithAllowInsecure(),
	)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}

	p.mux = http.NewServeMux()
	p.mux.HandleFunc("GET "+loginPath, p.handleLoginPage)
	// CrossOriginProtection refuses cross-origin POSTs using Sec-Fetch-Site
	// and Origin, which browsers send and a forged form cannot change.
	p.mux.Handle("POST "+loginPath, http.NewCrossOriginProtection().Handler(http.HandlerFunc(p.handleLoginSubmit)))
	p.mux.HandleFunc("GET "+loggedOutPath, p.handleLoggedOut)
	p.mux.Handle("/", p.op)
	return p, nil
}

// ServeHTTP serves the OIDC endpoints and the login page.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mux.ServeHTTP(w, r)
}

// validateIssuer insists on a bare origin: op routes on fixed root paths,
// so an issuer with a path would advertise endpoints nobody serves.
func validateIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Errorf("devidp: issuer: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("devidp: issuer %q must be an http(s) origin", issuer)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("devidp: issuer %q must be scheme://host[:port] with no path or trailing slash", issuer)
	}
	return nil
}

// cspSource returns the CSP source expression matching a redirect URI.
func cspSource(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme == "":
		return "", errors.New("not absolute")
	case u.Host == "":
		return u.Scheme + ":", nil // custom scheme of a native app
	default:
		return u.Scheme + "://" + u.Host, nil
	}
}

// randomID returns 128 bits of randomness, enough that auth request IDs
// and browser bindings cannot be guessed.
func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("devidp: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
