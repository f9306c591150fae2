#!/usr/bin/env bash
# Runs the ingest benchmark (docs/benchmarks.md) and keeps its report.
#   tools/bench/run_ingest_bench.sh [SCALE] [RUNS] [FORMATS]
#   SCALE: 0.1, 1 (12 M lines, ~1.7 GB) or 10; RUNS: measured runs (default 3);
#   FORMATS: comma-separated (default plc_debug,plc_tab,mcs,csv).
# Environment: PLCSCOPE (binary), BENCH_DIR (work dir, reused between runs),
# OUT (where reports go), CLEAN=1 (delete generated files afterwards).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCALE=${1:-1}
RUNS=${2:-3}
FORMATS=${3:-plc_debug,plc_tab,mcs,csv}
BIN=${PLCSCOPE:-build/src/app/plcscope}
[ -x "$BIN" ] || scripts/build.sh
OUT=${OUT:-artifacts/bench}
mkdir -p "$OUT"
REPORT="$OUT/ingest-$(date -u +%Y%m%dT%H%MZ)-x$SCALE.txt"
ARGS=(bench --scale "$SCALE" --runs "$RUNS" --formats "$FORMATS" --dir "${BENCH_DIR:-/tmp/plcscope-bench}")
[ "${CLEAN:-0}" = 1 ] && ARGS+=(--clean)
"$BIN" "${ARGS[@]}" | tee "$REPORT"
echo "report: $REPORT"
