#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The load comparison: builds everything, then for each repetition starts every line-echo
# server in turn (pinned to one core) and drives it with the load generator (pinned to the
# other), rotating the server order per repetition so that noise hits all of them; then the
# HTTP comparison (http.sh: pollwire's HTTP example vs Netty's HttpServerCodec, with wrk), once
# the RESP comparison (redis.sh: pollwire's RESP example vs redis-server and Netty's
# codec-redis, with redis-benchmark; its own report, <date>-<host>-resp.md, next to this one),
# the proxy comparison (proxy.sh) and Unix domain sockets vs TCP (unix.sh).
# Writes benchmarks/results/<date>-<host>.md and .svg; a full default run into results/ also
# rewrites the results sections of benchmarks/README.md and README.md. Loopback only; every
# process it starts is stopped on exit, failure or Ctrl-C included.
#
#   benchmarks/run.sh             full run (about 11.5 minutes on 2 cores, once built)
#   benchmarks/run.sh --quick     smoke run (under a minute once built)
#
# Options: --reps N, --servers a,b,c (line-echo servers), --scenarios x,y, --no-build,
# --out DIR, --update-readmes (rewrite the README sections whatever the run: for testing).
# Environment: SERVER_CORE (0), CLIENT_CORE (1), JAVA (java), PORT_BASE (random, below the
# ephemeral port range), PACED_RATE (10000).
set -euo pipefail
# ROOT, BENCH, JAVA, SERVER_CORE, CLIENT_CORE, bench_options, LIB_JAR, HARNESS_JAR, CLK_TCK,
# NETTY_JVM, pin_cores, machine_meta, and the process bookkeeping: PIDS, cleanup on exit, stop,
# run_waited.
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
# progress on stdout: this is the script a user runs and watches
log() { printf '[run.sh %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

ALL_SERVERS="c,hand-nio,pollwire-epoll,pollwire-nio,netty42-epoll,netty42-io_uring,netty42-nio,netty41-epoll"
ALL_SCENARIOS="pipelined,pipelined-30s,closed-loop-1,closed-loop-50,paced-1000,redis-pipelined,redis-closed-loop-1,http,resp,proxy,unix"
DEFAULT_SCENARIOS="pipelined,closed-loop-1,paced-1000,redis-pipelined,redis-closed-loop-1,http,resp,proxy,unix"
QUICK_SCENARIOS="pipelined,closed-loop-1,paced-1000,http,resp,proxy,unix"

usage() {
  script_header
  echo "servers:   $ALL_SERVERS"
  echo "scenarios: $ALL_SCENARIOS"
  echo "           (default: $DEFAULT_SCENARIOS; --quick: $QUICK_SCENARIOS;"
  echo "            redis-* need redis-benchmark: apt-get install redis-tools, http needs wrk:"
  echo "            apt-get install wrk, resp needs redis-benchmark and redis-server: apt-get install"
  echo "            redis-tools redis-server; without them those scenarios are skipped with a message)"
}

QUICK=0 BUILD=1 REPS="" SERVERS="$ALL_SERVERS" SCENARIOS="" OUT="" UPDATE_READMES=auto
bench_options --quick:QUICK=1 --no-build:BUILD=0 --update-readmes:UPDATE_READMES=always --reps=REPS \
  --servers=SERVERS --scenarios=SCENARIOS --out=OUT -- "$@"
# Server ports from below the ephemeral range, so no client socket of ours can hold one.
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT="${PORT_BASE:-$((10000 + RANDOM % (EPHEMERAL_LOW - 12000)))}"

# Timings (seconds): warm-up then measured interval, per scenario.
# The pipelined warm-up comes first on a fresh server JVM and doubles as its JIT warm-up: Netty
# needs seconds on one core (its io_uring transport does ~2k lines/s in the first second, ~0.4M
# in the second), so the full run gives it 4 s.
if [ "$QUICK" = 1 ]; then
  REPS="${REPS:-1}"
  PIPE_W=0.5 PIPE_D=0.7 CL_W=0.2 CL_D=0.5 PACED_W=0.3 PACED_D=0.7 REDIS_D=1
  # wrk takes whole seconds: the quick HTTP part is a cold 1 s per measurement (~8 s in all)
  HTTP_W=0 HTTP_D=1
  SCENARIOS="${SCENARIOS:-$QUICK_SCENARIOS}"
  SUFFIX="-quick"
else
  REPS="${REPS:-3}"
  PIPE_W=4 PIPE_D=3 CL_W=0.5 CL_D=2 PACED_W=1.5 PACED_D=3 REDIS_D=1.25
  # per server and scenario: 3 s warm-up (JIT), 5 s measured; ~35 s per repetition
  HTTP_W=3 HTTP_D=5
  SCENARIOS="${SCENARIOS:-$DEFAULT_SCENARIOS}"
  SUFFIX=""
fi
# 10k lines/s over 1,000 connections: each line costs the client a write and a read, and on
# this kind of VM the single client core saturates near 50k/s; at 10k it stays near half a core.
PACED_RATE="${PACED_RATE:-10000}"
PIPE_CONNS=50 PIPE_WINDOW=65536

# Same flags for every JVM server; the GC log shows whether one collects while measured. G1
# explicitly: pinned to one core the JVM would pick Serial GC. 1 GiB of direct memory because
# Netty's pooled allocator held ~200-430 MiB with 50 pipelining connections (256 MiB ended in
# OutOfDirectMemoryError and closed connections); pollwire and hand NIO use a few MiB.
SERVER_JVM=(-Xms64m -Xmx64m -XX:MaxDirectMemorySize=1g -XX:+UseG1GC)
# Netty servers also get NETTY_JVM (lib.sh).
CLIENT_JVM=(-Xms256m -Xmx256m -XX:+UseParallelGC)

NETTY41_JAR="$BENCH/netty41/target/netty41-echo.jar"
C_ECHO="$BENCH/target/c-echo"

# ---- build ------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  log "building the library jar"
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests)
  log "building the benchmarks module"
  (cd "$ROOT" && ./mvnw -B -q -f benchmarks/pom.xml package)
