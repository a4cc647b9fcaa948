#!/usr/bin/env bash
# test-package.sh — builds the .deb with CPack, checks its control data and contents, installs it with apt-get
# into this machine, runs the installed recurrent-chat (--version, --help in German, a headless start on a golden
# model) and rgemma, checks that every shared library the running app maps and every QML module it can import
# belongs to a package its dependencies pull in, then removes it.
# Usage: scripts/test-package.sh [BUILD_DIR]   (default: build). CTest runs it as test_package.
# Root only, since it installs into the machine: otherwise, or without apt-get, or when a recurrent-chat
# package is already installed (it is not ours to remove), it exits 77 (CTest: skipped).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "not a Debian system"
if dpkg-query -W -f='${Status}' recurrent-chat 2>/dev/null | grep -q "install ok installed"; then
    skip "a recurrent-chat package is already installed; leaving it alone"
fi

work="$(mktemp -d)"
installed=0
cleanup() {
    if [ "$installed" -eq 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o DPkg::Lock::Timeout=300 recurrent-chat >/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== building the binaries and the packages"
cmake --build "$build" --target recurrent-chat rgemma man_pages >/dev/null
(cd "$work" && cpack -G "DEB;TGZ" --config "$build/CPackConfig.cmake" -B "$work/out" >/dev/null)
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")"
deb="$work/out/recurrent-chat-$version-$(uname -m).deb"
tgz="$work/out/recurrent-chat-$version-$(uname -m).tar.gz"
[ -f "$deb" ] && [ -f "$tgz" ] || fail "cpack did not write $deb and $tgz"

echo "== control data and contents"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
# Computed by dpkg-shlibdeps (with versions), and named by hand for what is loaded at run time.
for package in libc6 libqt6core6 libqt6gui6 libqt6qml6 libqt6quick6 libqt6sql6 libqt6network6 libtbb12 \
    libsentencepiece0 libqt6sql6-sqlite qml6-module-qtquick-controls qml6-module-qtquick-dialogs \
    qml6-module-qt-labs-folderlistmodel; do
    grep -Eq "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends lacks $package"
done
contents="$(dpkg-deb -c "$deb" | awk '{print $6}')"
tgz_contents="$(tar -tzf "$tgz")"
expected=(./usr/bin/recurrent-chat ./usr/bin/rgemma
    ./usr/share/applications/io.github.recurrentchat.RecurrentChat.desktop
    ./usr/share/metainfo/io.github.recurrentchat.RecurrentChat.metainfo.xml
    ./usr/share/icons/hicolor/scalable/apps/io.github.recurrentchat.RecurrentChat.svg
    ./usr/share/man/man1/recurrent-chat.1.gz ./usr/share/man/man1/rgemma.1.gz)
for size in 16 32 48 64 128 256; do
    expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/io.github.recurrentchat.RecurrentChat.png")
done
for path in "${expected[@]}"; do
    grep -qxF "$path" <<<"$contents" || fail ".deb lacks $path"
    grep -q "/${path#./usr/}$" <<<"$tgz_contents" || fail ".tar.gz lacks ${path#./usr/}"
done

echo "== installing"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "$deb" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install"; }
[ -x /usr/bin/recurrent-chat ] && [ -x /usr/bin/rgemma ] || fail "the binaries are not in /usr/bin"

echo "== running the installed binaries"
/usr/bin/recurrent-chat --version | grep -qx "recurrent-chat $version" || fail "recurrent-chat --version"
/usr/bin/rgemma --version | grep -q "$version" || fail "rgemma --version"
/usr/bin/rgemma --help | grep -q "usage: rgemma" || fail "rgemma --help"
# The translations are inside the binary.
LANGUAGE=de LC_ALL=de_DE.UTF-8 /usr/bin/recurrent-chat --help | grep -q -- "--model <ordner>" ||
    fail "recurrent-chat --help is not translated (embedded catalogues)"
/usr/bin/rgemma inspect --model "$root/tests/data/tiny-f32" >/dev/null || fail "rgemma inspect on a golden model"

# The GUI, headless, on a golden model, with its own XDG folders; the libraries it maps are recorded meanwhile.
home="$work/home"
mkdir -p -m 700 "$home/runtime"
env -i PATH=/usr/bin:/bin HOME="$home" QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$home/config" \
    XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime" \
    /usr/bin/recurrent-chat --model "$root/tests/data/tiny-f32" --quit-after-ms 2500 >"$work/app.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
    awk '$6 ~ /\.so(\.[0-9]+)*$/ {print $6}' "/proc/$pid/maps" 2>/dev/null >>"$work/mapped" || true
    sleep 0.1
done
status=0
wait "$pid" || status=$?
[ "$status" -eq 0 ] || { cat "$work/app.log"; fail "the installed recurrent-chat exited with status $status"; }
[ -f "$home/data/recurrent-chat/conversations.sqlite3" ] || fail "no database in \$XDG_DATA_HOME (SQLite driver?)"
grep -q "libqsqlite.so" "$work/mapped" || fail "the Qt SQLite driver was not loaded"
grep -q "qtquickcontrols2materialstyleplugin" "$work/mapped" || fail "the Material style was not loaded"

echo "== dependencies are complete"
# What the package's dependencies pull in, recursively (names without architecture).
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances recurrent-chat | grep -v '^ ' | sed 's/:.*//' | sort -u >"$work/closure"
owner() {  # the package that owns a file, trying the /lib form of a merged-/usr path
    local path="$1"
    dpkg -S "$path" 2>/dev/null || { [[ "$path" == /usr/lib/* ]] && dpkg -S "${path#/usr}" 2>/dev/null; } || true
}
missing=()
for file in $(sort -u "$work/mapped"); do
    package="$(owner "$file" | head -1 | cut -d: -f1)"
    [ -n "$package" ] || fail "$file, mapped by the app, belongs to no package"
    grep -qx "$package" "$work/closure" || missing+=("$package ($file)")
done
# Every QML module the window can import (the folder dialog's only when it opens), followed through the qmldir
# files' depends and imports and the imports of the QML files they list.
qml_root="$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/qml)"
queue=($(grep -ho '^import [A-Za-z][A-Za-z.]*' "$root"/ui/qml/*.qml | awk '$2 != "RecurrentChat" {print $2}' | sort -u))
# Not followed: QtQuick.Shapes, imported only by the Basic style's SelectionRectangle (a TableView selection
# handle, which this app has not); Debian's qml6-module-qtquick-controls does not depend on it either.
declare -A seen=([QtQuick.Shapes]=1)
while [ ${#queue[@]} -gt 0 ]; do
    uri="${queue[0]}"
    queue=("${queue[@]:1}")
    optional=0
    [[ "$uri" == \?* ]] && optional=1 && uri="${uri#\?}"  # "optional import": another platform's style
    [ -n "${seen[$uri]:-}" ] && continue
    dir="$qml_root/${uri//.//}"
    [ -f "$dir/qmldir" ] || { [ "$optional" -eq 1 ] && continue; fail "QML module $uri is not installed"; }
    seen[$uri]=1
    package="$(owner "$dir/qmldir" | head -1 | cut -d: -f1)"
    grep -qx "$package" "$work/closure" || missing+=("$package (QML $uri)")
    queue+=($( {
        awk '$1 == "depends" || $1 == "import" {print $2} $1 == "optional" && $2 == "import" {print "?" $3}' "$dir/qmldir"
        for file in $(awk '$NF ~ /\.qml$/ {print $NF}' "$dir/qmldir" | sort -u); do
            grep -ho '^import [A-Za-z][A-Za-z.]*' "$dir/$file" | awk '{print $2}' || true
        done
    } | sort -u))
done
[ ${#missing[@]} -eq 0 ] || fail "not pulled in by the package's dependencies: ${missing[*]}"

echo "== removing"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o DPkg::Lock::Timeout=300 recurrent-chat >/dev/null
installed=0
[ ! -e /usr/bin/recurrent-chat ] || fail "recurrent-chat is still installed after apt-get remove"
echo "PASS: $(basename "$deb") ($(du -h "$deb" | cut -f1)); checked $((${#seen[@]} - 1)) QML modules, $(sort -u "$work/mapped" | wc -l) mapped libraries"
