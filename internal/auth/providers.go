package auth

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Provider configures one OpenID Connect issuer users can log in with.
type Provider struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// ClientSecretFile is read at start when ClientSecret is empty.
	ClientSecretFile string            `json:"client_secret_file"`
	Scopes           []string          `json:"scopes"`
	AuthParams       map[string]string `json:"auth_params"`
	// MinACR is the lowest acceptable acr; ACRLevels orders the levels,
	// lowest first (default: ID-porten's).
	MinACR    string   `json:"min_acr"`
	ACRLevels []string `json:"acr_levels"`
	// OrgnrClaims are claim paths that hold organisation numbers, e.g.
	// "authorization_details[].authorized_parties[].orgno.ID" ("0192:<orgnr>").
	OrgnrClaims []string `json:"orgnr_claims"`
	// EmailDomains lets a verified e-mail address place a user in the
	// organisation that owns its domain.
	EmailDomains bool `json:"email_domains"`
	// UILocales passes the user's language as ui_locales.
	UILocales bool `json:"ui_locales"`
}

// Admin names a bootstrap site admin: issuer and subject, or a verified e-mail.
type Admin struct {
	Issuer  string
	Subject string
	Email   string
}

// ParseProviders reads a JSON array of providers.
func ParseProviders(raw []byte) ([]Provider, error) {
	var ps []Provider
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ps); err != nil {
		return nil, fmt.Errorf("not a JSON array of providers: %w", err)
	}
	return ps, nil
}

// ParseAdmins reads a comma-separated list of "issuer|subject" or
// "email:address" entries.
func ParseAdmins(raw string) ([]Admin, error) {
	var admins []Admin
	for _, item := range strings.Split(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if email, ok := strings.CutPrefix(item, "email:"); ok && strings.Contains(email, "@") {
			admins = append(admins, Admin{Email: strings.ToLower(email)})
			continue
		}
		iss, sub, ok := strings.Cut(item, "|")
		if !ok || iss == "" || sub == "" {
			return nil, fmt.Errorf("%q is neither issuer|subject nor email:address", item)
		}
		admins = append(admins, Admin{Issuer: iss, Subject: sub})
	}
	return admins, nil
}

// ACRLevelsOrDefault returns the configured levels or ID-porten's.
func (p Provider) ACRLevelsOrDefault() []string {
	if len(p.ACRLevels) > 0 {
		return p.ACRLevels
	}
	return []string{"idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"}
}

// ACRAtLeast reports whether acr meets the provider's minimum.
func (p Provider) ACRAtLeast(acr string) bool {
	if p.MinACR == "" {
		return true
	}
	levels := p.ACRLevelsOrDefault()
	got := indexOf(levels, acr)
	return got >= 0 && got >= indexOf(levels, p.MinACR)
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
