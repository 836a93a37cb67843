// Package auth logs people in with OpenID Connect (authorization code flow
// with PKCE, state and nonce, ID token verified against the issuer's keys),
// keeps their server-side session, maps login claims to organisations,
// accepts bearer tokens for scripts, and logs people out.
package auth
