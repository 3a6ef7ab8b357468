#!/usr/bin/env bash
# clients/generate.sh: regenerates everything derived from the handlers'
# annotations, in order: docs/ and openapi.yaml, the Go client (both by the
# root `go generate ./...`), then the TypeScript client's types
# (clients/ts/src/schema.d.ts, by openapi-typescript; needs node and npm, and
# installs clients/ts's pinned packages with `npm ci` the first time).
# Commit what it changes: CI fails when any of it is stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

go generate ./...
cd clients/ts
if [ ! -x node_modules/.bin/openapi-typescript ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
npm run --silent generate
