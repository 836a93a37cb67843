// Package files stores uploaded files (attachments) behind a small
// interface, on disk or in an S3-compatible object store, and serves them
// back to browsers in a way that keeps untrusted bytes harmless.
package files
