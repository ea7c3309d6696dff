#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The RESP comparison: pollwire's RESP example (`java -jar target/pollwire-*.jar redis --loops 1`)
# on epoll and on NIO, against redis-server itself (`--save '' --appendonly no`) and a Netty 4.2
# netty-codec-redis server (harness/.../peer/NettyRedis, one event loop, pooled), all loaded by
# redis-benchmark: `-t set` and `-t get`, 50 connections, `-r 100000` random keys, pipelined
# (-P 16) and not (-P 1). The servers all run pinned to one core (only the one being loaded is
# busy), redis-benchmark on the other. After a warm-up run per server and test, each round
# measures every test on every server back to back, in an order rotated per round, so that load
# from other users of the machine hits all servers alike; the report gives medians over rounds
# and the median of the per-round ratios. Per measurement: requests/s, p50/p99 (redis-benchmark's),
# server CPU per request (from /proc), GC pauses while measured (JVMs).
# Loopback only; every process it starts is stopped on exit.
#
#   benchmarks/redis.sh           3 rounds of 1M requests pipelined / 100k not, per server and
#                                 test; writes benchmarks/results/<date>-<host>-resp.md
#   benchmarks/redis.sh --quick   1 round of 1/10 of that, no warm-up (smoke run)
#
# Options: --rounds N, --no-build, --work DIR (logs), --out DIR (where the report goes), --servers a,b
# (redis-server,pollwire-epoll,pollwire-nio,netty42-redis). Environment: SERVER_CORE (0),
# CLIENT_CORE (1), JAVA (java), RESP_JVM. run.sh runs this for its `resp` scenario.
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"


QUICK=0 BUILD=1 WORK="" OUT="" ROUNDS="" SERVERS="redis-server,pollwire-epoll,pollwire-nio,netty42-redis"
bench_options --quick:QUICK=1 --no-build:BUILD=0 --rounds=ROUNDS --work=WORK --out=OUT --servers=SERVERS -- "$@"
read -ra RESP_JVM <<<"${RESP_JVM:--Xms256m -Xmx256m -XX:+UseG1GC}"
N_PIPE=1000000 N_ONE=100000 WARM=1
if [ "$QUICK" = 1 ]; then N_PIPE=100000 N_ONE=10000 WARM=0; fi
ROUNDS="${ROUNDS:-$([ "$QUICK" = 1 ] && echo 1 || echo 3)}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "redis.sh: --rounds must be a positive count: $ROUNDS" >&2; exit 2; }

for tool in redis-benchmark redis-server; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found (apt-get install redis-server redis-tools)"; exit 3; }
done
ensure_jars "$BUILD"
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
  if [ "$name" = redis-server ]; then
    await_line "$PID" "$out.log" 'Ready to accept connections' # what redis-server logs once it listens
  else
    PORT=$(await_listening "$PID" "$out.log")
  fi
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
gc_pauses() { local n=0; [ -f "$1" ] && n=$(grep -c 'Pause' "$1" || true); echo "${n:-0}"; }

# bench NAME TEST PIPELINE N OUT: one redis-benchmark run against NAME, CSV into OUT.
bench() {
  run_waited "${PIN_CLIENT[@]}" redis-benchmark -h 127.0.0.1 -p "${PORT_OF[$1]}" -t "$2" -c 50 -P "$3" -r 100000 \
    -n "$4" --csv >"$5" 2>&1
}

