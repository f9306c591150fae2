#!/usr/bin/env bash
# Fails when a C++ file of src/, tools/ or tests/ differs from what clang-format
# (.clang-format at the root) makes of it; prints the files. `--fix` formats them.
set -euo pipefail
cd "$(dirname "$0")/.."
CF=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'tools/*.cc' 'tools/*.h' 'tests/*.cc' 'tests/*.h')
if [ "${1:-}" = --fix ]; then
  "$CF" -i "${files[@]}"
  exit 0
fi
mapfile -t bad < <(printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c '"$0" --dry-run -Werror "$1" > /dev/null 2>&1 || echo "$1"' "$CF" {})
if [ ${#bad[@]} -gt 0 ]; then
  printf 'check_format: not clang-format clean (scripts/check_format.sh --fix):\n'
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "check_format: ${#files[@]} files clean"
