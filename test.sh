#!/usr/bin/env bash
# Runs every test: C++ unit and golden tests (ctest), UI unit tests (Vitest),
# browser end-to-end tests (Chromium), and a short fuzz run of every parser. Installs and builds what it needs.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
# Every parser and the HTTP parameter handling under libFuzzer + ASan/UBSan, briefly.
FUZZ_SECONDS=${FUZZ_SECONDS:-8} scripts/fuzz.sh
if [ -f web/package.json ]; then
  (cd web && npm run --silent test)
  (cd web && npm run --silent test:e2e)
fi