FAILURES=0
measure() { # NAME TEST PIPELINE N ROUND
  local name=$1 test=$2 pipe=$3 n=$4 round=$5 out="$WORK/$1-$2-P$3-r$5.csv" before after g0 g1 status=0
  local gc="$WORK/$name.gc.log" PID=${PID_OF[$1]}
  before=$(cpu_ticks "$PID"); g0=$(gc_pauses "$gc")
  bench "$name" "$test" "$pipe" "$n" "$out" || status=$?
  after=$(cpu_ticks "$PID"); g1=$(gc_pauses "$gc")
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  local row
  row=$(grep -E "^\"$(tr '[:lower:]' '[:upper:]' <<<"$test")\"" "$out" | tail -1 | tr -d '"')
  if [ "$status" != 0 ] || [ -z "$row" ] || ! kill -0 "$PID" 2>/dev/null; then
    printf 'RESULT\tround=%s\tserver=%s\ttest=%s\tpipeline=%s\terror=redis-benchmark failed or the server died (see %s)\n' \
      "$round" "$name" "$test" "$pipe" "$out" >>"$RAW"
    log "$name $test -P $pipe: failed (see $out)"
    FAILURES=$((FAILURES + 1))
    return 0
  fi
  IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"$row"
  local cpu_us
  cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  printf 'RESULT\tround=%s\tserver=%s\ttest=%s\tpipeline=%s\trequests=%s\trequests_per_s=%s\tp50_ms=%s\tp99_ms=%s\tcpu_us_per_request=%s\tgc_pauses=%s\n' \
    "$round" "$name" "$test" "$pipe" "$n" "$rps" "$p50" "$p99" "$cpu_us" "$((g1 - g0))" >>"$RAW"
  log "  round $round: $name $test -P $pipe: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu_us µs CPU/request, $((g1 - g0)) GC pauses"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
IFS=, read -ra SERVER_LIST <<<"$SERVERS"
log "servers: ${SERVER_LIST[*]}; load average $LOAD_BEFORE; work dir $WORK"
declare -A PID_OF PORT_OF
STARTED=()
for name in "${SERVER_LIST[@]}"; do
  if start "$name" "$WORK/$name"; then
    PID_OF[$name]=$PID PORT_OF[$name]=$PORT
    STARTED+=("$name")
  else
    printf 'RESULT\tserver=%s\terror=did not start (see %s.log)\n' "$name" "$WORK/$name" >>"$RAW"
    FAILURES=$((FAILURES + 1))
  fi
done
TESTS=("set 16 $N_PIPE" "get 16 $N_PIPE" "set 1 $N_ONE" "get 1 $N_ONE")
if [ "$WARM" = 1 ]; then
  log "warm-up: a quarter of each run, per server and test"
  for name in "${STARTED[@]}"; do
    for t in "${TESTS[@]}"; do
      read -r test pipe n <<<"$t"
      bench "$name" "$test" "$pipe" $((n / 4)) "$WORK/$name-$test-P$pipe.warmup.csv" || true
    done
  done
fi
for round in $(seq "$ROUNDS"); do
  rotate "$round" "${STARTED[@]}"
  log "round $round/$ROUNDS: ${ORDER[*]}"
  for t in "${TESTS[@]}"; do
    read -r test pipe n <<<"$t"
    for name in "${ORDER[@]}"; do measure "$name" "$test" "$pipe" "$n" "$round"; done
  done
done
for name in "${STARTED[@]}"; do stop "${PID_OF[$name]}"; done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report -----------------------------------------------------------------------------
OUT="${OUT:-$BENCH/results}"
mkdir -p "$OUT"
QUICK_SUFFIX=""
if [ "$QUICK" = 1 ]; then QUICK_SUFFIX=-quick; fi
REPORT="$OUT/$(date +%F)-$(hostname -s 2>/dev/null || uname -n)-resp$QUICK_SUFFIX.md"
{
  echo "# RESP: pollwire's example vs redis-server and Netty codec-redis"
  echo
  echo "Written by \`benchmarks/redis.sh$([ "$QUICK" = 1 ] && echo ' --quick')\`. Client: $(redis-benchmark --version 2>/dev/null)," \
    "\`-c 50 -r 100000\`, one \`-t\` per run; server $(redis-server --version | awk '{print $3}')" \
    "with \`--save '' --appendonly no\`; Java servers: \`${RESP_JVM[*]}\`, one event loop."
  machine_meta | sed 's/^/- /'
  echo "- pollwire: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- pinning: servers on core $SERVER_CORE, redis-benchmark on core $CLIENT_CORE$([ ${#PIN_SERVER[@]} -gt 0 ] || echo ' (NOT pinned)')"
  echo "- requests per run: $N_PIPE at -P 16, $N_ONE at -P 1; warm-up: $([ "$WARM" = 1 ] && echo 'one run of 1/4 that per server and test' || echo none); rounds: $ROUNDS (medians below; ratios are medians of the per-round ratios)"
  echo "- load average: before $LOAD_BEFORE, after $LOAD_AFTER"
  echo
  echo
  echo "On a busy shared machine the client's share of its core varies from run to run, so req/s"
  echo "ratios are noisy; server CPU per request (and its ratio to redis-server's, higher is better)"
  echo "is the steadier figure."
  echo
  echo "| server | test | pipeline | req/s | × redis-server | × netty42-redis | p50 ms | p99 ms | server CPU µs/req | req per CPU-s × redis-server | GC pauses (all rounds) |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' '
    function v(k,   i) { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
    function median(list,   a, n, i, j, t) { n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
    function ratio(list) { return list == "" ? "-" : sprintf("%.2f×", median(list)) }
    /\terror=/ { err[++ne] = v("server") " " v("test") " -P " v("pipeline") ": " v("error"); next }
    { s = v("server"); key = v("test") "|" v("pipeline"); r = v("round")
      if (!((s "|" key) in seen)) { seen[s "|" key] = 1; rows[++n] = s "|" key }
      rps[s "|" key "|" r] = v("requests_per_s"); cpu[s "|" key "|" r] = v("cpu_us_per_request")
      all_rps[s "|" key] = all_rps[s "|" key] " " v("requests_per_s"); all_p50[s "|" key] = all_p50[s "|" key] " " v("p50_ms")
      all_p99[s "|" key] = all_p99[s "|" key] " " v("p99_ms"); all_cpu[s "|" key] = all_cpu[s "|" key] " " v("cpu_us_per_request")
      gc[s "|" key] += v("gc_pauses"); rounds[r] = 1 }
    END {
      for (i = 1; i <= n; i++) {
        split(rows[i], f, "|"); s = f[1]; key = f[2] "|" f[3]
        xr = xn = xc = ""
        for (r in rounds) {
          if (rps[s "|" key "|" r] > 0 && rps["redis-server|" key "|" r] > 0) xr = xr " " rps[s "|" key "|" r] / rps["redis-server|" key "|" r]
          if (rps[s "|" key "|" r] > 0 && rps["netty42-redis|" key "|" r] > 0) xn = xn " " rps[s "|" key "|" r] / rps["netty42-redis|" key "|" r]
          if (cpu[s "|" key "|" r] > 0 && cpu["redis-server|" key "|" r] > 0) xc = xc " " cpu["redis-server|" key "|" r] / cpu[s "|" key "|" r]
        }
        printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", s, toupper(f[2]), f[3], median(all_rps[rows[i]]),
          ratio(xr), ratio(xn), median(all_p50[rows[i]]), median(all_p99[rows[i]]), median(all_cpu[rows[i]]), ratio(xc),
          (s == "redis-server" ? "-" : gc[rows[i]])
      }
      if (ne) { print ""; print "Failures:"; for (i = 1; i <= ne; i++) print "- " err[i] }
    }' "$RAW"
} >"$REPORT"
log "wrote $REPORT"
cat "$REPORT"
[ "$FAILURES" = 0 ] || { log "$FAILURES measurement(s) failed"; exit 1; }
