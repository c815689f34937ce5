#!/usr/bin/env bash
# Installs the Debian 12 packages strata needs to build, test and run (idempotent; needs root or sudo).
set -euo pipefail
PACKAGES=(build-essential cmake ninja-build pkg-config help2man zsh fish
  libpq-dev libpg-query-dev libprotobuf-c-dev libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libssl-dev libgtest-dev postgresql-15 postgresql-client-15 util-linux time
  postgresql-15-pgtap postgresql-15-cron
  clang-14 libclang-rt-14-dev
  graphviz chromium)
# bench/diff.sh compares with apgdiff (pulls in Java): only with STRATA_BENCH_DEPS=1.
[ "${STRATA_BENCH_DEPS:-0}" = 1 ] && PACKAGES+=(apgdiff)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts a default cluster on port 5432 when postgresql is installed; strata never uses it.
