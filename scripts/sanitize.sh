#!/usr/bin/env bash
# The C++ suite under the sanitizers:
#   asan  every ctest test (unit, golden, API, attack) built with
#         AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/;
#   tsan  the concurrent parts (thread pool, parallel ingest, the server's
#         parse jobs, uploads, session manager and query gate, driven through
#         the API and attack tests) built with ThreadSanitizer in build-tsan/.
# Any sanitizer report fails the test that printed it.
#
#   scripts/sanitize.sh            both
#   scripts/sanitize.sh asan|tsan  one
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
LAUNCHER=()
command -v ccache > /dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
MODES=("$@")
[ ${#MODES[@]} -eq 0 ] && MODES=(asan tsan)

# Tests whose subject is concurrency: what TSan runs.
TSAN_TESTS='^(ThreadPool|Ingest|Chunker|QueryGate|SessionCache|StoreCache)|api_uploads|uploads_attack|queries_attack|stores_attack'

for mode in "${MODES[@]}"; do
  case "$mode" in
    asan)
      dir=build-asan
      cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLCSCOPE_SANITIZE=ON \
        "${LAUNCHER[@]}" > /dev/null
      cmake --build "$dir" -j"$JOBS"
      # Quarantine kept small so that the attack tests' memory bounds measure
      # the server, not the sanitizer's bookkeeping.
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16:malloc_context_size=10 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900
      ;;
    tsan)
      dir=build-tsan
      cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLCSCOPE_TSAN=ON \
        "${LAUNCHER[@]}" > /dev/null
      cmake --build "$dir" -j"$JOBS"
      TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900 -R "$TSAN_TESTS"
      ;;
    *)
      echo "sanitize.sh: unknown mode '$mode' (asan or tsan)" >&2
      exit 2
      ;;
  esac
done
