#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Formats native/*.c and *.h with the committed .clang-format, or with --check only reports
# (and fails on) files that differ. CI pins clang-format 14.0.6; other versions may disagree.
# usage: native/format.sh [--check]   (CLANG_FORMAT=/path/to/clang-format to choose one)
set -euo pipefail
cd "$(dirname "$0")/.."
cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
  for c in clang-format-14 clang-format; do
    if command -v "$c" >/dev/null 2>&1; then cf=$c; break; fi
  done
fi
[ -n "$cf" ] || { echo "clang-format not found (apt-get install clang-format-14)"; exit 1; }
echo "[pollwire-format] $("$cf" --version)"
if [ "${1:-}" = "--check" ]; then
  "$cf" --dry-run --Werror native/*.c native/*.h
  echo "[pollwire-format] native/ is formatted"
else
  "$cf" -i native/*.c native/*.h
fi
