# Sourced by the HTTP benchmark scripts (run.sh, soak.sh): builds plcscope and
# http_bench, generates the plc_debug log of $LINES lines once into
# $BENCH_DIR, serves it from the fresh data directory $BENCH_DIR/$DATA_NAME,
# waits for its parse, and sets BIN, BENCH, LOG, PID, PORT and SESSION. The
# server is killed when the script exits. $SERVE_ARGS are added to `serve`.
BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/plcscope-http-bench}
LINES=${LINES:-12000000}
DATA_NAME=${DATA_NAME:-data}
BIN=$BUILD_DIR/src/app/plcscope
BENCH=$BUILD_DIR/tools/bench/http/http_bench
ninja -C "$BUILD_DIR" -j2 plcscope http_bench > /dev/null

mkdir -p "$BENCH_DIR"
LOG="$BENCH_DIR/ref-$LINES.log"
if [ ! -f "$LOG" ]; then
  echo "generating $LOG"
  "$BIN" gen --format plc_debug --lines "$LINES" --seed 1 -o "$LOG"
fi
rm -rf "${BENCH_DIR:?}/$DATA_NAME"
# shellcheck disable=SC2086 # SERVE_ARGS is a word list
"$BIN" serve --port 0 --data-dir "$BENCH_DIR/$DATA_NAME" --quiet ${SERVE_ARGS:-} "$LOG" \
  > "$BENCH_DIR/$DATA_NAME.out" 2> "$BENCH_DIR/$DATA_NAME.err" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/.*listening on [^:]*:\([0-9]*\) .*/\1/p' "$BENCH_DIR/$DATA_NAME.out")
  [ -n "$PORT" ] && break
  sleep 0.1
done
SESSION=$(curl -s "http://127.0.0.1:$PORT/api/health" | sed -n 's/.*"startupSessionId":"\([0-9a-f]*\)".*/\1/p')
until curl -s "http://127.0.0.1:$PORT/api/parse/$SESSION/status" | grep -q '"status":"complete"'; do
  sleep 0.5
done
echo "server pid $PID port $PORT session $SESSION; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
