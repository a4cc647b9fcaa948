#!/usr/bin/env bash
# build.sh — configures (once) and builds the project into ./build (Release with debug info).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RC_BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --parallel "$(nproc)"
