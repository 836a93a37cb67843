// Package devidp is Heder's development OpenID Connect provider: an
// in-memory identity provider, built on github.com/zitadel/oidc/v3/pkg/op,
// that signs in configured demo users (by login_hint or from a picker page),
// and for load tests, when asked (Config.BenchUsers), made-up bench-<n> users,
// so the app's real OIDC login code can run locally and in tests without an
// external identity service. It owns its demo users and clients, its RSA
// signing key, the auth requests, codes and access tokens it issues, and its
// login page and devidp_ cookies; all of it lives only in memory for the
// life of the process. It is used by `heder dev` and by tests only and is
// never wired into `heder serve`.
package devidp
