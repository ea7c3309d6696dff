#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Depends on the installed pollwire as a user's project would (src/it/consumer), and fails when
# a consumer needs more than README documents. Run `./mvnw -B install` first: the consumer
# resolves pollwire from the local repository, not from target/.
#  1. pollwire brings no runtime dependency (target/lib holds pollwire and the SLF4J jars only);
#  2. the consumer's classes reference no pollwire package but io.pollwire and io.pollwire.codec
#     (jdeps);
#  3. on the class path and on the module path (requires io.pollwire), with each JDK found,
#     by `java` and by surefire (as the consumer's own tests), it serves one client over
#     loopback and shuts down; on the module path it also checks that module io.pollwire
#     exports those two packages and nothing else;
#  4. the java command lines carry only the flags README documents, and stderr shows no JVM
#     warning; on JDK 24+ a run without the flag must warn (so the check can fail);
#  5. on the class path, pollwire's INFO line reaches SLF4J through slf4j-jdk-platform-logging;
#  6. jar --describe-module shows module io.pollwire exporting those two packages only.
# Usage: .ci/consumer-check.sh            (JDKS="/path/jdk1 /path/jdk2" to choose the JDKs)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[consumer] $*"; }
fail() { log "ERROR: $*"; failures=$((failures + 1)); }
indent() { sed 's/^/    /'; }
failures=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
project=src/it/consumer
mvn_consumer() { ./mvnw -B -q -f "$project/pom.xml" "-Dpollwire.version=$version" "$@"; }
mvn_consumer clean package -DskipTests
app=$project/target/pollwire-consumer.jar
lib=$project/target/lib
pw=$lib/pollwire-$version.jar
[ -f "$pw" ] || { log "ERROR: $pw not resolved"; exit 1; }

