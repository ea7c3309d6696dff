#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What a release publishes, checked on this machine:
#  1. the all-in-one jar (profile all-platforms) assembled from the libraries this machine
#     really builds (linux-x86_64 here; the others come from the GitHub release job), and
#     loading from it; a bundle that misses a platform must fail the build;
#  2. `mvn deploy` of the release profile to a local file repository: the layout a repository
#     manager receives (pom, jar, -sources, -javadoc, the platform jar, checksums, and .asc
#     signatures only when -Dgpg.keyname is configured, e.g. in MAVEN_ARGS).
# Usage: .ci/release-check.sh [deploy-dir]   (default: a temporary directory, removed)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[release] $*"; }
die() { log "ERROR: $*"; exit 1; }

version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
all=(linux-x86_64 linux-aarch_64 osx-x86_64 osx-aarch_64)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. All-in-one jar from the libraries built here.
./mvnw -B -q package -DskipTests -Dpollwire.native.required=true -Pplatform-jar
bundle=$tmp/bundle
built=() missing=()
for p in "${all[@]}"; do
  for f in target/classes/META-INF/native/"$p"/libpollwire.*; do
    if [ -f "$f" ]; then
      mkdir -p "$bundle/$p" && cp "$f" "$bundle/$p/" && built+=("$p")
    else
      missing+=("$p")
    fi
  done
done
((${#built[@]} > 0)) || die "no native library was built here"
log "libraries built on this machine: ${built[*]}; not buildable here (from the CI matrix): ${missing[*]:-none}"

if ./mvnw -B -q package -DskipTests -Pall-platforms -Dpollwire.native.bundleDir="$bundle" >"$tmp/incomplete.log" 2>&1; then
  die "the all-platforms build accepted a bundle without ${missing[*]:-?}"
fi
grep -q 'missing' "$tmp/incomplete.log" || { cat "$tmp/incomplete.log"; die "the incomplete bundle failed for another reason"; }
log "an incomplete bundle fails the all-platforms build, as the release job needs"

./mvnw -B -q package -DskipTests -Pall-platforms -Dpollwire.native.bundleDir="$bundle" \
  "-Dpollwire.native.platforms=${built[*]}"
jar=target/pollwire-$version.jar
unzip -l "$jar" >"$tmp/listing"
for p in "${built[@]}"; do
  grep -q "META-INF/native/$p/libpollwire" "$tmp/listing" || die "$jar lacks $p"
done
java -jar "$jar" info >"$tmp/info"
sed 's/^/    /' "$tmp/info"
grep -q "loaded from jar:META-INF/native/" "$tmp/info" || die "the all-in-one jar did not load its own library"
log "all-in-one jar with ${built[*]}: loads its library"

# 2. Deploy to a file repository.
repo=${1:-$tmp/repo}
rm -rf "$repo"
./mvnw -B -q deploy -Prelease -DskipTests "-DaltDeploymentRepository=release-check::file://$(readlink -f "$(dirname "$repo")")/$(basename "$repo")"
dir=$repo/io/pollwire/pollwire/$version
[ -d "$dir" ] || die "nothing deployed to $dir"
signed=false
[[ " ${MAVEN_ARGS:-} $* " == *gpg.keyname* ]] && signed=true
find "$dir" -name 'pollwire-*' >"$tmp/deployed"
for kind in .pom .jar -sources.jar -javadoc.jar "-${built[0]}.jar"; do
  # Snapshots are deployed with a timestamp: pollwire-0.1.0-20261129.201500-1-sources.jar
  case $kind in
    -*) f=$(grep -e "$kind\$" "$tmp/deployed" | sed -n 1p) ;;
    *) f=$(grep -e "$kind\$" "$tmp/deployed" | grep -v -e '-sources' -e '-javadoc' -e '-linux' -e '-osx' | sed -n 1p) ;;
  esac
  [ -n "$f" ] || die "no $kind deployed"
  for sum in sha1 md5; do
    [ -f "$f.$sum" ] || die "$(basename "$f").$sum missing"
  done
  [ "$(sha1sum <"$f" | cut -d' ' -f1)" = "$(cut -d' ' -f1 <"$f.sha1")" ] || die "$(basename "$f").sha1 is wrong"
  if $signed; then
    [ -f "$f.asc" ] || die "$(basename "$f").asc missing"
    gpg --batch --verify "$f.asc" "$f" 2>/dev/null || die "$(basename "$f").asc does not verify"
  fi
  log "deployed $(basename "$f") (+ sha1, md5$($signed && echo ', asc'))"
done
pom=$(grep -e '\.pom$' "$tmp/deployed" | sed -n 1p)
for tag in '<licenses>' '<scm>' '<url>' '<developers>' '<issueManagement>'; do
  grep -q "$tag" "$pom" || die "the deployed pom has no $tag"
done
sed -n '/<dependencies>/,/<\/dependencies>/p' "$pom" >"$tmp/deps"
if grep -q -e '<scope>compile' -e '<scope>runtime' "$tmp/deps"; then
  die "the deployed pom declares a runtime dependency"
fi
$signed || log "no signatures: no gpg.keyname configured"
log "deploy layout ok in $dir"
