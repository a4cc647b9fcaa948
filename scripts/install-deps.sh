#!/usr/bin/env bash
# install-deps.sh — installs, with apt-get, every Debian 12 package the build and the app need, and with --tests
# also what only the tests use. Idempotent: packages already present are skipped, and nothing is downloaded when
# all are there.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config ccache git
    qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-l10n-tools libqt6sql6-sqlite
    qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-layouts qml6-module-qtquick-dialogs qml6-module-qtquick-window
    qml6-module-qtcore qml6-module-qttest qml6-module-qt-labs-settings
    qml6-module-qt-labs-platform qml6-module-qt-labs-folderlistmodel
    qt6-translations-l10n  # Qt's own strings (dialog buttons) in German and French
    libeigen3-dev libtbb-dev libsentencepiece-dev sentencepiece nlohmann-json3-dev libexpected-dev
    qtkeychain-qt6-dev  # the Hugging Face token in the system keyring (Secret Service, KWallet)
    libgl1-mesa-dri xvfb xauth
    ca-certificates  # downloads from the Hugging Face Hub verify its TLS certificate against these
)
# Only for the tests: the desktop entry and metainfo validators, man-page rendering, and what CPack needs to
# build the .deb (dpkg-shlibdeps, file).
if [ "${1:-}" = "--tests" ]; then
    packages+=(desktop-file-utils appstream groff-base dpkg-dev file)
    packages+=(clang libclang-rt-14-dev)  # scripts/fuzz.sh: libFuzzer and sanitizer runtimes of Debian's clang 14
    packages+=(clang-format)  # scripts/check-format.sh
    packages+=(libopenblas-pthread-dev libdnnl-dev)  # engine/bench/bench_libraries: the GEMMs ours is compared with
    # tests/openai-client: the official openai npm package against rgemma serve (Node 18 or later, npm). A Node
    # installed otherwise (NodeSource's bundles npm) is used as it is.
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
