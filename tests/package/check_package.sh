#!/usr/bin/env bash
# ctest package_contents: builds the Debian package from BUILD_DIR with CPack
# into a scratch folder and checks it the way an operator would meet it:
# control fields (Depends from the linked libraries, the conffile, the
# maintainer scripts), lintian clean, the file list, the unit (systemd-analyze verify in the
# unpacked root), the man page, and `plcscope serve` started from the
# unpacked paths with the packaged config: it finds its UI, demo and OpenAPI
# document under /usr/share/plcscope and answers /api/health and /metrics.
# Usage: check_package.sh BUILD_DIR   (docs/operations.md "Install")
set -euo pipefail
build=$(cd "${1:?usage: check_package.sh BUILD_DIR}" && pwd)
tmp=$(mktemp -d /tmp/plcscope_pkg_XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "package_contents: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/out" > "$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$(ls "$tmp"/out/plcscope_*_amd64.deb 2>/dev/null | head -1)
[ -f "$deb" ] || fail "no .deb in $tmp/out"

info=$(dpkg-deb -I "$deb")
grep -q '^ Package: plcscope$' <<<"$info" || fail "Package field"
depends=$(grep '^ Depends:' <<<"$info") || fail "no Depends field"
for lib in libc6 libstdc++6 libzstd1 libre2-9 zlib1g libxxhash0 libtomlplusplus3; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "Architecture"
# The listing is read whole first: under pipefail, `tar | grep -q` fails when
# grep's early exit kills tar with SIGPIPE.
control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
grep -qx './postinst' <<<"$control" || fail "no postinst: $control"
grep -qx './prerm' <<<"$control" || fail "no prerm: $control"
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/plcscope/plcscope.toml ] \
  || fail "conffiles is not /etc/plcscope/plcscope.toml"

# Debian's package checker: no error and no warning.
lint=$(lintian --allow-root --fail-on error,warning "$deb" 2>&1) || fail "lintian: $lint"

listing=$(dpkg-deb -c "$deb")
for path in ./usr/bin/plcscope ./usr/share/plcscope/ui/index.html ./usr/share/plcscope/demo/demo.log \
            ./usr/share/plcscope/demo/layout.xml ./usr/share/plcscope/openapi.json \
            ./usr/share/man/man1/plcscope.1.gz ./usr/lib/systemd/system/plcscope.service \
            ./usr/lib/sysusers.d/plcscope.conf ./etc/plcscope/plcscope.toml \
            ./usr/share/doc/plcscope/operations.md ./usr/share/doc/plcscope/copyright \
            ./usr/share/doc/plcscope/changelog.gz; do
  grep -q " $path\$" <<<"$listing" || fail "the package lacks $path"
done
grep -q '^-rwxr-xr-x root/root .* ./usr/bin/plcscope$' <<<"$listing" || fail "/usr/bin/plcscope mode/owner"
if grep -q '/usr/local' <<<"$listing"; then fail "files under /usr/local"; fi

root="$tmp/root"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
# The unit, in the unpacked root (its ExecStart must exist there); the
# targets it names come from this machine's systemd.
cp /usr/lib/systemd/system/*.target "$root/usr/lib/systemd/system/"
verify=$(systemd-analyze verify --root="$root" --man=no /usr/lib/systemd/system/plcscope.service 2>&1) \
  || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warns: $verify"
unit="$root/usr/lib/systemd/system/plcscope.service"
for line in 'User=plcscope' 'StateDirectory=plcscope' 'ProtectSystem=strict' 'NoNewPrivileges=yes' \
            'Restart=on-failure' 'MemoryMax=8G' \
            'ExecStart=/usr/bin/plcscope serve --config /etc/plcscope/plcscope.toml'; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
grep -q '^u plcscope ' "$root/usr/lib/sysusers.d/plcscope.conf" || fail "sysusers.d entry"

# The man page has every subcommand's options.
man_text=$(zcat "$root/usr/share/man/man1/plcscope.1.gz")
grep -q '^\.TH PLCSCOPE "1"' <<<"$man_text" || fail "man page header"
grep -q 'print\\-config' <<<"$man_text" || fail "the man page lacks serve --print-config"
grep -q 'dedup\\-ms' <<<"$man_text" || fail "the man page lacks parse --dedup-ms"

# The installed binary with the packaged config (its data dir moved here).
bin="$root/usr/bin/plcscope"
conf="$root/etc/plcscope/plcscope.toml"
printed=$("$bin" serve --config "$conf" --data-dir "$tmp/data" --print-config)
grep -qx "# ui in use: $root/usr/share/plcscope/ui" <<<"$printed" || fail "UI not found: $printed"
grep -qx "# demo in use: $root/usr/share/plcscope/demo/demo.log" <<<"$printed" || fail "demo: $printed"
grep -qx 'store-budget = "50G"  # file' <<<"$printed" || fail "the packaged config is not read"
grep -qx "data-dir = \"$tmp/data\"  # flag" <<<"$printed" || fail "a flag does not win"
"$bin" serve --config "$conf" --data-dir "$tmp/data" --port 0 > "$tmp/out.log" 2> "$tmp/err.log" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^plcscope: listening on 127.0.0.1:\([0-9]*\) .*/\1/p' "$tmp/out.log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/err.log"; fail "the server exited"; }
  sleep 0.1
done
[ -n "$port" ] || fail "the server did not start: $(cat "$tmp/err.log")"
url="http://127.0.0.1:$port"
get() { curl -fsS --max-time 10 "$url$1" || fail "GET $1 failed"; }
grep -q '"startupSessionId"' <<<"$(get /api/health)" || fail "the demo did not open"
[ "$(get /)" = "$(cat "$root/usr/share/plcscope/ui/index.html")" ] || fail "/ is not the packaged UI"
grep -q '"openapi": "3.0.3"' <<<"$(get /api/openapi.json)" || fail "OpenAPI document"
grep -qx 'plcscope_store_budget_bytes 53687091200' <<<"$(get /metrics)" || fail "/metrics"
grep -q "^serve: starting version=.* config=$conf data_dir=$tmp/data " "$tmp/err.log" \
  || fail "no startup line: $(cat "$tmp/err.log")"
echo "package_contents: $(basename "$deb") ok ($(stat -c %s "$deb") bytes)"
