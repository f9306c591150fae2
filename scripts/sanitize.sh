#!/usr/bin/env bash
# The C++ suite under the sanitizers (clang):
#   asan  every ctest test (unit, golden, API, attack) and every other target,
#         built with AddressSanitizer + UndefinedBehaviorSanitizer in build-fuzz/
#         (scripts/configure_asan.sh; the same build holds the fuzz targets);
#   tsan  the concurrent parts (thread pool, parallel ingest, store cache, query
#         gate, the WebSocket transport, and the server's parse jobs, uploads and
#         session manager driven through the API and attack tests), built with
#         ThreadSanitizer in build-tsan/ (only the targets those tests need).
# Any sanitizer report fails the test that printed it.
#
#   scripts/sanitize.sh            both
#   scripts/sanitize.sh asan|tsan  one
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
MODES=("$@")
[ ${#MODES[@]} -eq 0 ] && MODES=(asan tsan)

# What TSan runs: tests whose subject is concurrency, and the binaries they need.
TSAN_TESTS='^(ThreadPool|Ingest|Chunker|QueryGate|StoreCache|WebSocket|ApiUploads|UploadsAttack|QueriesAttack|StoresAttack|RegistryAttack)'
TSAN_TARGETS=(plcscope base_test ingest_test store_test http_test websocket_test
  api_uploads_test uploads_attack_test queries_attack_test stores_attack_test)

for mode in "${MODES[@]}"; do
  start=$SECONDS
  case "$mode" in
    asan)
      dir=build-fuzz
      scripts/configure_asan.sh "$dir"
      cmake --build "$dir" -j"$JOBS"
      # Quarantine kept small so that the attack tests' memory bounds measure
      # the server, not the sanitizer's bookkeeping.
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16:malloc_context_size=10 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900
      ;;
    tsan)
      dir=build-tsan
      CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPLCSCOPE_TSAN=ON > /dev/null
      cmake --build "$dir" -j"$JOBS" --target "${TSAN_TARGETS[@]}"
      TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900 -R "$TSAN_TESTS"
      ;;
    *)
      echo "sanitize.sh: unknown mode '$mode' (asan or tsan)" >&2
      exit 2
      ;;
  esac
  echo "sanitize.sh: $mode passed in $((SECONDS - start)) s"
done
