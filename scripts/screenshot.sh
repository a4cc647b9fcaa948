#!/usr/bin/env bash
# screenshot.sh — takes the README's screenshot of the real window under Xvfb: starts recurrent-chat (on the demo
# model) with a fresh data folder, types a message with xdotool, waits for the reply, and grabs the screen.
# Usage: scripts/screenshot.sh [OUT.png]   (default: resources/screenshot.png)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/resources/screenshot.png}"
missing=()
for p in xvfb xauth xdotool imagemagick; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
"$root/scripts/build.sh" >/dev/null

home="$(mktemp -d)"
trap 'kill $app_pid $xvfb_pid 2>/dev/null || true; rm -rf "$home"' EXIT
export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp &
xvfb_pid=$!
sleep 1
XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home" \
    "${RC_BUILD_DIR:-$root/build}/app/recurrent-chat/recurrent-chat" &
app_pid=$!
for _ in $(seq 50); do
    window=$(xdotool search --name "Recurrent Chat" 2>/dev/null | head -1 || true)
    [ -n "$window" ] && break
    sleep 0.2
done
[ -n "${window:-}" ] || { echo "error: the window did not appear" >&2; exit 1; }
xdotool windowsize "$window" 1280 800
sleep 1.5
xdotool type --delay 20 "What is 23 + 58?"
xdotool key Return
sleep 4
import -window root "$out"
echo "wrote $out"
