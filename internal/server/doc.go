// Package server builds the HTTP handler: the chi router with every route
// and its gate (routes.go), and the middleware in front of them: security
// headers, cross-origin protection, sessions, the actor and the language.
package server
