// Package awards is Heder's domain vocabulary: the types, roles and rules
// every other package speaks, and the one error type. It imports nothing of
// Heder's own so that it can sit at the bottom of the import graph.
package awards
