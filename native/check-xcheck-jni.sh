#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails the build when the -Xcheck:jni test run made the JVM print a JNI warning or error.
# HotSpot prints those on the forked JVM's native stdout, which surefire saves in *.dumpstream.
set -euo pipefail
dir=$1
[ -d "$dir" ] || { echo "[pollwire-native] no -Xcheck:jni reports in $dir (tests skipped?)"; exit 0; }
if grep -rlE "(WARNING|FATAL ERROR) in native method" "$dir" >/dev/null 2>&1; then
  echo "[pollwire-native] ERROR: -Xcheck:jni reported problems:"
  grep -rhE -A3 "(WARNING|FATAL ERROR) in native method" "$dir" | head -40
  exit 1
fi
runs=$(cat "$dir"/TEST-*.xml 2>/dev/null | grep -oE '<testsuite [^>]*tests="[0-9]+"' | grep -oE 'tests="[0-9]+"' | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
echo "[pollwire-native] -Xcheck:jni run clean (${runs:-0} native tests)"
