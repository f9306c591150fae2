#!/bin/sh
# For help2man (packaging/CMakeLists.txt): `plcscope --help` followed by the
# --help of every subcommand, so that the man page lists every option.
# The binary is $PLCSCOPE_BIN.
set -e
bin=${PLCSCOPE_BIN:?PLCSCOPE_BIN is the plcscope binary}
if [ "$1" = "--version" ]; then
  exec "$bin" --version
fi
"$bin" --help
for cmd in $("$bin" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
  echo
  echo "Command $cmd:"
  "$bin" "$cmd" --help | sed '1,/^$/d' | sed 's/^Usage: .*plcscope/Usage: plcscope/'
done
