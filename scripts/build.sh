#!/usr/bin/env bash
# Builds the C++ engine (build/) and the web UI (web/dist). Incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} > /dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
if [ -f web/package.json ]; then
  (cd web && npm run --silent build)
fi
