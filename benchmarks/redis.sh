#!/usr/bin/env bash
# The RESP comparison: pollwire's RESP example (`java -jar target/pollwire-*.jar redis --loops 1`)
# on epoll and on NIO, against redis-server itself (`--save '' --appendonly no`) and a Netty 4.2
# netty-codec-redis server (harness/.../peer/NettyRedis, one event loop, pooled), all loaded by
# redis-benchmark: `-t set` and `-t get`, 50 connections, `-r 100000` random keys, pipelined
# (-P 16) and not (-P 1). Each server runs alone on one core, redis-benchmark on the other; each
# gets one warm-up run per test, then the measured ones. Per measurement: requests/s, p50/p99
# (redis-benchmark's), server CPU per request (from /proc), GC pauses while measured (JVMs).
# Loopback only; every process it starts is stopped on exit.
#
#   benchmarks/redis.sh           2M requests pipelined / 300k not, per test; writes the report
#                                 to benchmarks/results/<date>-<host>-resp.md
#   benchmarks/redis.sh --quick   1/20 of that, no warm-up (smoke run)
#
# Options: --no-build, --work DIR (logs), --out DIR (where the report goes), --servers a,b
# (redis-server,pollwire-epoll,pollwire-nio,netty42-redis). Environment: SERVER_CORE (0),
# CLIENT_CORE (1), JAVA (java), RESP_JVM. run.sh runs this for its `resp` scenario.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0 BUILD=1 WORK="" OUT="" SERVERS="redis-server,pollwire-epoll,pollwire-nio,netty42-redis"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --work) WORK="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --servers) SERVERS="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "redis.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/benchmarks"
JAVA="${JAVA:-java}"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"
read -ra RESP_JVM <<<"${RESP_JVM:--Xms256m -Xmx256m -XX:+UseG1GC}"
N_PIPE=2000000 N_ONE=300000 WARM=1
if [ "$QUICK" = 1 ]; then N_PIPE=100000 N_ONE=15000 WARM=0; fi

log() { printf '[redis.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# shellcheck source=benchmarks/lib.sh
. "$BENCH/lib.sh"

for tool in redis-benchmark redis-server; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found (apt-get install redis-server redis-tools)"; exit 3; }
done
if [ "$BUILD" = 1 ] && { [ ! -f "$LIB_JAR" ] || [ ! -f "$HARNESS_JAR" ]; }; then
  log "building the library jar and the benchmarks module"
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)
fi
for f in "$LIB_JAR" "$HARNESS_JAR"; do
  [ -e "$f" ] || { log "missing $f (build: ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)"; exit 1; }
done
pin_cores "servers and redis-benchmark"
WORK="${WORK:-$BENCH/target/resp-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$WORK"
RAW="$WORK/resp-results.tsv"
: >"$RAW"


# start NAME LOG: starts the server on a port the kernel picks (Java servers) or a free one found
# by bash (redis-server has no port 0); sets PID and PORT.
start() {
  local name=$1 out=$2 cmd=()
  local jvm=("$JAVA" "${RESP_JVM[@]}" "-Xlog:gc:file=$out.gc.log")
  PORT=""
  case "$name" in
    redis-server)
      PORT=$(comm -23 <(seq 20000 40000) <(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u) | shuf -n 1)
      cmd=(redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$WORK") ;;
    pollwire-epoll|pollwire-nio)
      cmd=("${jvm[@]}" -jar "$LIB_JAR" redis --port 0 --loops 1 --transport "${name#pollwire-}") ;;
    netty42-redis)
      cmd=("${jvm[@]}" "${NETTY_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.NettyRedis
        --host 127.0.0.1 --port 0 --transport epoll) ;;
  esac
  "${PIN_SERVER[@]}" "${cmd[@]}" >"$out.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  if [ "$name" != redis-server ]; then
    PORT=$(await_listening "$PID" "$out.log")
    return
  fi
  for _ in $(seq 300); do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  log "redis-server did not start; its log:"
  sed 's/^/    /' "$out.log" >&2
  return 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
gc_pauses() { local n=0; [ -f "$1" ] && n=$(grep -c 'Pause' "$1" || true); echo "${n:-0}"; }

# bench NAME TEST PIPELINE N OUT: one redis-benchmark run; prints its CSV line.
bench() {
  run_waited "${PIN_CLIENT[@]}" redis-benchmark -h 127.0.0.1 -p "$PORT" -t "$2" -c 50 -P "$3" -r 100000 -n "$4" --csv \
    >"$5" 2>&1
}

