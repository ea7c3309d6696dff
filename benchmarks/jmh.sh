#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# JMH benchmarks: the line framer (1/16/128 lines per read, whole and split lines), the
# per-frame path of a running loop without the kernel (PerFrameBenchmark), the cost
# of a deferred reply (inline vs deferred on the loop vs from an executor) and echo
# over loopback against in-process servers (pollwire epoll/NIO, hand NIO, Netty 4.2 epoll/NIO),
# both with -prof gc. Output goes to the terminal and to benchmarks/target/jmh-<time>.txt.
#
#   benchmarks/jmh.sh            JMH's iterations as annotated (about 5 minutes)
#   benchmarks/jmh.sh --quick    one short iteration each (about 1.5 minutes)
#   benchmarks/jmh.sh -- ARGS    extra JMH arguments, e.g. -- -p server=pollwire-epoll
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/benchmarks/harness/target/pollwire-benchmarks.jar"
ITERATIONS=()
if [ "${1:-}" = "--quick" ]; then
  ITERATIONS=(-wi 1 -w 1 -i 2 -r 1)
  shift
fi
[ "${1:-}" = "--" ] && shift
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q install -DskipTests && ./mvnw -B -q -f benchmarks/pom.xml package)
fi
OUT="$ROOT/benchmarks/target/jmh-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p "$(dirname "$OUT")"
java -jar "$JAR" 'LineFramerBenchmark|PerFrameBenchmark|EchoRoundTripBenchmark|DeferredReplyBenchmark' -prof gc "${ITERATIONS[@]}" "$@" | tee "$OUT"
echo "saved to $OUT"
