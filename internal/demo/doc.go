// Package demo loads the demo data `heder dev` starts with: the demo users
// of the development identity provider, their organisations and roles, and
// the demo award "Kommunal innovasjonspris" with the real award's criteria:
// the published 2017 and 2018 cycles (won by Asker and Træna, nominees as
// they were then) and an open current cycle. Never used by `heder serve`.
package demo