FAILURES=0
measure() { # NAME TEST PIPELINE N
  local name=$1 test=$2 pipe=$3 n=$4 out="$WORK/$1-$2-P$3.csv" before after g0 g1 status=0
  local gc="$WORK/$name.gc.log"
  before=$(cpu_ticks "$PID"); g0=$(gc_pauses "$gc")
  bench "$name" "$test" "$pipe" "$n" "$out" || status=$?
  after=$(cpu_ticks "$PID"); g1=$(gc_pauses "$gc")
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  local row
  row=$(grep -E "^\"$(tr '[:lower:]' '[:upper:]' <<<"$test")\"" "$out" | tail -1 | tr -d '"')
  if [ "$status" != 0 ] || [ -z "$row" ] || ! kill -0 "$PID" 2>/dev/null; then
    printf 'RESULT\tserver=%s\ttest=%s\tpipeline=%s\terror=redis-benchmark failed or the server died (see %s)\n' \
      "$name" "$test" "$pipe" "$out" >>"$RAW"
    log "$name $test -P $pipe: failed (see $out)"
    FAILURES=$((FAILURES + 1))
    return 0
  fi
  IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"$row"
  local cpu_us
  cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  printf 'RESULT\tserver=%s\ttest=%s\tpipeline=%s\trequests=%s\trequests_per_s=%s\tp50_ms=%s\tp99_ms=%s\tcpu_us_per_request=%s\tgc_pauses=%s\n' \
    "$name" "$test" "$pipe" "$n" "$rps" "$p50" "$p99" "$cpu_us" "$((g1 - g0))" >>"$RAW"
  log "  $name $test -P $pipe: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu_us µs CPU/request, $((g1 - g0)) GC pauses"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
IFS=, read -ra SERVER_LIST <<<"$SERVERS"
log "servers: ${SERVER_LIST[*]}; load average $LOAD_BEFORE; work dir $WORK"
for name in "${SERVER_LIST[@]}"; do
  if ! start "$name" "$WORK/$name"; then
    printf 'RESULT\tserver=%s\terror=did not start (see %s.log)\n' "$name" "$WORK/$name" >>"$RAW"
    FAILURES=$((FAILURES + 1))
    cleanup
    continue
  fi
  for pipe in 16 1; do
    n=$([ "$pipe" = 16 ] && echo "$N_PIPE" || echo "$N_ONE")
    for test in set get; do
      if [ "$WARM" = 1 ]; then bench "$name" "$test" "$pipe" $((n / 4)) "$WORK/$name-$test-P$pipe.warmup.csv" || true; fi
      measure "$name" "$test" "$pipe" "$n"
    done
  done
  stop "$PID"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report -----------------------------------------------------------------------------
OUT="${OUT:-$BENCH/results}"
mkdir -p "$OUT"
REPORT="$OUT/$(date +%F)-$(hostname -s 2>/dev/null || uname -n)-resp$([ "$QUICK" = 1 ] && echo -quick || true).md"
{
  echo "# RESP: pollwire's example vs redis-server and Netty codec-redis"
  echo
  echo "Written by \`benchmarks/redis.sh$([ "$QUICK" = 1 ] && echo ' --quick')\`. Client: $(redis-benchmark --version 2>/dev/null)," \
    "\`-c 50 -r 100000\`, one \`-t\` per run; server $(redis-server --version | awk '{print $3}')" \
    "with \`--save '' --appendonly no\`; Java servers: \`${RESP_JVM[*]}\`, one event loop."
  machine_meta | sed 's/^/- /'
  echo "- pollwire: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- pinning: servers on core $SERVER_CORE, redis-benchmark on core $CLIENT_CORE$([ ${#PIN_SERVER[@]} -gt 0 ] || echo ' (NOT pinned)')"
  echo "- requests per run: $N_PIPE at -P 16, $N_ONE at -P 1; warm-up: $([ "$WARM" = 1 ] && echo 'one run of 1/4 that per test' || echo none)"
  echo "- load average: before $LOAD_BEFORE, after $LOAD_AFTER"
  echo
  echo
  echo "On a busy shared machine the client's share of its core varies from run to run, so req/s"
  echo "ratios are noisy; server CPU per request (and its ratio to redis-server's, higher is better)"
  echo "is the steadier figure."
  echo
  echo "| server | test | pipeline | req/s | × redis-server | × netty42-redis | p50 ms | p99 ms | server CPU µs/req | req per CPU-s × redis-server | GC pauses |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' '
    function v(k,   i) { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
    /\terror=/ { err[++ne] = v("server") " " v("test") " -P " v("pipeline") ": " v("error"); next }
    { key = v("test") "|" v("pipeline"); rps[v("server") "|" key] = v("requests_per_s"); cpu[v("server") "|" key] = v("cpu_us_per_request")
      row[++n] = v("server") "|" key "|" v("requests_per_s") "|" v("p50_ms") "|" v("p99_ms") "|" v("cpu_us_per_request") "|" v("gc_pauses") }
    END {
      for (i = 1; i <= n; i++) {
        split(row[i], f, "|"); key = f[2] "|" f[3]
        r = rps["redis-server|" key]; t = rps["netty42-redis|" key]; c = cpu["redis-server|" key]
        printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", f[1], toupper(f[2]), f[3], f[4],
          (r > 0 ? sprintf("%.2f×", f[4] / r) : "-"), (t > 0 ? sprintf("%.2f×", f[4] / t) : "-"), f[5], f[6], f[7],
          (c > 0 && f[7] > 0 ? sprintf("%.2f×", c / f[7]) : "-"),
          (f[1] == "redis-server" ? "-" : f[8])
      }
      if (ne) { print ""; print "Failures:"; for (i = 1; i <= ne; i++) print "- " err[i] }
    }' "$RAW"
} >"$REPORT"
log "wrote $REPORT"
cat "$REPORT"
[ "$FAILURES" = 0 ] || { log "$FAILURES measurement(s) failed"; exit 1; }
