#!/usr/bin/env bash
# screenshots.sh — screenshots of the real window (tools/window_shots): light and dark × en, de, fr × 1280×800 and
# 640×480, on the demo model, into a folder; with --readme also the README's screenshot (resources/screenshot.png,
# light, English, 1280×800). Under Xvfb when xvfb-run is there: the offscreen platform does not draw Material's
# elevated backgrounds (toolbars, the highlighted button); without it, offscreen.
# With --problems, the window when things go wrong instead (a damaged database, a model that does not load).
# Usage: scripts/screenshots.sh [OUT_DIR] [--readme | --problems]   (default OUT_DIR: build/screenshots)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RC_BUILD_DIR:-$root/build}"
out="$build/screenshots"
extra=()
for arg in "$@"; do
    case "$arg" in
        --readme) extra=(--readme "$root/resources/screenshot.png") ;;
        --problems) extra=(--problems) ;;
        *) out="$arg" ;;
    esac
done
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target window_shots >/dev/null
shots=("$build/tools/window_shots/window_shots" "$out" "${extra[@]}")
if command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" env QT_QPA_PLATFORM=xcb "${shots[@]}"
else
    QT_QPA_PLATFORM=offscreen "${shots[@]}"
fi
