#!/usr/bin/env bash
# Load test of pollwire's HTTP example against a Netty HttpServerCodec plaintext server, side
# by side in one run: GET /plaintext with wrk, keep-alive, then pipelined (TechEmpower style).
# Both servers run at once, pinned to core 0 (one event loop each); wrk runs on core 1; the
# loads alternate between the two so that machine noise hits both alike.
#
#   benchmarks-http/run.sh                  build what is missing, run, print a table
#   WARMUP=5 DURATION=10 CONNECTIONS=64 PIPELINE=16 JAVA_OPTS="-Xmx256m" benchmarks-http/run.sh
#
# Needs: wrk (apt-get install wrk), taskset, a JDK 17+. Loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}

log() { echo "[bench] $*" >&2; }
command -v wrk >/dev/null || { log "wrk not found (apt-get install wrk)"; exit 1; }
command -v taskset >/dev/null || { log "taskset not found (util-linux)"; exit 1; }

pollwire_jar=$(ls "$root"/target/pollwire-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1 || true)
if [ -z "$pollwire_jar" ] || [ "${BUILD:-0}" = 1 ]; then
  log "building the pollwire jar"
  (cd "$root" && ./mvnw -B -q package -DskipTests)
  pollwire_jar=$(ls "$root"/target/pollwire-*.jar | grep -v -- '-sources\|-javadoc' | head -1)
fi
netty_jar="$here/target/pollwire-benchmarks-http-netty-0.1.0-SNAPSHOT.jar"
if [ ! -f "$netty_jar" ] || [ "${BUILD:-0}" = 1 ]; then
  log "building the Netty server"
  (cd "$root" && ./mvnw -B -q -f benchmarks-http/pom.xml package)
fi

out=$(mktemp -d /tmp/pollwire-bench-http.XXXXXX)
pids=()
declare -A pid_of
hz=$(getconf CLK_TCK)
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# start NAME CMD...: runs the server pinned to the server core, waits for its port line
start() {
  local name=$1; shift
  taskset -c "$SERVER_CPU" "$@" >"$out/$name.out" 2>"$out/$name.err" &
  pids+=($!)
  pid_of[$name]=$!
  for _ in $(seq 1 300); do
    if grep -qE 'listening on [0-9.]+:[0-9]+' "$out/$name.out" 2>/dev/null; then
      log "$(head -1 "$out/$name.out")"
      return
    fi
    sleep 0.2
  done
  log "$name did not start:"; cat "$out/$name.err" >&2; exit 1
}
port_of() { sed -nE 's/.*listening on [0-9.]+:([0-9]+).*/\1/p' "$out/$1.out" | head -1; }

# CPU time (user + system, all threads) the server process has used, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/${pid_of[$1]}/stat"; }

# load NAME PORT SECONDS [pipeline]: runs wrk pinned to the client core; prints requests/s and
# requests per second of server CPU time (robust to other load on the machine)
load() {
  local name=$1 port=$2 seconds=$3 mode=${4:-}
  local before; before=$(cpu_ticks "$name")
  local args=(-t1 -c"$CONNECTIONS" -d"${seconds}s" --latency)
  [ "$mode" = pipeline ] && args+=(-s "$here/pipeline.lua")
  local file="$out/$name-${mode:-keepalive}-${seconds}s.txt"
  if [ "$mode" = pipeline ]; then
    taskset -c "$CLIENT_CPU" wrk "${args[@]}" "http://127.0.0.1:$port/plaintext" -- "$PIPELINE" >"$file"
  else
    taskset -c "$CLIENT_CPU" wrk "${args[@]}" "http://127.0.0.1:$port/plaintext" >"$file"
  fi
  local after; after=$(cpu_ticks "$name")
  if grep -qE 'Non-2xx|Socket errors' "$file"; then
    log "$name: $(grep -E 'Non-2xx|Socket errors' "$file" | tr '\n' ' ')"
  fi
  local rps requests
  rps=$(awk '/Requests\/sec:/ {print $2}' "$file")
  requests=$(awk '/requests in/ {print $1}' "$file")
  awk -v n="$requests" -v t=$((after - before)) -v hz="$hz" -v rps="$rps" \
      'BEGIN { printf "%s %.0f %.2f\n", rps, (t > 0 ? n * hz / t : 0), t / hz }'
}

p50_p99() { # FILE: "p50 / p99" from wrk's latency distribution
  awk '/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print p50 " / " p99}' "$1"
}

loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
log "servers on core $SERVER_CPU, wrk on core $CLIENT_CPU; JAVA_OPTS=$JAVA_OPTS; raw output in $out"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
start pollwire java $JAVA_OPTS -jar "$pollwire_jar" http --host 127.0.0.1 --port 0 \
    --loops 1 --transport epoll --idle-timeout off
# shellcheck disable=SC2086
start netty java $JAVA_OPTS -jar "$netty_jar" 0 1 epoll
pollwire_port=$(port_of pollwire)
netty_port=$(port_of netty)

log "warm-up ${WARMUP}s each"
load pollwire "$pollwire_port" "$WARMUP" >/dev/null
load netty "$netty_port" "$WARMUP" >/dev/null
load pollwire "$pollwire_port" "$WARMUP" pipeline >/dev/null
load netty "$netty_port" "$WARMUP" pipeline >/dev/null

log "keep-alive, $CONNECTIONS connections, ${DURATION}s each"
read -r pk pk_cpu pk_s < <(load pollwire "$pollwire_port" "$DURATION")
read -r nk nk_cpu nk_s < <(load netty "$netty_port" "$DURATION")
log "pipelined x$PIPELINE, $CONNECTIONS connections, ${DURATION}s each (netty first this time)"
read -r np np_cpu np_s < <(load netty "$netty_port" "$DURATION" pipeline)
read -r pp pp_cpu pp_s < <(load pollwire "$pollwire_port" "$DURATION" pipeline)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "| scenario | pollwire req/s | netty req/s | ratio | pollwire req/CPU-s | netty req/CPU-s | ratio | p50 / p99 pollwire | netty |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
echo "| keep-alive, $CONNECTIONS conns | $pk | $nk | $(ratio "$pk" "$nk") | $pk_cpu | $nk_cpu | $(ratio "$pk_cpu" "$nk_cpu") | $(p50_p99 "$out/pollwire-keepalive-${DURATION}s.txt") | $(p50_p99 "$out/netty-keepalive-${DURATION}s.txt") |"
echo "| pipelined x$PIPELINE, $CONNECTIONS conns | $pp | $np | $(ratio "$pp" "$np") | $pp_cpu | $np_cpu | $(ratio "$pp_cpu" "$np_cpu") | $(p50_p99 "$out/pollwire-pipeline-${DURATION}s.txt") | $(p50_p99 "$out/netty-pipeline-${DURATION}s.txt") |"
echo
echo "ratio = pollwire / netty. req/CPU-s = requests per second of CPU time used by the server process"
echo "(all its threads; it was given ${pk_s}/${nk_s}/${pp_s}/${np_s} CPU-s in the ${DURATION}s runs): less sensitive than req/s"
echo "to other load on the machine."
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s on core $CLIENT_CPU; servers: 1 event loop each on core $SERVER_CPU, JAVA_OPTS=$JAVA_OPTS,"
echo "$(java -version 2>&1 | head -1); $(nproc) cores; load average at start: $loadavg"
