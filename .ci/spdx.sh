#!/usr/bin/env bash
# Per-file licence tags: every source file of pollwire's own carries
#   SPDX-License-Identifier: Apache-2.0
# in a comment within its first 3 lines (after a shebang). Not covered: the Maven Wrapper (the
# Apache Maven project's files, with their own header), Markdown and data files (test corpora,
# benchmark results), the poms (their <licenses> says it).
# Usage: .ci/spdx.sh --check   lists the files without the tag; fails if there are any
#        .ci/spdx.sh --apply   adds the tag where it is missing (idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."

tag="SPDX-License-Identifier: Apache-2.0"
mode=${1:-}
case $mode in --check | --apply) ;; *) echo "usage: $0 --check|--apply" >&2; exit 2 ;; esac

# The comment that carries the tag in each kind of file; empty: not covered.
comment_for() {
  case $1 in
    mvnw | mvnw.cmd | .mvn/*) ;;
    src/test/resources/* | benchmarks/results/*) ;;
    *.java | *.c | *.h | *.cjs | *.js) echo "// $tag" ;;
    *.sh | .ci/run | CMakeLists.txt | *.yml | *.yaml | .clang-format) echo "# $tag" ;;
    *.lua) echo "-- $tag" ;;
  esac
}

has_tag() { head -n 3 "$1" | grep -qF "$tag"; }

missing=0
tagged=0
while IFS= read -r f; do
  line=$(comment_for "$f")
  [ -n "$line" ] || continue
  if has_tag "$f"; then
    tagged=$((tagged + 1))
    continue
  fi
  if [ "$mode" = --check ]; then
    echo "no SPDX tag: $f"
    missing=$((missing + 1))
    continue
  fi
  tmp=$(mktemp)
  if head -n 1 "$f" | grep -q '^#!'; then
    { head -n 1 "$f"; echo "$line"; tail -n +2 "$f"; } >"$tmp"
  else
    { echo "$line"; cat "$f"; } >"$tmp"
  fi
  cat "$tmp" >"$f" # keeps the file's mode (scripts stay executable)
  rm -f "$tmp"
  tagged=$((tagged + 1))
done < <(git ls-files)

echo "[spdx] $tagged file(s) tagged, $missing without the tag"
[ "$missing" -eq 0 ]
