#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints how many tests ran (not skipped) according to the surefire XML reports in <dir>;
# 0 when the directory or its reports are missing. Used to insist that a run really happened.
# usage: count-tests.sh <surefire-reports-dir>
set -euo pipefail
dir=$1
total=0
for f in "$dir"/TEST-*.xml; do
  [ -f "$f" ] || continue
  head=$(grep -m1 -oE '<testsuite [^>]*>' "$f" || true)
  tests=$(echo "$head" | grep -oE ' tests="[0-9]+"' | tr -dc '0-9')
  skipped=$(echo "$head" | grep -oE ' skipped="[0-9]+"' | tr -dc '0-9')
  total=$((total + ${tests:-0} - ${skipped:-0}))
done
echo "$total"