fi
mkdir -p "$BENCH/target"
cc -O2 -Wall -Wextra -Werror -o "$C_ECHO" "$BENCH/c-echo/echo.c"
for f in "$LIB_JAR" "$HARNESS_JAR" "$NETTY41_JAR" "$C_ECHO"; do
  [ -e "$f" ] || { echo "run.sh: missing $f (run without --no-build)" >&2; exit 1; }
done

pin_cores "server and client"
HAVE_REDIS=0
command -v redis-benchmark >/dev/null 2>&1 && HAVE_REDIS=1
HAVE_WRK=0
command -v wrk >/dev/null 2>&1 && HAVE_WRK=1

WORK="$BENCH/target/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
RAW="$WORK/results.tsv"
: >"$RAW"

# ---- server processes (lib.sh tracks every process started and stops it on exit) ----------
is_jvm() { [ "$1" != c ]; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server NAME LOGPREFIX: sets SERVER_PID and SERVER_PORT; tries another port when the
# one picked was taken meanwhile (other developers' tests share this machine).
start_server() {
  local _
  for _ in 1 2 3; do
    start_server_once "$@" && return 0
    grep -qi "address already in use" "$2.log" 2>/dev/null || return 1
    stop "$SERVER_PID"
    log "$1: port $SERVER_PORT was taken, trying another"
  done
  return 1
}

start_server_once() {
  local name=$1 prefix=$2 cmd
  PORT=$((PORT + 1))
  while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
  local gc="$prefix.gc.log"
  local jvm=("$JAVA" "${SERVER_JVM[@]}" "-Xlog:gc:file=$gc")
  case "$name" in
    c) cmd=("$C_ECHO" -h 127.0.0.1 -p "$PORT") ;;
    hand-nio) cmd=("${jvm[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.HandNioEcho --host 127.0.0.1 --port "$PORT") ;;
    pollwire-epoll|pollwire-nio)
      cmd=("${jvm[@]}" -jar "$LIB_JAR" echo --host 127.0.0.1 --port "$PORT" --transport "${name#pollwire-}"
        --loops 1 --idle-timeout off) ;;
    netty42-epoll|netty42-io_uring|netty42-nio)
      cmd=("${jvm[@]}" "${NETTY_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.NettyEcho
        --host 127.0.0.1 --port "$PORT" --transport "${name#netty42-}" --allocator pooled) ;;
    netty41-epoll) cmd=("${jvm[@]}" "${NETTY_JVM[@]}" -jar "$NETTY41_JAR" --host 127.0.0.1 --port "$PORT") ;;
    *) echo "run.sh: unknown server $name" >&2; return 1 ;;
  esac
  "${PIN_SERVER[@]}" "${cmd[@]}" >"$prefix.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PORT=$PORT
  PIDS+=("$SERVER_PID")
  for _ in $(seq 300); do
    if grep -q "listening on" "$prefix.log" 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  grep -qi "address already in use" "$prefix.log" 2>/dev/null && return 1
  log "$name did not start; its log:"
  sed 's/^/    /' "$prefix.log" >&2
  return 1
}

