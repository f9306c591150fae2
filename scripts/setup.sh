#!/usr/bin/env bash
# Installs what plcscope needs to build, run and test: Debian packages with
# apt-get, the web UI's npm packages with npm ci. Idempotent: does nothing
# when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libzstd-dev libre2-dev libxxhash-dev
  libcpp-httplib-dev libcli11-dev nlohmann-json3-dev
  libyaml-cpp-dev libpugixml-dev libboost-dev libtomlplusplus-dev
  help2man dpkg-dev systemd lintian
  clickhouse-server clickhouse-client
  clang libclang-rt-14-dev
  chromium
  curl time
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.plcscope-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    (cd web && npm ci --no-audit --no-fund)
    cp web/package-lock.json "$stamp"
  fi
fi
