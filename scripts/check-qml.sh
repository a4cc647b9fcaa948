#!/usr/bin/env bash
# check-qml.sh — qmllint (Qt's QML linter, /usr/lib/qt6/bin) on the window's QML (ui/qml), with the RecurrentChat
# module's C++ types known to it: runs the recurrent_chat_ui_qmllint target that qt_add_qml_module defines, which
# builds what the linter reads (the module's type information) and fails on any warning. The QML test cases
# (tests/qml) are left out: their TestApp type is registered at run time, so the linter cannot see it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RC_BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target recurrent_chat_ui_qmllint
echo "qmllint: ui/qml is clean"