# ---- one server, all scenarios -----------------------------------------------------------
scenario_flags() {
  case "$1" in
    pipelined) echo "--mode pipelined --connections $PIPE_CONNS --window $PIPE_WINDOW --warmup $PIPE_W --duration $PIPE_D" ;;
    pipelined-30s) echo "--mode pipelined --connections $PIPE_CONNS --window $PIPE_WINDOW --warmup $PIPE_W --duration 30" ;;
    closed-loop-1) echo "--mode closed-loop --connections 1 --warmup $CL_W --duration $CL_D" ;;
    closed-loop-50) echo "--mode closed-loop --connections 50 --warmup $CL_W --duration $CL_D" ;;
    paced-1000) echo "--mode paced --connections 1000 --rate $PACED_RATE --warmup $PACED_W --duration $PACED_D" ;;
    *) return 1 ;;
  esac
}

# redis-benchmark: each request "*1\r\n$11\r\n0123456789a\r\n" is 3 lines that the echo sends
# back, which redis-benchmark parses as a one-element array reply. It has no duration flag:
# it runs under `timeout` and we take the median of its per-interval rates after the first.
redis_run() {
  local name=$1 scenario=$2 rep=$3 out="$WORK/$1-r$3-$2.log" args
  case "$scenario" in
    redis-pipelined) args=(-c 50 -P 64) ;;
    redis-closed-loop-1) args=(-c 1) ;;
  esac
  run_waited timeout --signal=INT "$(awk -v d="$REDIS_D" 'BEGIN{print d + 1}')" "${PIN_CLIENT[@]}" \
    redis-benchmark -h 127.0.0.1 -p "$SERVER_PORT" "${args[@]}" -n 1000000000 -q 0123456789a \
    >"$out" 2>&1 || true
  local rps
  rps=$(tr '\r' '\n' <"$out" | sed -n 's/.*rps=\([0-9.]*\) (overall.*/\1/p' | awk 'NR>4' | sort -g |
    awk '{v[NR]=$1} END{if (NR>0) print v[int((NR+1)/2)]}')
  if [ -n "$rps" ]; then
    printf 'rep=%s\tRESULT\tscenario=%s\tmode=redis-benchmark\tserver=%s\tconnections=%s\trequests_per_s=%s\tlines_per_s=%s\tclient=redis-benchmark\n' \
      "$rep" "$scenario" "$name" "${args[1]}" "$rps" "$(awk -v r="$rps" 'BEGIN{printf "%.1f", 3*r}')" >>"$RAW"
  else
    printf 'rep=%s\tRESULT\tscenario=%s\tmode=redis-benchmark\tserver=%s\terror=no output (see %s)\n' \
      "$rep" "$scenario" "$name" "$out" >>"$RAW"
  fi
}

