// Package ui serves Heder's server-rendered HTML pages: it parses forms,
// calls the same services as the JSON API, and renders templates from a
// cache built at start-up.
package ui
