#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehavior-
# Sanitizer, in build-fuzz/, the build scripts/sanitize.sh asan also uses) and
# runs each for a bounded time, seeded from src/ingest/formats/fuzz/corpus/<target>/ (http_*: src/http/fuzz/corpus/<target>/; store:
# src/query/fuzz/corpus/store/). Fails on the first crash; the
# crashing input is left in build-fuzz/fuzz-artifacts/.
#
#   scripts/fuzz.sh                 every target, FUZZ_SECONDS (15) each
#   FUZZ_SECONDS=60 scripts/fuzz.sh csv detect
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
JOBS=${JOBS:-2}
if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  TARGETS=(plc_debug plc_tab mcs csv detect http_query store)
fi

# The shared ASan/UBSan build (scripts/configure_asan.sh); the fuzz executables
# add libFuzzer's main (src/ingest/formats/fuzz/CMakeLists.txt).
scripts/configure_asan.sh "$BUILD_DIR"

ninja -C "$BUILD_DIR" -j"$JOBS" "${TARGETS[@]/%/_fuzz}"

artifacts="$BUILD_DIR/fuzz-artifacts"
mkdir -p "$artifacts"
failed=()
for t in "${TARGETS[@]}"; do
  dir=src/ingest/formats/fuzz
  max_len=4096
  case "$t" in http_*) dir=src/http/fuzz ;; store) dir=src/query/fuzz max_len=32768 ;; esac
  seeds="$dir/corpus/$t"
  work="$BUILD_DIR/fuzz-corpus/$t"
  mkdir -p "$work"
  echo "== fuzzing $t for ${FUZZ_SECONDS}s"
  if ! "$BUILD_DIR/$dir/${t}_fuzz" \
      -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
      "$work" "$seeds" 2> "$BUILD_DIR/fuzz-$t.log"; then
    echo "!! $t crashed; see $BUILD_DIR/fuzz-$t.log and $artifacts/"
    grep -E "ERROR|contract broken|runtime error|SUMMARY" "$BUILD_DIR/fuzz-$t.log" | head -5 || true
    failed+=("$t")
  else
    grep -E "stat::number_of_executed_units|cov:" "$BUILD_DIR/fuzz-$t.log" | tail -2 || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: no crash in ${TARGETS[*]}"