run_server() {
  local name=$1 rep=$2 prefix="$WORK/$1-r$2"
  if ! start_server "$name" "$prefix"; then
    printf 'rep=%s\tRESULT\tscenario=start\tserver=%s\terror=did not start (see %s.log)\n' "$rep" "$name" "$prefix" >>"$RAW"
    stop "$SERVER_PID"
    return 0
  fi
  local common=(--host 127.0.0.1 --port "$SERVER_PORT" --label "$name" --server-pid "$SERVER_PID" --clk-tck "$CLK_TCK")
  is_jvm "$name" && common+=(--gc-log "$prefix.gc.log")
  local plan=() s flags
  IFS=, read -ra wanted <<<"$SCENARIOS"
  for s in "${wanted[@]}"; do
    flags=$(scenario_flags "$s") || continue
    [ ${#plan[@]} -gt 0 ] && plan+=(--then)
    # shellcheck disable=SC2206
    plan+=("${common[@]}" --scenario "$s" $flags)
  done
  if [ ${#plan[@]} -gt 0 ]; then
    run_waited "${PIN_CLIENT[@]}" "$JAVA" "${CLIENT_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.load.LoadGen \
      "${plan[@]}" >"$prefix.loadgen.log" 2>&1 || log "$name: a scenario failed (see $prefix.loadgen.log)"
    grep '^RESULT' "$prefix.loadgen.log" | sed "s/^/rep=$rep\t/" >>"$RAW" || true
    grep '^RESULT' "$prefix.loadgen.log" | awk -F'\t' -v n="$name" '{
      line = "  " n ":"; for (i = 2; i <= NF; i++) if ($i ~ /^(scenario|lines_per_s|rt_per_s|p99_us|server_cpu_pct|client_cpu_pct|error)=/) line = line " " $i; print line }'
  fi
  for s in "${wanted[@]}"; do
    case "$s" in
      redis-*) if [ "$HAVE_REDIS" = 1 ]; then redis_run "$name" "$s" "$rep"; fi ;;
    esac
  done
  stop "$SERVER_PID"
}

# ---- the HTTP comparison: http.sh, one repetition, RESULT lines into the same file ---------
run_http() {
  local rep=$1
  log "HTTP comparison (wrk): pollwire-http vs netty42-http"
  # its failures are error= lines in $RAW, reported (and failing the run) below
  run_waited env SERVER_CORE="$SERVER_CORE" CLIENT_CORE="$CLIENT_CORE" JAVA="$JAVA" "$BENCH/http.sh" --no-build \
    --rep "$rep" --warmup "$HTTP_W" --duration "$HTTP_D" --raw "$RAW" --work "$WORK" ||
    log "the HTTP comparison had failures (see $RAW and $WORK/*-http-*)"
}

# ---- the run ----------------------------------------------------------------------------
IFS=, read -ra SERVER_LIST <<<"$SERVERS"
case ",$SCENARIOS," in *,redis-*) [ "$HAVE_REDIS" = 1 ] || log "redis-benchmark not found: skipping the redis-* cross-checks (apt-get install redis-tools)" ;; esac
RUN_ECHO=0 # any line-echo scenario (everything but http, resp, proxy and unix)
IFS=, read -ra SCENARIO_LIST <<<"$SCENARIOS"
for s in "${SCENARIO_LIST[@]}"; do
  case "$s" in http | resp | proxy | unix) ;; *) RUN_ECHO=1 ;; esac
done
RUN_RESP=0
case ",$SCENARIOS," in
  *,resp,*) if [ "$HAVE_REDIS" = 1 ] && command -v redis-server >/dev/null 2>&1; then RUN_RESP=1
            else log "redis-benchmark or redis-server not found: skipping the RESP comparison (apt-get install redis-tools redis-server)"; fi ;;
esac
RUN_HTTP=0
case ",$SCENARIOS," in
  *,http,*) if [ "$HAVE_WRK" = 1 ]; then RUN_HTTP=1; else log "wrk not found: skipping the HTTP comparison (apt-get install wrk)"; fi ;;
