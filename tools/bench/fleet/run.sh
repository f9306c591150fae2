#!/usr/bin/env bash
# Fleet benchmark (docs/clickhouse.md "Measured"): a real two-shard ClickHouse
# cluster on loopback (tests/fleet/clickhouse_cluster.sh), the plc_debug
# reference file of $LINES lines pushed into it with `plcscope push` (timed),
# then $RUNS requests of each fleet question through `plcscope serve
# --clickhouse`, beside the local session's answer to the same question, all
# in this run: min / p50 / p99 / max ms of each, and the load average.
#
#   tools/bench/fleet/run.sh                     12 M lines, 20 runs
#   LINES=1200000 RUNS=10 tools/bench/fleet/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${RUNS:-20}
BENCH_DIR=${BENCH_DIR:-/tmp/plcscope-http-bench}
CLUSTER_DIR="$BENCH_DIR/fleet-cluster"
DB=bench_fleet
mkdir -p "$BENCH_DIR"
tests/fleet/clickhouse_cluster.sh start "$CLUSTER_DIR"
URLS=$(cat "$CLUSTER_DIR/urls")
DATA_NAME=fleet-data
SERVE_ARGS="--clickhouse $URLS --clickhouse-database $DB"
. tools/bench/http/serve_reference.sh
trap 'kill $PID 2>/dev/null || true; tests/fleet/clickhouse_cluster.sh stop "$CLUSTER_DIR"' EXIT
echo "push: $(du -m "$LOG" | cut -f1) MB, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "push: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
  "$BIN" push "$LOG" --clickhouse "$URLS" --cluster plcscope_test --database "$DB" \
  --data-dir "$BENCH_DIR/$DATA_NAME" --json
python3 tools/bench/fleet/queries.py "http://127.0.0.1:$PORT" "$SESSION" "$RUNS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
