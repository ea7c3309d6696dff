#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Linux only, tests only: builds libkqueue (a userspace kqueue over epoll) from the pinned source
# archive, then a test copy of libpollwire with the kqueue backend linked against it, so the
# kqueue twin runs its tests on Linux. Nothing built here is ever packaged into the jar.
# Run by Maven (process-test-classes, profile kqueue-on-linux); usable alone.
#
# usage: build-libkqueue.sh <basedir> <archive> <out-dir> <jni-headers> [cmake args...]
#   <archive>  libkqueue-*.tar.gz, or a directory holding exactly one
#   <out-dir>  gets libkqueue/ (install prefix), build/, libpollwire.so and
#              kqueue-tests.properties, which Maven reads to run or skip the kqueue tests.
# Without the archive, cmake or a C compiler, the kqueue tests are skipped with one message
# that says how to enable them; .ci/run then fails because they ran 0 tests.
set -euo pipefail

basedir=$1 archive=$2 out=$3 jni_headers=$4
shift 4

say() { echo "[pollwire-kqueue] $*"; }
mkdir -p "$out"
props="$out/kqueue-tests.properties"

skip() {
  say "SKIPPED kqueue tests on Linux: $1."
  say "  To run them: put the pinned libkqueue-*.tar.gz (see ../shared/third_party/README.md) at that path"
  say "  or pass -Dpollwire.kqueue.archive=/path/to/libkqueue-<rev>.tar.gz, with cmake and a C compiler on PATH."
  printf 'pollwire.kqueue.skipTests=true\npollwire.kqueue.library=\npollwire.kqueue.libraryDir=\n' >"$props"
  exit 0
}

[ "$(uname -s)" = Linux ] || skip "not Linux (elsewhere the main build is the kqueue one)"
if [ -d "$archive" ]; then
  found=$(find "$archive" -maxdepth 1 -name 'libkqueue-*.tar.gz' | sort | tail -1)
  [ -n "$found" ] || skip "no libkqueue-*.tar.gz in $archive"
  archive=$found
fi
[ -f "$archive" ] || skip "libkqueue archive not found: $archive"
command -v cmake >/dev/null 2>&1 || skip "cmake not found on PATH"
command -v "${CC:-cc}" >/dev/null 2>&1 || skip "no C compiler (${CC:-cc}) on PATH"
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "$JAVA_HOME/include/jni.h" ]; then
  skip "jni.h not found under JAVA_HOME='${JAVA_HOME:-}'"
fi

# libkqueue: rebuilt only when the archive changes (it takes ~20 s on 2 cores).
prefix="$out/libkqueue"
stamp="$prefix/.archive-sha256"
sum=$(sha256sum "$archive" | cut -d' ' -f1)
if [ ! -f "$prefix/lib/libkqueue.so" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  say "building libkqueue from $archive"
  rm -rf "$out/libkqueue-src" "$out/libkqueue-build" "$prefix"
  mkdir -p "$out/libkqueue-src"
  tar -xzf "$archive" -C "$out/libkqueue-src" --strip-components=1
  log="$out/libkqueue-build.log"
  # VERSION_OVERRIDE: a tarball has no git history to take the version from.
  { cmake -S "$out/libkqueue-src" -B "$out/libkqueue-build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DVERSION_OVERRIDE=2.7.0 \
      -DENABLE_STATIC=OFF -DENABLE_TESTING=OFF &&
    cmake --build "$out/libkqueue-build" -j 2 &&
    cmake --install "$out/libkqueue-build"; } >"$log" 2>&1 \
    || { tail -40 "$log"; say "ERROR: libkqueue build failed (log: $log)"; exit 1; }
  echo "$sum" >"$stamp"
fi

# libpollwire with the kqueue backend, against libkqueue's <sys/event.h> and libkqueue.so.
build="$out/build"
log="$out/build.log"
# The caller's cmake args come after the defaults they may change (the CMake cache would keep
# a sanitizer build's settings) and before the backend choice, which they may not.
{ cmake -S "$basedir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPOLLWIRE_SANITIZE=OFF "$@" \
    -DPOLLWIRE_BACKEND=kqueue \
    -DPOLLWIRE_KQUEUE_PREFIX="$prefix" -DPOLLWIRE_JNI_HEADERS="$jni_headers" \
    -DPOLLWIRE_JAVA_HOME="$JAVA_HOME" &&
  cmake --build "$build" -j 2; } >"$log" 2>&1 \
  || { cat "$log"; say "ERROR: kqueue test build of libpollwire failed"; exit 1; }
cp "$build/libpollwire.so" "$out/libpollwire.so"

printf 'pollwire.kqueue.skipTests=false\npollwire.kqueue.library=%s\npollwire.kqueue.libraryDir=%s\n' \
  "$out/libpollwire.so" "$prefix/lib" >"$props"
backend=$(sed -n 's/^-- pollwire backend: //p' "$log")
[ "$backend" = kqueue ] || { cat "$log"; say "ERROR: CMake chose the '$backend' backend, not kqueue"; exit 1; }
say "built $out/libpollwire.so (kqueue backend over libkqueue in $prefix)"
