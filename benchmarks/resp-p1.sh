#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The anatomy of RESP at -P 1 (one request per connection in flight), where redis.sh shows all
# servers at the same req/s. For each server (redis-server, pollwire-epoll, netty42-redis):
# redis-benchmark -P 1, GET then SET, 50 connections, N requests (default 100000), pinned to
# CLIENT_CORE (1), the server to SERVER_CORE (0). Prints per test: req/s, the server's user and system CPU per request
# (/proc), how busy redis-benchmark kept its core (perf stat task-clock) and the server's
# syscalls per request by type (perf stat syscall tracepoints on the server; TRACE=0 skips them).
# Needs redis-server, redis-tools and linux-perf; the jars from ./mvnw install and the benchmarks
# build (see redis.sh). Environment: N, SERVERS, TRACE, and lib.sh's JAVA, SERVER_CORE,
# CLIENT_CORE. Loopback only; every server it starts is stopped on exit.
set -uo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
JVM=(-Xms256m -Xmx256m -XX:+UseG1GC)
EV=syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_readv
EV+=,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2
EV+=,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto
EV+=,syscalls:sys_enter_sendmsg,syscalls:sys_enter_recvmsg,syscalls:sys_enter_clock_gettime,syscalls:sys_enter_sched_yield
for tool in redis-server redis-cli redis-benchmark perf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "resp-p1.sh: $tool not found (apt-get install redis-server redis-tools linux-perf)" >&2; exit 3; }
done

per_request() { # TICKS: CPU ticks -> microseconds per request
  awk -v d="$1" -v hz="$CLK_TCK" -v n="$N" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }'
}

ensure_jars 0
pin_cores "the server and redis-benchmark"
read -ra NAMES <<<"${SERVERS:-redis-server pollwire-epoll netty42-redis}"
for name in "${NAMES[@]}"; do
  PORT=$((20000 + RANDOM % 2000))
  LOG="/tmp/resp-p1-$name.log"
  case "$name" in
    redis-server) "${PIN_SERVER[@]}" redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$LOG" 2>&1 & ;;
    pollwire-epoll) "${PIN_SERVER[@]}" "$JAVA" "${JVM[@]}" -jar "$LIB_JAR" redis --port "$PORT" --loops 1 --transport epoll >"$LOG" 2>&1 & ;;
    netty42-redis) "${PIN_SERVER[@]}" "$JAVA" "${JVM[@]}" "${NETTY_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.NettyRedis \
      --host 127.0.0.1 --port "$PORT" --transport epoll >"$LOG" 2>&1 & ;;
    *) echo "resp-p1.sh: unknown server $name" >&2; exit 2 ;;
  esac
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  # warm-up
  "${PIN_CLIENT[@]}" redis-benchmark -p "$PORT" -c 50 -r 100000 -P 16 -n 400000 -t set,get -q >/dev/null 2>&1
  "${PIN_CLIENT[@]}" redis-benchmark -p "$PORT" -c 50 -r 100000 -P 1 -n $((N / 2)) -t set,get -q >/dev/null 2>&1
  for t in get set; do
    s0=$(awk '{print $14, $15}' "/proc/$PID/stat")
    TR=()
    # shellcheck disable=SC2054 # perf stat -x, is one argument
    if [ "${TRACE:-1}" != 0 ]; then TR=(perf stat -x, -e "$EV" -p "$PID" --); fi
    out=$("${TR[@]}" perf stat -x, -e task-clock,duration_time -- \
      "${PIN_CLIENT[@]}" redis-benchmark -p "$PORT" -c 50 -r 100000 -P 1 -n "$N" -t "$t" -q 2>&1)
    s1=$(awk '{print $14, $15}' "/proc/$PID/stat")
    rps=$(grep -o '[0-9.]* requests per second' <<<"$out" | awk '{print $1}')
    read -r u0 k0 <<<"$s0"
    read -r u1 k1 <<<"$s1"
    cli=$(awk -F, '/task-clock/{tc=$1} /duration_time/{d=$1} END{printf "%.0f%%", 100*tc*1e6/d}' <<<"$out")
    sys=$(awk -F, -v n="$N" '/syscalls:sys_enter/ && $1+0>0 {sub("syscalls:sys_enter_","",$3); printf "%s=%.2f ", $3, $1/n}' <<<"$out")
    printf '%-15s %s -P 1: %8s req/s  server user %s us/req sys %s us/req  redis-benchmark busy %s of its core  syscalls/req: %s load %s\n' \
      "$name" "$t" "$rps" "$(per_request $((u1 - u0)))" "$(per_request $((k1 - k0)))" "$cli" "$sys" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
  stop "$PID"
done
