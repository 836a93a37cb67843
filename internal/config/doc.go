// Package config reads Heder's configuration from environment variables and
// validates it, reporting every problem at once with how to fix it.
package config
