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
BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/plcscope-http-bench}
LINES=${LINES:-12000000}
CLIENTS=${CLIENTS:-256}
SLOW=${SLOW:-500}
SECONDS_SOAK=${SECONDS_SOAK:-300}
BIN=$BUILD_DIR/src/app/plcscope
BENCH=$BUILD_DIR/tools/bench/http/http_bench
ninja -C "$BUILD_DIR" -j2 plcscope http_bench > /dev/null

mkdir -p "$BENCH_DIR"
LOG="$BENCH_DIR/ref-$LINES.log"
if [ ! -f "$LOG" ]; then
  echo "generating $LOG"
  "$BIN" gen --format plc_debug --lines "$LINES" --seed 1 -o "$LOG"
fi
rm -rf "$BENCH_DIR/soak-data"
"$BIN" serve --port 0 --data-dir "$BENCH_DIR/soak-data" --quiet "$LOG" \
  > "$BENCH_DIR/soak.out" 2> "$BENCH_DIR/soak.err" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/.*listening on [^:]*:\([0-9]*\) .*/\1/p' "$BENCH_DIR/soak.out")
  [ -n "$PORT" ] && break
  sleep 0.1
done
SESSION=$(curl -s "http://127.0.0.1:$PORT/api/health" | sed -n 's/.*"startupSessionId":"\([0-9a-f]*\)".*/\1/p')
until curl -s "http://127.0.0.1:$PORT/api/parse/$SESSION/status" | grep -q '"status":"complete"'; do
  sleep 0.5
done
echo "server pid $PID port $PORT session $SESSION; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCH" soak 127.0.0.1 "$PORT" "$SESSION" "$PID" "$CLIENTS" "$SLOW" "$SECONDS_SOAK" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $PID
wait $PID || true
rm -rf "$BENCH_DIR/soak-data"
