# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034 # (the settings here are used by the scripts sourcing this)
# Shared by the benchmark scripts, which source it first: where things are (ROOT, BENCH, the
# jars), the settings every script takes from the environment (JAVA, SERVER_CORE, CLIENT_CORE),
# log(), option parsing, the Netty flags, core pinning, and the bookkeeping that stops every
# process a script starts, on exit, failure or Ctrl-C included.

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
JAVA="${JAVA:-java}"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"

# log MESSAGE...: a progress line on stderr, "[script.sh HH:MM:SS] MESSAGE".
log() { printf '[%s %s] %s\n' "${0##*/}" "$(date +%H:%M:%S)" "$*" >&2; }

# bench_options SPEC... -- ARGS...: parses the script's ARGS. A SPEC is "--name=VAR" (an option
# with a value, stored in VAR), "--name:VAR=VALUE[,VAR=VALUE...]" (a switch, setting those
# variables) or "@VAR" (the next positional argument, in order). -h or --help prints the
# script's usage() and exits 0; anything else unknown, or an option without its value, prints
# one line and the usage on stderr and exits 2.
bench_options() {
  local specs=() slots=() spec arg found pair filled=0
  local -a pairs
  while [ "$1" != -- ]; do
    case "$1" in @*) slots+=("${1#@}") ;; *) specs+=("$1") ;; esac
    shift
  done
  shift
  while [ $# -gt 0 ]; do
    arg=$1 found=0
    case "$arg" in
      -h | --help) usage; exit 0 ;;
      -*) ;;
      *) if [ "$filled" -lt "${#slots[@]}" ]; then
           printf -v "${slots[$filled]}" '%s' "$arg"
           filled=$((filled + 1)) found=1
         fi ;;
    esac
    for spec in "${specs[@]}"; do
      [ "$found" = 0 ] || break
      case "$spec" in
        "$arg="*)
          [ $# -ge 2 ] || { echo "${0##*/}: $arg needs a value" >&2; usage >&2; exit 2; }
          printf -v "${spec#*=}" '%s' "$2"
          shift
          found=1 ;;
        "$arg:"*)
          IFS=, read -ra pairs <<<"${spec#*:}"
          for pair in "${pairs[@]}"; do printf -v "${pair%%=*}" '%s' "${pair#*=}"; done
          found=1 ;;
      esac
    done
    [ "$found" = 1 ] || { echo "${0##*/}: unknown argument $arg" >&2; usage >&2; exit 2; }
    shift
  done
}

# script_header: prints the script's header comment, from after the SPDX line to the first
# line that is not a comment, without "# ".
script_header() {
  awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"
}

# usage: what -h and --help print; a script with more to say defines its own after sourcing this.
usage() { script_header; }

LIB_JAR="$ROOT/target/pollwire-0.1.0-SNAPSHOT.jar"
HARNESS_JAR="$BENCH/harness/target/pollwire-benchmarks.jar"
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
# What Netty's own docs and benchmarks use, for every Netty server: no leak-detection sampling,
# and direct buffers without the JDK Cleaner (needs the opens below on JDK 9+).
NETTY_JVM=(-Dio.netty.leakDetection.level=disabled -Dio.netty.tryReflectionSetAccessible=true
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED)

# pin_cores WHO: sets PIN_SERVER and PIN_CLIENT, the taskset prefixes for the server and the
# client core, or leaves them empty and warns that WHO are not pinned.
pin_cores() {
  PIN_SERVER=() PIN_CLIENT=()
  if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    PIN_SERVER=(taskset -c "$SERVER_CORE") PIN_CLIENT=(taskset -c "$CLIENT_CORE")
  else
    log "WARNING: no taskset or fewer than 2 cores: $1 are not pinned"
  fi
}

# machine_meta: the report's first environment lines, key=value.
machine_meta() {
  echo "date=$(date -u '+%F %H:%M UTC')"
  echo "host=$(hostname -s 2>/dev/null || uname -n)"
  echo "kernel=$(uname -sr)"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) ($(nproc) cores)"
  echo "java=$("$JAVA" -version 2>&1 | head -1)"
}

# ---- processes: each one started goes into PIDS and is stopped on exit ---------------------
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

forget_pid() {
  local rest=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || rest+=("$p"); done
  PIDS=("${rest[@]}")
}

# stop PID: SIGTERM, up to 10 s to exit, then SIGKILL.
stop() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}

