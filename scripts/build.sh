#!/usr/bin/env bash
# Builds the product: the `plcscope` binary (build/) and the web UI (web/dist).
# Incremental.
#
#   scripts/build.sh              plcscope and the UI
#   scripts/build.sh all          every target (tests, benchmarks) and the UI
#   scripts/build.sh TARGET...    those targets and the UI
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(plcscope)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} > /dev/null
if [ "${TARGETS[*]}" = all ]; then
  cmake --build "$BUILD_DIR" -j"$(nproc)"
else
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS[@]}"
fi
if [ -f web/package.json ]; then
  (cd web && npm run --silent build)
fi
