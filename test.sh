#!/usr/bin/env bash
# Runs every test: the layer include-check, C++ unit and golden tests (ctest), clang-tidy,
# UI unit tests (Vitest), browser end-to-end tests (Chromium), and a short fuzz run of every
# parser. Installs and builds what it needs.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
# Cheap checks first: a layer includes only the layers below it (docs/architecture.md).
python3 scripts/check_layers.py
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
# The C++ sources pass .clang-tidy (uses build/compile_commands.json).
scripts/clang_tidy.sh build
# Every parser and the HTTP parameter handling under libFuzzer + ASan/UBSan, briefly.
FUZZ_SECONDS=${FUZZ_SECONDS:-8} scripts/fuzz.sh
if [ -f web/package.json ]; then
  (cd web && npm run --silent test)
  (cd web && npm run --silent test:e2e)
fi
