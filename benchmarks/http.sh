#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HTTP comparison: pollwire's HTTP example (`java -jar target/pollwire-*.jar http`) against
# a Netty 4.2 HttpServerCodec plaintext server (harness/.../peer/NettyHttpPlaintext), both
# answering GET /plaintext with `Hello, World!`, loaded by wrk: keep-alive, then pipelined
# (16 requests per write, TechEmpower style, pipeline.lua). Per repetition both servers start
# fresh, pinned to one core with one event loop each; wrk is pinned to the other core; the two
# are loaded in turn, in an order that alternates between scenarios and repetitions so that
# machine noise hits both. Loopback only; every process it starts is stopped on exit.
#
#   benchmarks/http.sh            3 s warm-up + 5 s per measurement, 1 repetition, prints a report
#   benchmarks/http.sh --quick    1 s per measurement, no warm-up (smoke run)
#
# Options: --reps N, --rep N (run only repetition N), --warmup S, --duration S (whole seconds,
# wrk's unit), --no-build, --work DIR (logs), --raw FILE (append RESULT lines there and write no
# report: what run.sh uses). Environment: SERVER_CORE (0), CLIENT_CORE (1), JAVA (java),
# CONNECTIONS (64), PIPELINE (16), HTTP_JVM. run.sh runs this as part of its full run.
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"


QUICK=0 WARMUP=3 DURATION=5 REPS=1 ONLY_REP="" BUILD=1 WORK="" RAW=""
bench_options --quick:QUICK=1,WARMUP=0,DURATION=1 --reps=REPS --rep=ONLY_REP --warmup=WARMUP --duration=DURATION \
  --no-build:BUILD=0 --work=WORK --raw=RAW -- "$@"
for v in "$WARMUP" "$DURATION" "$REPS" ${ONLY_REP:+"$ONLY_REP"}; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "http.sh: whole seconds and counts only (wrk takes whole seconds): $v" >&2; exit 2; }
done
[ "$DURATION" -ge 1 ] || { echo "http.sh: --duration must be at least 1" >&2; exit 2; }

CONNECTIONS="${CONNECTIONS:-64}"
PIPELINE="${PIPELINE:-16}"
# G1 explicitly (pinned to one core the JVM would pick Serial GC); the heap of the first
# HTTP comparison. The Netty server also gets NETTY_JVM (lib.sh), as run.sh's Netty peers do.
read -ra HTTP_JVM <<<"${HTTP_JVM:--Xms256m -Xmx256m -XX:MaxDirectMemorySize=1g -XX:+UseG1GC}"

command -v wrk >/dev/null 2>&1 || { log "wrk not found (apt-get install wrk)"; exit 3; }
ensure_jars "$BUILD"
pin_cores "servers and wrk"

STANDALONE=0
WORK="${WORK:-$BENCH/target/http-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$WORK"
if [ -z "$RAW" ]; then
  STANDALONE=1 RAW="$WORK/results.tsv"
  : >"$RAW"
