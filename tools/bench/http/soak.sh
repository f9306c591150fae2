#!/usr/bin/env bash
# Soak benchmark of plcscope serve on loopback (docs/benchmarks.md "Soak"):
# CLIENTS keep-alive clients mixing entry pages, searches, waveforms and
# at-time for SECONDS, while SLOW connections trickle request headers a line
# every 2 s (reconnecting whenever the server cuts them). Prints errors (goal
# 0), p99 of a plain 50-row page (goal <= 10 ms), and the server's RSS at the
# start and the end (goal within 10 %), with the machine's load average.
#
#   tools/bench/http/soak.sh                       reference file, 256 + 500, 300 s
#   LINES=1200000 SECONDS_SOAK=60 tools/bench/http/soak.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
CLIENTS=${CLIENTS:-256}
SLOW=${SLOW:-500}
SECONDS_SOAK=${SECONDS_SOAK:-300}
DATA_NAME=soak-data
. tools/bench/http/serve_reference.sh
"$BENCH" soak 127.0.0.1 "$PORT" "$SESSION" "$PID" "$CLIENTS" "$SLOW" "$SECONDS_SOAK" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $PID
wait $PID || true
rm -rf "$BENCH_DIR/soak-data"