esac
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START_TS=$(date +%s)
log "servers: ${SERVER_LIST[*]}; scenarios: $SCENARIOS; repetitions: $REPS; work dir: $WORK"
ORDERS=()
for rep in $(seq "$REPS"); do
  rotate "$rep" "${SERVER_LIST[@]}"
  order=("${ORDER[@]}")
  ORDERS+=("rep $rep: ${order[*]}")
  log "repetition $rep/$REPS: ${order[*]}"
  if [ "$RUN_ECHO" = 1 ]; then
    for name in "${order[@]}"; do
      run_server "$name" "$rep"
    done
  fi
  if [ "$RUN_HTTP" = 1 ]; then run_http "$rep"; fi
done
RESP_FAILED=0
if [ "$RUN_RESP" = 1 ]; then
  log "RESP comparison (redis-benchmark): redis-server, pollwire-epoll, pollwire-nio, netty42-redis"
  resp_args=(--no-build --work "$WORK" --out "${OUT:-$BENCH/results}")
  [ "$QUICK" = 1 ] && resp_args+=(--quick)
  run_waited env SERVER_CORE="$SERVER_CORE" CLIENT_CORE="$CLIENT_CORE" JAVA="$JAVA" "$BENCH/redis.sh" \
    "${resp_args[@]}" >"$WORK/resp.log" 2>&1 ||
    { RESP_FAILED=1; log "the RESP comparison had failures (see $WORK/resp.log)"; }
  grep -E '^\[redis.sh' "$WORK/resp.log" | tail -1 >&2 || true
