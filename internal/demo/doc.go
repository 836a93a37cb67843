// Package demo loads the demo data `heder dev` starts with: the demo users
// of the development identity provider, their organisations and roles, and
// the demo award. Never used by `heder serve`.
package demo
