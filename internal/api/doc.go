// Package api serves the JSON API under /api/v1 over the same services as
// the HTML pages, with its own request and response types and RFC 9457
// problem details for errors. openapi.json describes it; a test keeps the
// two in step.
package api