fi
ELAPSED=$(($(date +%s) - START_TS))
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report -----------------------------------------------------------------------------
HOST="$(hostname -s 2>/dev/null || uname -n)"
DATE="$(date +%F)"
OUT="${OUT:-$BENCH/results}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)" # absolute: compared with results/ below and used for the links
BASE="$OUT/$DATE-$HOST$SUFFIX"
META="$WORK/meta.txt"
{
  machine_meta
  echo "jvm_runtime=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.version = //p')"
  echo "cc=$(cc --version | head -1)"
  echo "pollwire=0.1.0-SNAPSHOT @ $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  jar_version() { unzip -p "$1" "$2" 2>/dev/null | sed -n "s/^$3=//p" | head -1; }
  echo "netty42=$(jar_version "$HARNESS_JAR" META-INF/io.netty.versions.properties netty-transport.version)"
  echo "netty41=$(jar_version "$NETTY41_JAR" META-INF/io.netty.versions.properties netty-transport.version)"
  echo "load_generator_libs=HdrHistogram $(jar_version "$HARNESS_JAR" META-INF/maven/org.hdrhistogram/HdrHistogram/pom.properties version), JMH $(jar_version "$HARNESS_JAR" META-INF/maven/org.openjdk.jmh/jmh-core/pom.properties version)"
  echo "redis_benchmark=$(redis-benchmark --version 2>/dev/null || echo 'not installed')"
  [ -f "$WORK/http-meta.txt" ] && cat "$WORK/http-meta.txt"
  echo "server_jvm=${SERVER_JVM[*]} -Xlog:gc:file=..."
  echo "netty_jvm=${NETTY_JVM[*]}"
  echo "client_jvm=${CLIENT_JVM[*]}"
  echo "pinning=server on core $SERVER_CORE, client on core $CLIENT_CORE$([ ${#PIN_SERVER[@]} -gt 0 ] || echo ' (NOT pinned: no taskset)')"
  echo "mode=$([ "$QUICK" = 1 ] && echo quick || echo full)"
  echo "reps=$REPS"
  echo "timings=pipelined ${PIPE_W}s warm-up + ${PIPE_D}s; closed-loop ${CL_W}s + ${CL_D}s; paced ${PACED_W}s + ${PACED_D}s; redis-benchmark ${REDIS_D}s; http (wrk) ${HTTP_W}s + ${HTTP_D}s"
  echo "pipelined=$PIPE_CONNS connections, window $PIPE_WINDOW bytes per connection, 12-byte lines"
  echo "paced_rate=$PACED_RATE"
  for o in "${ORDERS[@]}"; do echo "order=$o"; done
  echo "loadavg=before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "elapsed=${ELAPSED}s"
  echo "work_dir=${WORK#"$ROOT"/}"
} >"$META"
# Links from each README to the results files: relative inside the repository.
link_from() { # DIR: path from DIR to $BASE
  case "$BASE" in "$ROOT"/*) realpath -m --relative-to="$1" "$BASE" ;; *) echo "$BASE" ;; esac
}
"$JAVA" -cp "$HARNESS_JAR" io.pollwire.bench.report.Report "$RAW" "$META" "$BASE.md" "$BASE.svg" \
  "$WORK/summary-benchmarks.md" "$(link_from "$BENCH")" "$WORK/summary-root.md" "$(link_from "$ROOT")"
log "wrote $BASE.md and $BASE.svg (measuring took ${ELAPSED}s)"

# splice FILE BEGIN END CONTENT: replaces what lies between the two marker lines of FILE.
splice() {
  local file=$1 begin=$2 end=$3 content=$4
  if ! grep -qF "$begin" "$file" || ! grep -qF "$end" "$file"; then
    log "WARNING: $file has no $begin ... $end markers: not updated"
    return 0
  fi
  awk -v f="$content" -v b="$begin" -v e="$end" '
    index($0, b) == 1 { print; while ((getline line < f) > 0) print line; skip = 1; next }
    index($0, e) == 1 { skip = 0 }
    !skip' "$file" >"$WORK/spliced.md"
  cp "$WORK/spliced.md" "$file"
  log "updated the results section of ${file#"$ROOT"/}"
}
# A full run with every server and the default scenarios into results/ is what the READMEs show.
if [ "$UPDATE_READMES" = always ] || { [ "$QUICK" = 0 ] && [ "$OUT" = "$BENCH/results" ] \
    && [ "$SERVERS" = "$ALL_SERVERS" ] && [ "$SCENARIOS" = "$DEFAULT_SCENARIOS" ]; }; then
  splice "$BENCH/README.md" '<!-- results:begin -->' '<!-- results:end -->' "$WORK/summary-benchmarks.md"
  {
    cat "$WORK/summary-root.md"
    echo "Reproduce: \`benchmarks/run.sh\` (about 11.5 minutes on 2 cores; \`--quick\` for a smoke run). The peers,"
    echo "scenarios, clients and how to read the numbers: [benchmarks/README.md](benchmarks/README.md)."
  } >"$WORK/summary-root-full.md"
  splice "$ROOT/README.md" '<!-- bench:start -->' '<!-- bench:end -->' "$WORK/summary-root-full.md"
fi
# The proxy comparison (proxy.sh) and Unix socket vs TCP (unix.sh) write their own reports.
EXTRA_FAILED=0
QUICK_FLAG=()
if [ "$QUICK" = 1 ]; then QUICK_FLAG=(--quick); fi
for extra in proxy unix; do
  case ",$SCENARIOS," in
    *,"$extra",*)
      log "$extra comparison: benchmarks/$extra.sh"
      run_waited env SERVER_CORE="$SERVER_CORE" CLIENT_CORE="$CLIENT_CORE" JAVA="$JAVA" "$BENCH/$extra.sh" --no-build \
        "${QUICK_FLAG[@]}" --out "$OUT" || { log "$extra.sh failed"; EXTRA_FAILED=1; } ;;
  esac
done
if [ "$RESP_FAILED" = 1 ]; then
  log "the RESP comparison failed: see $WORK/resp.log"
  exit 1
fi
if grep -q $'\terror=' "$RAW"; then
  log "some measurements failed: see the Failures section of $BASE.md"
  exit 1
fi
[ "$EXTRA_FAILED" = 0 ] || exit 1
