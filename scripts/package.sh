#!/usr/bin/env bash
# Builds the Debian package: the engine and the UI (scripts/build.sh), the man
# page, then CPack. Prints the .deb's path (in $BUILD_DIR/package/).
# Install it with `apt install ./plcscope_<version>_amd64.deb` (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
scripts/setup.sh
scripts/build.sh
[ -f web/dist/index.html ] || { echo "package: web/dist was not built" >&2; exit 1; }
rm -rf "$BUILD_DIR/package"
(cd "$BUILD_DIR" && cpack -G DEB -B package > package.log 2>&1) || { cat "$BUILD_DIR/package.log" >&2; exit 1; }
ls "$BUILD_DIR"/package/plcscope_*.deb
