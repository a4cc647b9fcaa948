#!/usr/bin/env bash
# test.sh — the README's second command: install dependencies, build, run the whole test suite with CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" --tests
"$root/scripts/build.sh"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${RC_BUILD_DIR:-$root/build}" --output-on-failure --timeout 900 -j "$(nproc)"
