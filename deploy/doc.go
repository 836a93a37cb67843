// Package deploy holds the files that run Heder elsewhere: the Dockerfile,
// a compose file for one host, and Kubernetes manifests (Kustomize). It has
// no code; its tests check the fields of those files that matter for a safe
// production run (pinned images, probes, non-root, no committed secrets).
package deploy
