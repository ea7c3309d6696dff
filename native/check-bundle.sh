#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails unless <native-dir> holds libpollwire for every platform named, each built for that
# OS and CPU (checked with file(1) where present): the release all-in-one jar's contents.
# usage: check-bundle.sh <classes>/META-INF/native linux-x86_64 linux-aarch_64 ...
set -euo pipefail
dir=$1
shift
bad=0
# Maven passes the platforms as one space-separated argument.
read -ra platforms <<<"$*"
for platform in "${platforms[@]}"; do
  case "$platform" in
    linux-x86_64) lib=libpollwire.so want='ELF 64-bit.*x86-64' ;;
    linux-aarch_64) lib=libpollwire.so want='ELF 64-bit.*aarch64' ;;
    osx-x86_64) lib=libpollwire.dylib want='Mach-O 64-bit.*x86_64' ;;
    osx-aarch_64) lib=libpollwire.dylib want='Mach-O 64-bit.*arm64' ;;
    *) echo "[pollwire-bundle] ERROR: unknown platform $platform"; bad=1; continue ;;
  esac
  f="$dir/$platform/$lib"
  if [ ! -s "$f" ]; then
    echo "[pollwire-bundle] ERROR: $f missing"
    bad=1
  elif command -v file >/dev/null 2>&1; then
    what=$(file -b "$f")
    if echo "$what" | grep -qE "$want"; then
      echo "[pollwire-bundle] $platform: $what"
    else
      echo "[pollwire-bundle] ERROR: $platform/$lib is not $want: $what"
      bad=1
    fi
  else
    echo "[pollwire-bundle] $platform: $(wc -c <"$f") bytes (no file(1) to check its type)"
  fi
done
# A bundle is complete: drop the note a skipped local native build may have left.
rm -f "$dir/build-skipped.txt"
exit "$bad"
