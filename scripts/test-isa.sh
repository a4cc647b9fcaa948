#!/usr/bin/env bash
# test-isa.sh — the tests that run the kernels end to end once more at lower kernel levels, forced with RGEMMA_ISA
# (engine/src/kernels/matmul_kernels.h), whatever the best level of this machine: golden logits and tokens (test_golden),
# the checkpoint layouts (test_layouts), state files written and refused (test_state_file, test_state_reject,
# test_cli_state) and the engine worker's golden chat (test_engine_worker). First at avx2 (skipped, saying so, on a
# CPU without AVX2 + FMA), then at portable (baseline x86-64, Eigen). On an AVX2-only machine the first run repeats
# scripts/test.sh's level; on an AVX-512 one it is the path most desktops take.
# Uses the build of scripts/test.sh (RC_BUILD_DIR, default build/), building these tests if needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RC_BUILD_DIR:-$root/build}"
tests=(test_golden test_layouts test_state_file test_state_reject test_cli_state test_engine_worker)
cmake --build "$build" --parallel "$(nproc)" --target rgemma "${tests[@]}"
export QT_QPA_PLATFORM=offscreen

runAt() {  # runAt LEVEL
    echo "== tests with RGEMMA_ISA=$1"
    RGEMMA_ISA="$1" ctest --test-dir "$build" --output-on-failure --timeout 900 -j "$(nproc)" \
        -R "^($(IFS='|'; echo "${tests[*]}"))\$"
}

# The engine's own check (CPUID and the OS's register state): rgemma warns when it cannot run the level asked for.
if warning="$(RGEMMA_ISA=avx2 "$build/app/rgemma/rgemma" --version 2>&1 >/dev/null)" && [ -n "$warning" ]; then
    echo "== RGEMMA_ISA=avx2: skipped, this CPU cannot run it ($warning)"
else
    runAt avx2
fi
runAt portable
