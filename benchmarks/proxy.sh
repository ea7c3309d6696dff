#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The proxy comparison (issue 15): 50 connections pipelining 12-byte lines through a proxy to
# the C echo server, for pollwire's proxy (`java -jar target/pollwire-*.jar proxy`, epoll and
# NIO, one loop) and Netty 4.2's HexDumpProxy-style epoll proxy (harness/.../peer/NettyProxy:
# backend on the inbound channel's loop, autoRead toggled), the C echo reached directly, and
# a C proxy (c-proxy/proxy.c, one thread, epoll) moving the bytes with read/write (c-proxy-rw:
# the floor for a proxy that copies through user space, as pollwire's and Netty's do) and with
# splice(2) (c-proxy-splice: no copy to user space, HAProxy's TCP splicing).
# Reports lines/s and the proxy's CPU (user + system, /proc) per line: lines per proxy
# CPU-second is the figure of merit. The proxy is pinned to SERVER_CORE; the C echo and the
# load generator share CLIENT_CORE. Loopback only; every process started is stopped on exit.
#
#   benchmarks/proxy.sh           2 s warm-up + 3 s measured per proxy, 3 repetitions
#   benchmarks/proxy.sh --quick   0.5 s + 1 s, 1 repetition
#
# Options: --reps N, --no-build, --out DIR. Environment: SERVER_CORE (0), CLIENT_CORE (1), JAVA.
# Writes DIR/<date>-<host>-proxy.md (DIR: benchmarks/results).
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"

C_ECHO="$BENCH/target/c-echo"
C_PROXY="$BENCH/target/c-proxy"
SERVER_JVM=(-Xms64m -Xmx64m -XX:MaxDirectMemorySize=1g -XX:+UseG1GC)
CLIENT_JVM=(-Xms256m -Xmx256m -XX:+UseParallelGC)
bench_args "$@"
if [ "$QUICK" = 1 ]; then WARM=0.5 DUR=1; else WARM=2 DUR=3; fi

bench_prepare proxy
mkdir -p "$BENCH/target"
cc -O2 -Wall -Wextra -Werror -o "$C_ECHO" "$BENCH/c-echo/echo.c"
cc -O2 -Wall -Wextra -Werror -o "$C_PROXY" "$BENCH/c-proxy/proxy.c"

BACKEND_PORT=$(free_port)
start_listening "$WORK/c-echo.log" "${PIN_CLIENT[@]}" "$C_ECHO" -h 127.0.0.1 -p "$BACKEND_PORT"
BACKEND_PID=$STARTED_PID
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # NAME PORT PID
  local name=$1 port=$2 pid=$3 rep=$4
  run_waited "${PIN_CLIENT[@]}" "$JAVA" "${CLIENT_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.load.LoadGen \
    --host 127.0.0.1 --port "$port" --label "$name" --server-pid "$pid" --clk-tck "$CLK_TCK" \
    --scenario pipelined --mode pipelined --connections 50 --window 65536 --warmup "$WARM" --duration "$DUR" \
    >"$WORK/$name-r$rep.loadgen.log" 2>&1 || log "$name: the load failed (see $WORK/$name-r$rep.loadgen.log)"
  grep '^RESULT' "$WORK/$name-r$rep.loadgen.log" | sed "s/^/rep=$rep\t/" >>"$RAW" || true
}

TARGETS=(c-direct pollwire-epoll pollwire-nio netty42-epoll c-proxy-rw c-proxy-splice)
for rep in $(seq "$REPS"); do
  rotate "$rep" "${TARGETS[@]}"
  for name in "${ORDER[@]}"; do
    log "repetition $rep/$REPS: $name"
    if [ "$name" = c-direct ]; then
      measure "$name" "$BACKEND_PORT" "$BACKEND_PID" "$rep"
      continue
    fi
    port=$(free_port)
    case "$name" in
      pollwire-*) cmd=("$JAVA" "${SERVER_JVM[@]}" -jar "$LIB_JAR" proxy --host 127.0.0.1 --port "$port"
        --backend "127.0.0.1:$BACKEND_PORT" --transport "${name#pollwire-}" --loops 1) ;;
      netty42-epoll) cmd=("$JAVA" "${SERVER_JVM[@]}" "${NETTY_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.peer.NettyProxy
        --host 127.0.0.1 --port "$port" --backend-port "$BACKEND_PORT") ;;
      c-proxy-*) cmd=("$C_PROXY" -h 127.0.0.1 -p "$port" -b "$BACKEND_PORT" -m "${name#c-proxy-}") ;;
    esac
    if start_listening "$WORK/$name-r$rep.log" "${PIN_SERVER[@]}" "${cmd[@]}"; then
      measure "$name" "$port" "$STARTED_PID" "$rep"
    fi
    stop "$STARTED_PID"
  done
done

# ---- report: medians over the repetitions ------------------------------------------------
bench_report proxy "Proxy comparison: 50 pipelining connections through a proxy to the C echo"
{
  echo "- proxy pinned to core $SERVER_CORE with one event loop; C echo and load generator on core $CLIENT_CORE"
  echo
  echo "| target | lines/s | proxy CPU % | lines per proxy CPU-second | vs netty42-epoll |"
  echo "|---|---:|---:|---:|---:|"
  awk -F'\t' '
    { name = ""; lps = ""; cpu = ""
      for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "server") name = kv[2];
        if (kv[1] == "lines_per_s") lps = kv[2]; if (kv[1] == "server_cpu_pct") cpu = kv[2] }
      if (name != "" && lps != "") { n[name]++; L[name, n[name]] = lps; C[name, n[name]] = cpu } }
    function med(a, nm, k,   v, i, j, t) { for (i = 1; i <= k; i++) v[i] = a[nm, i] + 0
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[int((k + 1) / 2)] }
    END { k = split("c-direct pollwire-epoll pollwire-nio netty42-epoll c-proxy-rw c-proxy-splice", order, " ")
      if ("netty42-epoll" in n) base = med(L, "netty42-epoll", n["netty42-epoll"]) / (med(C, "netty42-epoll", n["netty42-epoll"]) / 100)
      for (o = 1; o <= k; o++) { nm = order[o]; if (!(nm in n)) continue
        l = med(L, nm, n[nm]); c = med(C, nm, n[nm]); per = c > 0 ? l / (c / 100) : 0
        if (nm == "c-direct") printf "| %s (no proxy; CPU is the echo server) | %.0f | %.0f | - | - |\n", nm, l, c
        else printf "| %s | %.0f | %.0f | %.0f | %s |\n", nm, l, c, per, (base > 0 ? sprintf("%.2fx", per / base) : "-") } }' "$RAW"
  echo
  echo "Raw RESULT lines: \`${WORK#"$ROOT"/}/results.tsv\` (not committed)."
} >>"$REPORT"
cat "$REPORT"
log "wrote $REPORT"
