#!/usr/bin/env bash
# README's run command: install dependencies, build, start strata's own local PostgreSQL 15
# (no Docker) for the example Supabase project, apply its migrations and print the status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
BUILD_DIR=build bash scripts/build.sh >/dev/null
EXAMPLE=${EXAMPLE:-examples/supabase-notes}
./build/strata db start --workdir "$EXAMPLE"
./build/strata up --workdir "$EXAMPLE"
./build/strata status --workdir "$EXAMPLE"
