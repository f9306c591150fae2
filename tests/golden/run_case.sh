#!/usr/bin/env bash
# Runs one golden case: `plcscope dump` over the case's inputs, diffed with
# expected.jsonl; with expected_errors.jsonl also `dump --errors`. A case
# whose parse must fail has expected_failure (a text the error must contain)
# instead of expected.jsonl.
#
#   run_case.sh PLCSCOPE_BINARY CASE_DIR
#
# Case files: input.log[.gz|.zst] or input1.log, input2.log ... (merge, in
# that order); optional `args` (extra dump arguments, one line).
set -uo pipefail
bin=$1
dir=$2
mapfile -t inputs < <(cd "$dir" && ls -1v input* 2>/dev/null | sed "s|^|$dir/|")
if [ ${#inputs[@]} -eq 0 ]; then
  echo "no input files in $dir" >&2
  exit 1
fi
args=()
if [ -f "$dir/args" ]; then read -ra args < "$dir/args"; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

if [ -f "$dir/expected_failure" ]; then
  if "$bin" dump "${args[@]}" "${inputs[@]}" > "$tmp/out" 2> "$tmp/err"; then
    echo "FAIL: dump succeeded, expected failure containing: $(cat "$dir/expected_failure")"
    exit 1
  fi
  want=$(head -n1 "$dir/expected_failure")
  if ! grep -qF -- "$want" "$tmp/err"; then
    echo "FAIL: error message does not contain '$want':"
    cat "$tmp/err"
    exit 1
  fi
  exit 0
fi

if ! "$bin" dump "${args[@]}" "${inputs[@]}" > "$tmp/got.jsonl" 2> "$tmp/err"; then
  echo "FAIL: dump failed:"
  cat "$tmp/err"
  exit 1
fi
if ! diff -u "$dir/expected.jsonl" "$tmp/got.jsonl"; then
  echo "FAIL: samples differ (- expected, + got)"
  status=1
fi
if [ -f "$dir/expected_errors.jsonl" ]; then
  if ! "$bin" dump --errors "${args[@]}" "${inputs[@]}" > "$tmp/errors.jsonl" 2> "$tmp/err"; then
    echo "FAIL: dump --errors failed:"
    cat "$tmp/err"
    exit 1
  fi
  if ! diff -u "$dir/expected_errors.jsonl" "$tmp/errors.jsonl"; then
    echo "FAIL: errors differ (- expected, + got)"
    status=1
  fi
fi
exit $status
