#!/usr/bin/env bash
# Generator throughput (docs/benchmarks.md): the 12 M-line reference file of
# each format, 3 times to /dev/null (pure generation) and once to a file
# (generation + the kernel's page-cache copy). Prints plcscope gen's own
# report lines (wall MB/s and MB per CPU-second).
#   tools/bench/gen_throughput.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/../.."
LINES=${1:-12000000}
BIN=${PLCSCOPE:-build/src/app/plcscope}
[ -x "$BIN" ] || scripts/build.sh
TMP=${BENCH_DIR:-/tmp/plcscope-bench}
mkdir -p "$TMP"
for fmt in plc_debug plc_tab mcs csv; do
  for run in 1 2 3; do
    "$BIN" gen --format "$fmt" --lines "$LINES" --seed 1 -o - 2>&1 >/dev/null | sed "s/^/$fmt to null: /"
  done
  "$BIN" gen --format "$fmt" --lines "$LINES" --seed 1 -o "$TMP/gen-throughput.$fmt" 2>&1 | sed "s/^/$fmt to file: /"
  rm -f "$TMP/gen-throughput.$fmt"
done
"$BIN" gen --format plc_debug --lines "$LINES" --seed 1 --gzip -o "$TMP/gen-throughput.gz" 2>&1 | sed "s/^/plc_debug gzip: /"
rm -f "$TMP/gen-throughput.gz"
