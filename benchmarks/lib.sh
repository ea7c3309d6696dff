# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034 # (the settings here are used by the scripts sourcing this)
# Shared by run.sh and http.sh, which source it after setting ROOT, BENCH, SERVER_CORE,
# CLIENT_CORE and JAVA and defining log(): the jars, the Netty flags, core pinning, and the
# bookkeeping that stops every process a script starts, on exit, failure or Ctrl-C included.

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

# ---- what proxy.sh and unix.sh share ------------------------------------------------------
# bench_args NAME LAST_HELP_LINE ARGS...: their options; sets QUICK, BUILD, REPS, OUT and
# SUFFIX (-quick or nothing, for the report's name).
bench_args() {
  local name=$1 help=$2
  shift 2
  QUICK=0 BUILD=1 REPS=3 OUT=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) QUICK=1 REPS=1 ;;
      --no-build) BUILD=0 ;;
      --reps) REPS="$2"; shift ;;
      --out) OUT="$2"; shift ;;
      -h|--help) sed -n "2,${help}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "$name.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
  done
  SUFFIX=""
  if [ "$QUICK" = 1 ]; then SUFFIX=-quick; fi
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
