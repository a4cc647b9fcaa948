#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in build-fuzz, and runs each for a
# fixed time on a copy of its seed corpus (tests/fuzz/corpus/<name>). Fails on any crash, leak, timeout (> 10 s
# for one input), out-of-memory (> 2 GB) or sanitizer report; the input that did it is kept in
# build-fuzz/artifacts/ and the libFuzzer log in build-fuzz/logs/.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 30)] [TARGET...]   e.g. scripts/fuzz.sh 600 state_file
# Longer runs (hours) are the same command with a larger number; reproduce a finding with
#   build-fuzz/tests/fuzz/fuzz_<name> build-fuzz/artifacts/<name>-crash-<sha1>
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors index config tokenizer tokenizer_text state_file q4_checkpoint hub_protocol chat_file)

"$root/scripts/install-deps.sh" --tests
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DRC_BUILD_FUZZERS=ON -DRC_SANITIZE=address,undefined >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$build/artifacts" "$build/logs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()
for name in "${targets[@]}"; do
    mkdir -p "$work/$name"
    log="$build/logs/$name.log"
    if "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
        "$work/$name" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        cover=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
        echo "fuzz_$name: ok, $execs executions in ${seconds}s, $cover"
    else
        echo "fuzz_$name: FAILED (log: $log)"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -5 || true
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
