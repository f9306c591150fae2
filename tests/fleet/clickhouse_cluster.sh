#!/usr/bin/env bash
# A real two-shard ClickHouse cluster on loopback for the fleet tests
# (docs/clickhouse.md "Tests"): two user-level clickhouse-server processes,
# each with its own data folder and free ports, and one remote_servers
# cluster `plcscope_test` naming both as shards.
#   clickhouse_cluster.sh start DIR   starts them; DIR/urls holds
#                                     "http://127.0.0.1:P1,http://127.0.0.1:P2"
#   clickhouse_cluster.sh stop DIR    stops them and removes DIR
set -euo pipefail
cmd=${1:?usage: clickhouse_cluster.sh start|stop DIR}
dir=${2:?usage: clickhouse_cluster.sh start|stop DIR}

stop() {
  for pidfile in "$dir"/s*/pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: clickhouse_cluster.sh start|stop DIR" >&2; exit 2; }
server=$(command -v clickhouse-server || true)
[ -n "$server" ] || { echo "clickhouse_cluster: clickhouse-server is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
stop
mkdir -p "$dir"
# Four free loopback ports (HTTP and TCP of each server).
read -r h1 t1 h2 t2 < <(python3 - <<'PY'
import socket
socks = []
for _ in range(4):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
for i in 1 2; do
  if [ $i = 1 ]; then http=$h1; tcp=$t1; else http=$h2; tcp=$t2; fi
  mkdir -p "$dir/s$i/data" "$dir/s$i/tmp"
  cat > "$dir/s$i/config.xml" <<XML
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/s$i/data/</path>
  <tmp_path>$dir/s$i/tmp/</tmp_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <remote_servers>
    <plcscope_test>
      <shard><replica><host>127.0.0.1</host><port>$t1</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$t2</port></replica></shard>
    </plcscope_test>
  </remote_servers>
</yandex>
XML
  "$server" --config-file="$dir/s$i/config.xml" > "$dir/s$i/log" 2>&1 &
  echo $! > "$dir/s$i/pid"
done
for port in $h1 $h2; do
  ok=""
  for _ in $(seq 1 300); do
    if [ "$(curl -s --max-time 1 "http://127.0.0.1:$port/ping" || true)" = "Ok." ]; then ok=1; break; fi
    sleep 0.1
  done
  if [ -z "$ok" ]; then
    echo "clickhouse_cluster: the server on port $port did not answer /ping in 30 s:" >&2
    tail -n 20 "$dir"/s*/log >&2
    stop
    exit 1
  fi
done
echo "http://127.0.0.1:$h1,http://127.0.0.1:$h2" > "$dir/urls"
echo "clickhouse_cluster: shards at $(cat "$dir/urls")"
