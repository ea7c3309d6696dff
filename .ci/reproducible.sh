#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the release artifacts twice from clean and fails unless every jar is byte-identical:
# the check behind project.build.outputTimestamp (pom.xml). The second build runs in a copy
# of the tracked files at another path, as a fresh clone elsewhere would, so that no build
# path leaks into a jar (the native library included). Tests are skipped: they do not change
# what is packaged. Leaves the first build in target/.
# Usage: .ci/reproducible.sh [extra maven args...]
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[reproducible] $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() {
  ./mvnw -B -q clean package -Prelease -DskipTests "$@"
}

build "$@"
elsewhere=$tmp/another/checkout
mkdir -p "$elsewhere"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$elsewhere"
(cd "$elsewhere" && build "$@")
first=$elsewhere/target
status=0
count=0
for jar in "$first"/*.jar; do
  name=$(basename "$jar")
  count=$((count + 1))
  if [ ! -f "target/$name" ]; then
    log "ERROR: $name was built in the copy only"
    status=1
  elif cmp -s "$jar" "target/$name"; then
    log "identical: $name $(sha256sum <"$jar" | cut -c1-16)"
  else
    log "ERROR: $name differs between the two builds; entries that differ:"
    diff <(unzip -v "$jar" | awk 'NR > 3 {print $7, $8}') \
      <(unzip -v "target/$name" | awk 'NR > 3 {print $7, $8}') || true
    status=1
  fi
done
if [ "$count" -lt 4 ]; then
  log "ERROR: expected the jar, -sources, -javadoc and the platform jar; found $count"
  status=1
fi
exit "$status"
