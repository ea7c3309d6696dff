#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unix domain socket vs TCP loopback, on pollwire's echo server (`echo --unix PATH` vs
# `echo --host 127.0.0.1`), epoll and NIO, one loop pinned to SERVER_CORE, the load generator
# on CLIENT_CORE: closed-loop ping-pong over 1 connection (round trips/s, p99) and 50
# pipelining connections (lines/s). A user picks a transport and an address family by this
# table. Loopback and /tmp only; every process started is stopped on exit.
#
#   benchmarks/unix.sh            1 s warm-up + 3 s measured, 3 repetitions
#   benchmarks/unix.sh --quick    0.3 s + 1 s, 1 repetition
#
# Options: --reps N, --no-build, --out DIR. Environment: SERVER_CORE (0), CLIENT_CORE (1), JAVA.
# Writes DIR/<date>-<host>-unix.md (DIR: benchmarks/results).
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"

SERVER_JVM=(-Xms64m -Xmx64m -XX:MaxDirectMemorySize=1g -XX:+UseG1GC)
CLIENT_JVM=(-Xms256m -Xmx256m -XX:+UseParallelGC)
bench_args "$@"
if [ "$QUICK" = 1 ]; then WARM=0.3 DUR=1; else WARM=1 DUR=3; fi

bench_prepare unix
SOCK_DIR="$(mktemp -d /tmp/pw-bench-XXXXXX)"
trap 'cleanup; rm -rf "$SOCK_DIR"' EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

TARGETS=(epoll-tcp epoll-unix nio-tcp nio-unix)
for rep in $(seq "$REPS"); do
  rotate "$rep" "${TARGETS[@]}"
  for name in "${ORDER[@]}"; do
    transport=${name%-*}
    log "repetition $rep/$REPS: $name"
    if [ "${name#*-}" = unix ]; then
      where=(--unix "$SOCK_DIR/$name.sock")
      to=(--unix "$SOCK_DIR/$name.sock")
    else
      port=$(free_port)
      where=(--host 127.0.0.1 --port "$port")
      to=(--host 127.0.0.1 --port "$port")
    fi
    if start_listening "$WORK/$name-r$rep.log" "${PIN_SERVER[@]}" "$JAVA" "${SERVER_JVM[@]}" -jar "$LIB_JAR" echo \
        "${where[@]}" --transport "$transport" --loops 1 --idle-timeout off; then
      common=("${to[@]}" --label "$name" --server-pid "$STARTED_PID" --clk-tck "$CLK_TCK")
      run_waited "${PIN_CLIENT[@]}" "$JAVA" "${CLIENT_JVM[@]}" -cp "$HARNESS_JAR" io.pollwire.bench.load.LoadGen \
        "${common[@]}" --scenario closed-loop-1 --mode closed-loop --connections 1 --warmup "$WARM" --duration "$DUR" \
        --then "${common[@]}" --scenario pipelined --mode pipelined --connections 50 --window 65536 \
        --warmup "$WARM" --duration "$DUR" >"$WORK/$name-r$rep.loadgen.log" 2>&1 ||
        log "$name: the load failed (see $WORK/$name-r$rep.loadgen.log)"
      grep '^RESULT' "$WORK/$name-r$rep.loadgen.log" | sed "s/^/rep=$rep\t/" >>"$RAW" || true
    fi
    stop "$STARTED_PID"
  done
done

bench_report unix "Unix domain socket vs TCP loopback (pollwire echo, one loop)"
{
  echo
  echo "| server | closed-loop round trips/s | closed-loop p99 µs | pipelined lines/s | server CPU % (pipelined) |"
  echo "|---|---:|---:|---:|---:|"
  awk -F'\t' '
    { name = ""; sc = ""; delete kv2
      for (i = 1; i <= NF; i++) { split($i, kv, "="); kv2[kv[1]] = kv[2] }
      name = kv2["server"]; sc = kv2["scenario"]; if (name == "" || sc == "") next
      k = name SUBSEP sc; n[k]++
      RT[k, n[k]] = kv2["rt_per_s"]; P99[k, n[k]] = kv2["p99_us"]; L[k, n[k]] = kv2["lines_per_s"]; C[k, n[k]] = kv2["server_cpu_pct"] }
    function med(a, k, m,   v, i, j, t) { for (i = 1; i <= m; i++) v[i] = a[k, i] + 0
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[int((m + 1) / 2)] }
    END { split("epoll-tcp epoll-unix nio-tcp nio-unix", order, " ")
      for (o = 1; o <= 4; o++) { nm = order[o]; c = nm SUBSEP "closed-loop-1"; p = nm SUBSEP "pipelined"
        if (!(c in n) && !(p in n)) continue
        printf "| %s | %.0f | %.0f | %.0f | %.0f |\n", nm, (c in n) ? med(RT, c, n[c]) : 0, (c in n) ? med(P99, c, n[c]) : 0,
          (p in n) ? med(L, p, n[p]) : 0, (p in n) ? med(C, p, n[p]) : 0 } }' "$RAW"
  echo
  echo "Raw RESULT lines: \`${WORK#"$ROOT"/}/results.tsv\` (not committed)."
} >>"$REPORT"
cat "$REPORT"
log "wrote $REPORT"
