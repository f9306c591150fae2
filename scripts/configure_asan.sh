#!/usr/bin/env bash
# Configures the clang build with AddressSanitizer + UndefinedBehaviorSanitizer
# that both scripts/fuzz.sh (the libFuzzer targets) and scripts/sanitize.sh asan
# (every ctest test) use: every library is also instrumented for libFuzzer's
# coverage (fuzzer-no-link), so one build serves both.
#
#   scripts/configure_asan.sh [BUILD_DIR]    (default: build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-fuzz}
SAN_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPLCSCOPE_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="$SAN_FLAGS" > /dev/null
