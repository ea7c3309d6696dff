#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds libpollwire for this machine and copies it where the jar bundles it:
#   <classes>/META-INF/native/<os>-<arch>/libpollwire.{so,dylib}
# Run by Maven (process-classes) after javac -h has generated the JNI headers.
#
# usage: build.sh <basedir> <build-dir> <jni-headers> <classes-dir> <required:true|false> [cmake args...]
# Without cmake or a C compiler the build is skipped with one clear message (the jar is then
# NIO-only), unless required=true, which turns that into a failure (CI sets it).
set -euo pipefail

basedir=$1 build_dir=$2 jni_headers=$3 classes_dir=$4 required=$5
shift 5

say() { echo "[pollwire-native] $*"; }

skip() {
  if [ "$required" = "true" ]; then
    say "ERROR: $1, and -Dpollwire.native.required=true: failing the build."
    exit 1
  fi
  mkdir -p "$classes_dir/META-INF/native"
  echo "$1" >"$classes_dir/META-INF/native/build-skipped.txt"
  say "SKIPPED: $1. The jar will be NIO-only (Transport.NIO); install cmake and a C compiler to build the native transport."
  exit 0
}

case "$(uname -s)" in
  Linux) os=linux; ext=so ;;
  Darwin) os=osx; ext=dylib ;;
  FreeBSD) os=freebsd; ext=so ;;
  *) skip "no native backend for OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch_64 ;;
  *) skip "no native build for architecture $(uname -m)" ;;
esac

command -v cmake >/dev/null 2>&1 || skip "cmake not found on PATH"
cc_found=""
for c in "${CC:-}" cc gcc clang; do
  if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then cc_found=$c; break; fi
done
[ -n "$cc_found" ] || skip "no C compiler (cc, gcc or clang) found on PATH"
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "$JAVA_HOME/include/jni.h" ]; then
  skip "jni.h not found under JAVA_HOME='${JAVA_HOME:-}' (a JRE has no headers; use a JDK)"
fi

mkdir -p "$build_dir"
# Options not given are reset: the CMake cache would otherwise keep a sanitizer build's settings.
cmake -S "$basedir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$cc_found" \
  -DPOLLWIRE_JNI_HEADERS="$jni_headers" -DPOLLWIRE_JAVA_HOME="$JAVA_HOME" \
  -DPOLLWIRE_SANITIZE=OFF "$@" >"$build_dir.log" 2>&1 \
  || { cat "$build_dir.log"; say "ERROR: cmake configure failed"; exit 1; }
cmake --build "$build_dir" -j 2 >>"$build_dir.log" 2>&1 \
  || { cat "$build_dir.log"; say "ERROR: native compile failed"; exit 1; }

rm -f "$classes_dir/META-INF/native/build-skipped.txt"
dest="$classes_dir/META-INF/native/$os-$arch"
mkdir -p "$dest"
cp "$build_dir/libpollwire.$ext" "$dest/libpollwire.$ext"
# The platform-jar profile names its classifier jar after this (one source of the naming).
echo "pollwire.platform=$os-$arch" >"$build_dir/platform.properties"
say "built $dest/libpollwire.$ext ($(grep -m1 'pollwire backend' "$build_dir.log" | sed 's/.*: //'))"