fi
WRK_VERSION="$({ wrk -v 2>&1 || true; } | head -1 | sed 's/ Copyright.*//')"
# Settings for the report's environment list (run.sh adds them to its own).
cat >"$WORK/http-meta.txt" <<EOF
http_client=$WRK_VERSION
http_wrk=-t1 -c$CONNECTIONS --latency, pinned to core $CLIENT_CORE$([ ${#PIN_CLIENT[@]} -gt 0 ] || echo ' (NOT pinned)')
http_timings=${WARMUP}s warm-up per server and scenario, then ${DURATION}s measured
http_connections=$CONNECTIONS
http_pipeline=$PIPELINE requests per write, pipeline.lua
http_servers=pollwire-http: java -jar pollwire.jar http --loops 1 --transport epoll --idle-timeout off; netty42-http: NettyHttpPlaintext (HttpServerCodec, 1 event loop, epoll, pooled); both on core $SERVER_CORE
http_jvm=${HTTP_JVM[*]} -Xlog:gc:file=... (Netty: plus netty_jvm)
EOF

# ---- servers (lib.sh tracks every process started and stops it on exit) ------------------
declare -A PID_OF PORT_OF
# start NAME PREFIX: starts the server on port 0 (the kernel picks a free one: no race with
# other users of the machine) and reads its port from the "listening on" line.
start() {
  local name=$1 prefix=$2 cmd
  local jvm=("$JAVA" "${HTTP_JVM[@]}" "-Xlog:gc:file=$prefix.gc.log")
  case "$name" in
    pollwire-http) cmd=("${jvm[@]}" -jar "$LIB_JAR" http --host 127.0.0.1 --port 0 --loops 1 --transport epoll
      --idle-timeout off) ;;
    netty42-http) cmd=("${jvm[@]}" "${NETTY_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.NettyHttpPlaintext
      --host 127.0.0.1 --port 0 --transport epoll) ;;
  esac
  "${PIN_SERVER[@]}" "${cmd[@]}" >"$prefix.log" 2>&1 &
  PID_OF[$name]=$!
  PIDS+=("$!")
  PORT_OF[$name]=$(await_listening "${PID_OF[$name]}" "$prefix.log")
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# wrk's "1.23ms" -> microseconds
to_us() { awk -v t="$1" 'BEGIN { v = t + 0; u = t; sub(/^[0-9.]+/, "", u);
  f = (u == "us") ? 1 : (u == "ms") ? 1e3 : (u == "s") ? 1e6 : (u == "m") ? 6e7 : -1;
  if (f < 0) print "nan"; else printf "%.1f", v * f }'; }

# wrk_run NAME SCENARIO SECONDS OUT: runs wrk pinned to the client core; returns wrk's status.
wrk_run() {
  local name=$1 scenario=$2 seconds=$3 out=$4 args
  args=(-t1 -c"$CONNECTIONS" -d"${seconds}s" --latency)
  [ "$scenario" = http-pipelined ] && args+=(-s "$BENCH/pipeline.lua")
  args+=("http://127.0.0.1:${PORT_OF[$name]}/plaintext")
  [ "$scenario" = http-pipelined ] && args+=(-- "$PIPELINE")
  run_waited "${PIN_CLIENT[@]}" wrk "${args[@]}" >"$out" 2>&1
}

# measure NAME SCENARIO REP: one measured wrk run; appends one RESULT line to $RAW.
measure() {
  local name=$1 scenario=$2 rep=$3 out="$WORK/$1-r$3-$2.wrk.txt" status=0
  local pid=${PID_OF[$name]}
  local before after
  before=$(cpu_ticks "$pid")
  wrk_run "$name" "$scenario" "$DURATION" "$out" || status=$?
  after=$(cpu_ticks "$pid")
  local head
  head=$(printf 'rep=%s\tRESULT\tscenario=%s\tmode=wrk\tserver=%s\tconnections=%s\tpipeline=%s' \
    "$rep" "$scenario" "$name" "$CONNECTIONS" "$([ "$scenario" = http-pipelined ] && echo "$PIPELINE" || echo 1)")
  local requests elapsed rps non2xx sockerr
  requests=$(awk '/ requests in / {print $1}' "$out")
  elapsed=$(sed -nE 's/.* requests in ([0-9.]+[a-z]+),.*/\1/p' "$out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  # connect/read/write errors are failures; timeouts (2 s without a reply) are counted only
  sockerr=$(sed -nE 's/.*Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+).*/\1 \2 \3 \4/p' "$out")
  local error=""
  if [ "$status" != 0 ]; then error="wrk exited with status $status (see $out)"
  elif ! kill -0 "$pid" 2>/dev/null; then error="the server died (see $WORK/$name-r$rep.log)"
  elif [ -z "$requests" ] || [ "$requests" = 0 ] || [ -z "$rps" ]; then error="no requests completed (see $out)"
  elif [ -n "$non2xx" ] && [ "$non2xx" != 0 ]; then error="$non2xx responses were not 2xx (see $out)"
  elif [ -n "$sockerr" ] && [ "$(echo "$sockerr" | awk '{print $1 + $2 + $3}')" != 0 ]; then
    error="socket errors (connect read write timeout): $sockerr (see $out)"
  fi
  if [ -n "$error" ]; then
    printf '%s\terror=%s\n' "$head" "$error" >>"$RAW"
    log "$name $scenario: $error"
    FAILURES=$((FAILURES + 1))
    return 0
  fi
  local secs cpu_s p50 p99 line
  secs=$(to_us "$elapsed" | awk '{printf "%.6f", $1 / 1e6}')
  cpu_s=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }')
  line=$(awk -v h="$head" -v n="$requests" -v s="$secs" -v r="$rps" -v c="$cpu_s" -v to="$(echo "${sockerr:-0 0 0 0}" | awk '{print $4}')" \
    'BEGIN { printf "%s\trequests=%s\tseconds=%s\trequests_per_s=%s\tserver_cpu_s=%s\tserver_cpu_pct=%.1f\ttimeouts=%s", h, n, s, r, c, 100 * c / s, to;
             if (c > 0) printf "\trequests_per_cpu_s=%.0f", n / c }')
  # wrk records one latency per round trip of the connection, i.e. per batch when pipelining,
  # and its percentiles are then unreliable (0 µs at p90 in our runs): keep-alive only.
  if [ "$scenario" = http-keepalive ]; then
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    [ -n "$p50" ] && line+=$(printf '\tp50_us=%s' "$(to_us "$p50")")
    [ -n "$p99" ] && line+=$(printf '\tp99_us=%s' "$(to_us "$p99")")
  fi
  printf '%s\tclient=%s\n' "$line" "$WRK_VERSION" >>"$RAW"
  printf '  %s: scenario=%s requests_per_s=%s server_cpu_s=%s\n' "$name" "$scenario" "$rps" "$cpu_s"
}

run_rep() {
  local rep=$1 name
  local servers=(pollwire-http netty42-http)
  # odd repetitions: pollwire first in keep-alive, Netty first pipelined; even ones the reverse
  [ $((rep % 2)) = 0 ] && servers=(netty42-http pollwire-http)
  for name in "${servers[@]}"; do
    if ! start "$name" "$WORK/$name-r$rep"; then
      printf 'rep=%s\tRESULT\tscenario=start\tmode=wrk\tserver=%s\terror=did not start (see %s.log)\n' \
        "$rep" "$name" "$WORK/$name-r$rep" >>"$RAW"
      FAILURES=$((FAILURES + 1))
      cleanup
      return 0
    fi
  done
  if [ "$WARMUP" -gt 0 ]; then
    log "repetition $rep: warm-up ${WARMUP}s per server and scenario"
    for scenario in http-keepalive http-pipelined; do
      for name in "${servers[@]}"; do
        wrk_run "$name" "$scenario" "$WARMUP" "$WORK/$name-r$rep-$scenario.warmup.txt" ||
          log "$name: warm-up wrk exited with an error (see $WORK/$name-r$rep-$scenario.warmup.txt)"
      done
    done
  fi
  log "repetition $rep: keep-alive then pipelined x$PIPELINE, $CONNECTIONS connections, ${DURATION}s each; order ${servers[*]}, then reversed"
  for name in "${servers[@]}"; do measure "$name" http-keepalive "$rep"; done
  for ((i = ${#servers[@]} - 1; i >= 0; i--)); do measure "${servers[$i]}" http-pipelined "$rep"; done
  for name in "${servers[@]}"; do stop "${PID_OF[$name]}"; done
}

FAILURES=0
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START_TS=$(date +%s)
if [ -n "$ONLY_REP" ]; then REP_LIST=("$ONLY_REP"); else mapfile -t REP_LIST < <(seq "$REPS"); fi
for rep in "${REP_LIST[@]}"; do run_rep "$rep"; done

if [ "$STANDALONE" = 1 ]; then
  META="$WORK/meta.txt"
  {
    machine_meta
    echo "pollwire=0.1.0-SNAPSHOT @ $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "netty_jvm=${NETTY_JVM[*]}"
    cat "$WORK/http-meta.txt"
    echo "mode=$([ "$QUICK" = 1 ] && echo quick || echo full)"
    echo "reps=${#REP_LIST[@]}"
    echo "loadavg=before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "elapsed=$(($(date +%s) - START_TS))s"
  } >"$META"
  "$JAVA" -cp "$HARNESS_JAR" io.pollwire.bench.report.Report "$RAW" "$META" "$WORK/http.md" "$WORK/http.svg" >/dev/null
  echo
  cat "$WORK/http.md"
  log "wrote $WORK/http.md and $WORK/http.svg"
fi
if [ "$FAILURES" -gt 0 ]; then
  log "$FAILURES measurement(s) failed (error= lines in $RAW)"
  exit 1
fi
