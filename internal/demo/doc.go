// Package demo loads the demo data `heder dev` starts with: the demo users
// of the development identity provider, their organisations and roles, and
// the demo award "Kommunal innovasjonspris" with the real award's criteria:
// its real history 2014–2020 (internal/history, with sources; nothing made
// up under a real name) and an open current cycle, the only one with
// made-up entries. Never used by `heder serve`.
package demo
