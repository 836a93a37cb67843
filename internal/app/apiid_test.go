package app_test

import "github.com/heder-awards/heder/internal/api"

// apiID is an ID as the tests read it from the API: the API writes it as
// a JSON string, which api.ID reads (a number in its place fails the
// decode) into the integer the tests build paths and queries with.
type apiID = api.ID