# 1. Runtime dependencies: what the consumer declared, nothing pollwire brought along.
extra=()
for f in "$lib"/*.jar; do
  case $(basename "$f") in
    "pollwire-$version.jar" | slf4j-*) ;;
    *) extra+=("$(basename "$f")") ;;
  esac
done
((${#extra[@]} == 0)) || fail "pollwire brought runtime dependencies: ${extra[*]}"

# 2. Which pollwire packages the consumer's code needs.
needed=$(jdeps -verbose:package --module-path "$pw" "$app" \
  | awk '$2 == "->" && $3 ~ /^io\.pollwire/ {print $3}' | sort -u)
internal=$(echo "$needed" | grep -v -x -e io.pollwire -e io.pollwire.codec || true)
[ -z "$internal" ] || fail "a consumer needs packages that are not API: $(echo "$internal" | tr '\n' ' ')"

# The jar's own module descriptor (jar --describe-module): module io.pollwire, exporting the API
# packages only, unqualified. An automatic module (no module-info) exports everything.
jar --describe-module --file "$pw" >"$tmp/module"
exports=$(awk '$1 == "exports" {print $2 (NF > 2 ? " (qualified)" : "")}' "$tmp/module" | sort | tr '\n' ' ')
if ! head -n 1 "$tmp/module" | grep -qE '^io\.pollwire(@[^ ]*)? jar:' || [ "$exports" != "io.pollwire io.pollwire.codec " ]; then
  fail "jar --describe-module: want module io.pollwire exporting io.pollwire and io.pollwire.codec; got: $(head -n 1 "$tmp/module"), exports: ${exports:-none listed}"
fi

# Flags the README documents for each mode; the check fails if README stops documenting them.
cp_flag=--enable-native-access=ALL-UNNAMED
mp_flag=--enable-native-access=io.pollwire
for flag in "$cp_flag" "$mp_flag"; do
  grep -qF -- "$flag" README.md || fail "README does not document $flag"
done

jdks=${JDKS:-}
if [ -z "$jdks" ]; then
  jdks=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  for j in /usr/lib/jvm/*; do
    if [ -x "$j/bin/java" ] && [ "$(readlink -f "$j")" != "$jdks" ]; then
      jdks="$jdks $(readlink -f "$j")"
    fi
  done
  jdks=$(echo "$jdks" | tr ' ' '\n' | sort -u | tr '\n' ' ')
fi

feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p'; }

run() { # <label> <jdk> <args...>: runs the consumer, checks its output, sets $err
  local label=$1 jdk=$2
  shift 2
  local out rc=0
  out=$("$jdk/bin/java" "$@" 2>"$tmp/err") || rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" -ne 0 ] || ! grep -q '^consumer=ok' <<<"$out"; then
    fail "$label: exit $rc"
    indent <<<"$out"
    indent <<<"$err"
    return
  fi
  if grep -q '^WARNING' <<<"$err"; then
    fail "$label: the JVM warned with only the documented flags:"
    echo "$err" | grep '^WARNING' | sed 's/^/    /'
    return
  fi
  log "$label: ok ($(grep -E '^(transport|module|exported)=' <<<"$out" | tr '\n' ' '))"
}

for jdk in $jdks; do
  v=$(feature "$jdk")
  if [ -z "$v" ] || [ "${v%%.*}" -lt 17 ]; then continue; fi
  cp="$app:$lib/*"
  run "JDK $v, class path" "$jdk" "$cp_flag" -cp "$cp" pollwire.consumer.ConsumerMain
  # 5. slf4j-simple prints "<thread> INFO <logger> - <message>" on stderr.
  if grep -qE 'INFO io\.pollwire[.a-z]* - pollwire transport AUTO resolved to' <<<"$err"; then
    log "JDK $v, class path: pollwire's INFO line reached SLF4J (slf4j-simple)"
  else
    fail "JDK $v: pollwire's INFO line did not reach SLF4J; stderr was: $err"
  fi
  run "JDK $v, module path" "$jdk" "$mp_flag" -p "$app:$pw" -m pollwire.consumer/pollwire.consumer.ConsumerMain
  # The same through surefire, the consumer's tests: module path (the default with a
  # module-info) and class path, each with its documented flag in argLine.
  for mode in module class; do
    flag=io.pollwire
    extra=()
    if [ "$mode" = class ]; then flag=ALL-UNNAMED; extra=(-Dsurefire.useModulePath=false); fi
    label="JDK $v, surefire on the $mode path"
    rc=0
    mvn_consumer test "-Dconsumer.jvm=$jdk/bin/java" "-Dconsumer.nativeAccess=$flag" "${extra[@]}" \
      >"$tmp/surefire.log" 2>&1 || rc=$?
    output=$project/target/surefire-reports/pollwire.consumer.ConsumerMainTest-output.txt
    if [ "$rc" -ne 0 ]; then
      fail "$label: the test failed"
      indent <"$tmp/surefire.log" | grep -E 'ERROR|FAIL' | head -5
      [ -f "$output" ] && indent <"$output"
    elif grep -q '^WARNING:' "$tmp/surefire.log"; then
      # The forked JVM's own warnings reach Maven's console, not the test's output file.
      fail "$label: the JVM warned with argLine --enable-native-access=$flag:"
      grep '^WARNING:' "$tmp/surefire.log" | indent
    else
      log "$label: ok (argLine --enable-native-access=$flag)"
    fi
  done
  if [ "${v%%.*}" -ge 24 ]; then
    # Negative controls: without the right flag JDK 24+ warns about JNI (JEP 472), and the
    # checks above see it, through java and through surefire.
    mvn_consumer test "-Dconsumer.jvm=$jdk/bin/java" -Dconsumer.nativeAccess=io.pollwire \
      -Dsurefire.useModulePath=false >"$tmp/surefire.log" 2>&1 || true
    if grep -q '^WARNING: A restricted method' "$tmp/surefire.log"; then
      log "JDK $v: surefire on the class path with the module path's flag warns, as expected"
    else
      fail "JDK $v: surefire printed no warning with a wrong flag: its check above proves nothing"
    fi
    "$jdk/bin/java" -cp "$cp" pollwire.consumer.ConsumerMain >/dev/null 2>"$tmp/err" || true
    if grep -q 'WARNING: A restricted method' "$tmp/err"; then
      log "JDK $v: without $cp_flag the JVM warns, as README says"
    else
      fail "JDK $v: no warning without $cp_flag: the flag check above proves nothing"
    fi
  fi
done

if [ "$failures" -ne 0 ]; then
  log "$failures check(s) failed"
  exit 1
fi
log "all checks passed"
