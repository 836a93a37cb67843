// Package httpx holds what every HTTP handler shares: the one mapping from
// error codes to status codes, JSON and problem-details responses, and the
// request logging and metrics middleware.
package httpx
