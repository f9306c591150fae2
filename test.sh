#!/usr/bin/env bash
# Runs every test: the layer include-check, clang-format, clang-tidy, the C++ unit, golden,
# API and attack tests (ctest) under AddressSanitizer + UndefinedBehavior-
# Sanitizer, a short fuzz run of every parser and of the HTTP and store inputs,
# the concurrent parts under ThreadSanitizer, UI unit tests (Vitest) and browser
# end-to-end tests (Chromium) on the release build. Installs and builds what it
# needs.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
# Cheap checks first: a layer includes only the layers below it (docs/architecture.md).
python3 scripts/check_layers.py
# Every C++ file is clang-format clean (.clang-format).
scripts/check_format.sh
# The release product (plcscope and the UI) the browser tests drive.
scripts/build.sh
# The C++ sources pass .clang-tidy (uses build/compile_commands.json).
scripts/clang_tidy.sh build
# Every C++ target built with clang + ASan/UBSan, and every ctest test run in it.
scripts/sanitize.sh asan
# Every parser, the HTTP parameter handling and the store reader under libFuzzer
# (the same build), briefly.
FUZZ_SECONDS=${FUZZ_SECONDS:-8} scripts/fuzz.sh
scripts/sanitize.sh tsan
if [ -f web/package.json ]; then
  (cd web && npm run --silent test)
  (cd web && npm run --silent test:e2e)
fi
