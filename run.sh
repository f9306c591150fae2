#!/usr/bin/env bash
# The main job: install, build, and start plcscope on the built-in demo log,
# or on the log files given as arguments.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/build.sh
exec build/src/app/plcscope serve "$@"
