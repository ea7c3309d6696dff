#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Short, bounded Jazzer fuzzing of every @FuzzTest: each target fuzzes for FUZZ_SECONDS
# (default 15), one JVM per target since Jazzer fuzzes one test per run; starting that JVM
# and Jazzer's agent adds ~15-25 s per target on a 2-core machine. Starts from the committed
# seed corpus (src/test/resources/**/*Inputs); new corpus entries go to .cifuzz-corpus/
# (ignored), a crashing input to the target's Inputs directory, and the script fails.
# Usage: .ci/fuzz-smoke.sh [Class#method ...]     (default: all targets below)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-15}
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(
    io.pollwire.codec.FramerFuzzTest#fixedLength
    io.pollwire.codec.FramerFuzzTest#lines
    io.pollwire.codec.FramerFuzzTest#delimiter
    io.pollwire.codec.FramerFuzzTest#lengthField
    io.pollwire.example.http.HttpRequestFuzzTest#requests
    io.pollwire.example.resp.RespFuzzTest#commands
  )
fi

log() { echo "[fuzz] $*"; }
logs=target/fuzz-smoke
mkdir -p "$logs"

# Compile once; each target then runs only the fuzz-regression surefire execution.
./mvnw -B -q test-compile

summary=()
for t in "${targets[@]}"; do
  name=${t##*.}
  start=$(date +%s)
  log "fuzzing $t for ${seconds}s"
  # pollwire.jazzer.hooks=true: Jazzer's instrumentation (regression mode runs without it).
  if ! JAZZER_FUZZ=1 ./mvnw -B surefire:test@fuzz-regression -Dtest="$t" \
        -Dpollwire.jazzer.hooks=true -Djazzer.max_duration="${seconds}s" \
        >"$logs/$name.log" 2>&1; then
    grep -vE '^INFO: (Loaded|Instrumented)' "$logs/$name.log" | tail -60
    log "FAILED: $t (full log: $logs/$name.log; the crashing input is under src/test/resources)"
    exit 1
  fi
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$logs/$name.log" | tail -1 || true)
  [ -n "$done_line" ] || { log "no fuzzing happened for $t (see $logs/$name.log)"; exit 1; }
  summary+=("$t: ${done_line#Done } ($(( $(date +%s) - start ))s wall)")
done
log "all targets clean:"
printf '[fuzz]   %s\n' "${summary[@]}"