# run_waited CMD...: runs CMD in the background and waits for it, so that a signal to the
# script is handled at once (bash runs a trap only once a foreground command ends); returns
# CMD's status. Redirections on the call apply to CMD.
run_waited() {
  "$@" &
  local pid=$! status=0
  PIDS+=("$pid")
  wait "$pid" || status=$?
  forget_pid "$pid"
  return "$status"
}

# await_line PID LOG ERE: waits up to 30 s (while PID lives) for a line of LOG matching ERE;
# on failure shows LOG and returns 1.
await_line() {
  local pid=$1 out=$2 ere=$3
  for _ in $(seq 300); do
    grep -qE "$ere" "$out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  log "the server did not start; its log ($out):"
  sed 's/^/    /' "$out" >&2
  return 1
}

# await_listening PID LOG: waits up to 30 s for the server PID to print its
# "listening on 127.0.0.1:PORT" line into LOG and prints PORT; on failure shows LOG, returns 1.
await_listening() {
  await_line "$1" "$2" 'listening on 127\.0\.0\.1:[0-9]+' || return 1
  sed -nE 's/.*listening on 127\.0\.0\.1:([0-9]+).*/\1/p' "$2" | head -1
}

# ensure_jars BUILD: builds the library jar and the benchmarks module when BUILD is 1 and one is
# missing, then fails (exit 1) if either is still missing.
ensure_jars() {
  if [ "$1" = 1 ] && { [ ! -f "$LIB_JAR" ] || [ ! -f "$HARNESS_JAR" ]; }; then
    log "building the library jar and the benchmarks module"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)
  fi
  local f
  for f in "$LIB_JAR" "$HARNESS_JAR"; do
    [ -e "$f" ] || { log "missing $f (build: ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)"; exit 1; }
  done
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now (20000-29999 and up).
free_port() {
  local p=$((20000 + RANDOM % 10000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# start_listening LOG CMD...: starts CMD in the background (tracked in PIDS, its pid in
# STARTED_PID) and waits up to 30 s for "listening on" in LOG; prints LOG and fails otherwise.
start_listening() {
  local logf=$1
  shift
  "$@" >"$logf" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  await_line "$STARTED_PID" "$logf" 'listening on' || { log "did not start: $*"; return 1; }
}

# rotate N ITEMS...: sets ORDER to ITEMS from the Nth on, wrapping around: the order of
# repetition (or round) N, so that each item comes first once every len(ITEMS) repetitions and
# load from other users of the machine hits all of them alike.
rotate() {
  local n=$1 i
  shift
  ORDER=()
  for i in $(seq 0 $(($# - 1))); do ORDER+=("${@:$(((i + n - 1) % $# + 1)):1}"); done
}

# ---- what proxy.sh and unix.sh share ------------------------------------------------------
# bench_args ARGS...: their options (--quick, --no-build, --reps N, --out DIR); sets QUICK,
# BUILD, REPS, OUT and SUFFIX (-quick or nothing, for the report's name).
bench_args() {
  QUICK=0 BUILD=1 REPS=3 OUT="" SUFFIX=""
  bench_options --quick:QUICK=1,REPS=1,SUFFIX=-quick --no-build:BUILD=0 --reps=REPS --out=OUT -- "$@"
}

# bench_report NAME TITLE: once measured, sets LOAD_AFTER and REPORT (OUT, by default
# benchmarks/results, /<date>-<host>[-quick]-NAME.md) and writes the report's head: TITLE, the
# command, the machine, the commit and the load average before (LOAD_BEFORE) and after.
bench_report() {
  LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
  OUT="${OUT:-$BENCH/results}"
  mkdir -p "$OUT"
  REPORT="$OUT/$(date +%F)-$(hostname -s 2>/dev/null || uname -n)${SUFFIX}-$1.md"
  {
    echo "# $2"
    echo
    echo "Command: \`benchmarks/$1.sh$([ "$QUICK" = 1 ] && echo ' --quick')\` ($REPS repetitions, ${WARM}s warm-up + ${DUR}s measured, medians)."
    machine_meta | sed 's/^/- /'
    echo "- pollwire @ $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- load average: before $LOAD_BEFORE, after $LOAD_AFTER"
  } >"$REPORT"
}

# bench_prepare NAME: builds the jars unless --no-build (always: a jar may be stale) and checks
# them, pins the cores, makes the work dir WORK (benchmarks/target/NAME-<time>) and its empty
# RESULT file RAW.
bench_prepare() {
  if [ "$BUILD" = 1 ]; then
    log "building the library jar and the benchmarks module"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)
  fi
  ensure_jars 0
  pin_cores "the server and the client"
  WORK="$BENCH/target/$1-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$WORK"
  RAW="$WORK/results.tsv"
  : >"$RAW"
}
