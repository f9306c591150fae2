#!/usr/bin/env bash
# HTTP benchmarks of plcscope serve on loopback (docs/targets.md, docs/http.md):
# query latency p50/p99, a 64-client mixed load, light pages while 40 heavy
# queries run, and a big raw upload with the server's RSS growth. Generates the reference plc_debug log (12 M lines,
# ~1.7 GB) once into $BENCH_DIR.
#
#   tools/bench/http/run.sh                 reference file (12,000,000 lines)
#   LINES=1200000 UPLOAD_MB=500 tools/bench/http/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${RUNS:-30}
CLIENTS=${CLIENTS:-64}
SECONDS_LOAD=${SECONDS_LOAD:-10}
HEAVY=${HEAVY:-40}
UPLOAD_MB=${UPLOAD_MB:-1700}
. tools/bench/http/serve_reference.sh
curl -s "http://127.0.0.1:$PORT/api/parse/$SESSION/status" | head -c 300; echo

echo "== latency ($RUNS runs each, ms)"
"$BENCH" latency 127.0.0.1 "$PORT" "$SESSION" "$RUNS"
echo "== load"
"$BENCH" load 127.0.0.1 "$PORT" "$SESSION" "$CLIENTS" "$SECONDS_LOAD" || true
echo "== light pages while $HEAVY heavy queries run"
"$BENCH" heavy 127.0.0.1 "$PORT" "$SESSION" "$HEAVY" "$SECONDS_LOAD" || true
echo "== upload"
rss() { grep -E "^$1:" "/proc/$PID/status" | awk '{print $2}'; }
BEFORE=$(rss VmRSS)
"$BENCH" upload 127.0.0.1 "$PORT" "$UPLOAD_MB"
AFTER=$(rss VmRSS)
echo "server RSS before upload ${BEFORE} kB, after ${AFTER} kB, growth $(( (AFTER - BEFORE) / 1024 )) MB, peak (VmHWM) $(rss VmHWM) kB"
kill -TERM $PID
wait $PID || true
rm -rf "${BENCH_DIR:?}/data"
