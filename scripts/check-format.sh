#!/usr/bin/env bash
# check-format.sh — every C++ source of the project (app/, engine/, tests/, tools/, ui/) formatted as .clang-format
# says: clang-format --dry-run -Werror lists each difference and fails. Run by .ci/run; `clang-format -i FILE` fixes a
# file. clang-format is Debian's (14), installed by scripts/install-deps.sh --tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! command -v clang-format >/dev/null; then
    echo "check-format.sh: clang-format is missing (scripts/install-deps.sh --tests installs it)" >&2
    exit 1
fi
mapfile -t files < <(find app engine tests tools ui -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
clang-format --dry-run -Werror "${files[@]}"
echo "check-format.sh: ${#files[@]} files as .clang-format says ($(clang-format --version))"
