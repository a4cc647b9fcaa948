#!/usr/bin/env bash
# test-sanitized.sh — the test suite under sanitizers.
#   asan (default, what CI runs): every test with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan, leaks
#     checked; any report fails the test that caused it (-fno-sanitize-recover=all). Third-party leaks are
#     suppressed narrowly, with reasons, in tests/lsan.supp.
#   tsan: the tests that run the engine worker and the GUI thread together (test_engine_worker, test_app_e2e,
#     test_qml), with ThreadSanitizer in build-tsan; any report fails the test. Debian's Qt and oneTBB are not built
#     with TSan: our hand-overs through Qt's event queues are annotated (net/thread_handoff.h), and what remains
#     inside those libraries is suppressed narrowly, with reasons, in tests/tsan.supp.
# Usage: scripts/test-sanitized.sh [asan|tsan]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
which="${1:-asan}"
"$root/scripts/install-deps.sh" --tests

configure() {  # configure DIR SANITIZERS
    [ -f "$1/build.ninja" ] && return 0
    cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRC_SANITIZE="$2" >/dev/null
}

export QT_QPA_PLATFORM=offscreen
case "$which" in
asan)
    build="${RC_ASAN_BUILD_DIR:-$root/build-asan}"
    configure "$build" address,undefined
    cmake --build "$build" --parallel "$(nproc)"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Left out here: test_qml and test_window (below, with full stacks); test_server_slow, which waits on real timeouts (seconds of a
    # byte a second) and 64 streams, nothing a sanitizer sees better than test_server_hostile does; test_server_openai,
    # which installs the openai package with npm and drives the rgemma binary, whose server code test_server_http
    # and test_server_hostile run in process here.
    ctest --test-dir "$build" --output-on-failure --timeout 900 -j "$(nproc)" \
        -E '^(test_qml|test_window|test_server_slow|test_server_openai)$'
    # test_qml's and test_window's only reports are Qt Quick's image textures, suppressed by frames deep inside Qt,
    # which the fast (frame-pointer) unwinder does not reach through Qt's libraries: these two tests record full
    # stacks (too slow for them all).
    ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
        ctest --test-dir "$build" --output-on-failure --timeout 900 -R '^(test_qml|test_window)$'
    ;;
tsan)
    build="${RC_TSAN_BUILD_DIR:-$root/build-tsan}"
    configure "$build" thread
    tests=(test_engine_worker test_app_e2e test_qml)
    cmake --build "$build" --parallel "$(nproc)" --target "${tests[@]}" recurrent-chat
    # history_size=7: the longest access history, so the other side of a race keeps its stack (and its suppression).
    export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp:halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=7"
    ctest --test-dir "$build" --output-on-failure --timeout 900 -R "^($(IFS='|'; echo "${tests[*]}"))\$"
    ;;
*)
    echo "usage: $0 [asan|tsan]" >&2
    exit 2
    ;;
esac
