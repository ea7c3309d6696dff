#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What a connection costs the echo server, in resident memory (VmRSS of the server process):
# starts `java -Xmx64m -jar target/pollwire-*.jar echo --loops 1`, measures its RSS, opens N
# connections (benchmarks/IdleClients.java) and measures again, after a warm-up round and a full
# GC each time (jcmd GC.run), so the figure is memory kept per connection, not garbage; the
# live heap (jcmd GC.heap_info) is shown too. Then the same with a
# partial line of P bytes kept on every connection. Loopback only; the server is stopped on exit.
#
#   benchmarks/memory.sh [N] [P]     default N=2000 connections, P=5000 bytes (2,000 x 8 KiB
#                                    fit the default budget of a 64 MiB JVM)
#
# Needs `ulimit -n` above N + 100 (both the server and the client hold N descriptors).
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"

N=2000 P=5000
bench_options @N @P -- "$@"
[[ "$N" =~ ^[1-9][0-9]*$ && "$P" =~ ^[0-9]+$ ]] || { echo "memory.sh: N and P are whole numbers: $N $P" >&2; exit 2; }
JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"
[ -f "$LIB_JAR" ] || { echo "memory.sh: missing $LIB_JAR (build: ./mvnw -B -q package -DskipTests)" >&2; exit 1; }
if [ "$(ulimit -n)" -lt $((N + 100)) ]; then
  ulimit -n $((N + 100)) 2>/dev/null || { echo "memory.sh: ulimit -n is $(ulimit -n), need $((N + 100))" >&2; exit 2; }
fi

sample() { # "RSS_KB HEAP_USED_KB" after a full GC, so the heap holds only live objects
  "$JCMD" "$SERVER" GC.run >/dev/null
  sleep 1
  echo "$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER/status") $("$JCMD" "$SERVER" GC.heap_info \
    | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)"
}

SERVER_LOG="$(mktemp)"
trap 'cleanup; rm -f "$SERVER_LOG"' EXIT
start_listening "$SERVER_LOG" "$JAVA" -Xmx64m -jar "$LIB_JAR" echo --host 127.0.0.1 --port 0 --loops 1 --idle-timeout off
SERVER=$STARTED_PID
PORT=$(await_listening "$SERVER" "$SERVER_LOG")

measure() { # measure LABEL PARTIAL [quiet]
  local before after fifo
  before=$(sample)
  fifo=$(mktemp -u); mkfifo "$fifo"
  "$JAVA" "$ROOT/benchmarks/IdleClients.java" "$PORT" "$N" "$2" < "$fifo" > "$fifo.out" &
  PIDS+=("$!")
  exec 4>"$fifo"
  for _ in $(seq 600); do grep -q ready "$fifo.out" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$fifo.out" || { echo "memory.sh: clients did not connect" >&2; exit 1; }
  after=$(sample)
  exec 4>&-
  wait "$!" 2>/dev/null || true
  rm -f "$fifo" "$fifo.out"
  [ -n "${3:-}" ] && return
  local rss0 heap0 rss1 heap1
  read -r rss0 heap0 <<<"$before"
  read -r rss1 heap1 <<<"$after"
  set -- "$1" "$rss0" "$heap0" "$rss1" "$heap1"
  echo "$1: RSS +$(( ($4 - $2) * 1024 / N )) B each ($2 -> $4 kB), live heap +$(( ($5 - $3) * 1024 / N )) B each ($3 -> $5 kB), $N connections"
}
# a first round grows the heap, the JIT's code and the loop's tables to their working size
measure "warm-up" 0 quiet
measure "idle connections" 0
measure "connections each keeping a $P-byte partial line" "$P"
