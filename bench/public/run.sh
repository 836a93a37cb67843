#!/bin/sh
# The public archive's load test (see bench/README.md): seeds 20 awards ×
# 10 years × 100 nominations × 3 projects and loads the year page, a project
# page, search and the public API with wrk, 64 connections for 30 s each,
# beside /healthz. Flags go to the runner: -d 10s, -c 32, -uncached=false,
# -only search.
set -eu
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cd "$(dirname "$0")/../.."
exec go run ./bench/public "$@"
