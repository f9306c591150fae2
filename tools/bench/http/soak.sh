#!/usr/bin/env bash
# Soak benchmark of plcscope serve on loopback (docs/benchmarks.md "Soak"):
# CLIENTS keep-alive clients mixing entry pages, searches, waveforms and
# at-time for SECONDS, while SLOW connections trickle request headers a line
# every 2 s (reconnecting whenever the server cuts them). Each client waits a
# random 0..2x THINK_MS between requests, as a person at the UI does (THINK_MS=0:
# back to back, the server saturated). Prints errors (goal 0), p99 of a plain
# 50-row page (goal <= 10 ms), and the server's RSS at the start, once warm and
# at the end (goal within 10 %), with the machine's load average. The server
# runs on CPU 0 and the clients on CPU 1 (taskset) when there are 2+ CPUs.
#
#   tools/bench/http/soak.sh                       reference file, 256 + 500, 300 s, think 100 ms
#   LINES=1200000 SECONDS_SOAK=60 tools/bench/http/soak.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
CLIENTS=${CLIENTS:-256}
SLOW=${SLOW:-500}
SECONDS_SOAK=${SECONDS_SOAK:-300}
THINK_MS=${THINK_MS:-100}
DATA_NAME=soak-data
. tools/bench/http/serve_reference.sh
CLIENT_CPUS=""
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  taskset -a -p -c 0 "$PID" > /dev/null
  CLIENT_CPUS="taskset -c 1"
fi
$CLIENT_CPUS "$BENCH" soak 127.0.0.1 "$PORT" "$SESSION" "$PID" "$CLIENTS" "$SLOW" "$SECONDS_SOAK" \
  "$THINK_MS" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $PID
wait $PID || true
rm -rf "$BENCH_DIR/soak-data"
