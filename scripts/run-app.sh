#!/usr/bin/env bash
# run-app.sh — the README's first command: install dependencies, build, start Recurrent Chat (arguments are
# passed to the app, e.g. --model DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "${RC_BUILD_DIR:-$root/build}/app/recurrent-chat/recurrent-chat" "$@"
