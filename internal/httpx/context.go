package httpx

import (
	"net/http"

	"context"
	"github.com/heder-awards/heder/internal/policy"

	"github.com/heder-awards/heder/internal/awards"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	langKey
)

// WithActor returns ctx carrying the request's actor.
func WithActor(ctx context.Context, a *awards.Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFrom returns the request's actor; never nil (anonymous when nobody
// is logged in).
func ActorFrom(ctx context.Context) *awards.Actor {
	if a, ok := ctx.Value(actorKey).(*awards.Actor); ok && a != nil {
		return a
	}
	return &awards.Actor{}
}

// WithLang returns ctx carrying the negotiated language.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, lang)
}

// LangFrom returns the request's language, nb by default.
func LangFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok && l != "" {
		return l
	}
	return "nb"
}

// Route is one registered route and the gate in front of it.
type Route struct {
	Method  string
	Pattern string
	Gate    policy.Gate
	Handler http.HandlerFunc
	// Stateless routes (the public archive) answer the same to everyone:
	// they run without the session, so that no answer sets a cookie or
	// varies by who asks, and may be cached. Their gate must be Public.
	Stateless bool
}
