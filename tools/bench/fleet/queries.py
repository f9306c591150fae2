#!/usr/bin/env python3
"""Times the fleet questions against `plcscope serve --clickhouse` beside the
local session's answer to the same question (tools/bench/fleet/run.sh).

    queries.py BASE_URL SESSION RUNS

Picks the boolean signal with the most ON samples on the session's first
2,000 rows, then per kind RUNS sequential requests (one warm-up first) and
prints min / p50 / p99 / max in ms of the full HTTP round trip."""
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request


def get(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def timed(name, fn, runs):
    fn()  # warm-up (caches, ClickHouse's marks)
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    print(f"{name:52s} {ms[0]:9.1f} {statistics.median(ms):9.1f} {p99:9.1f} {ms[-1]:9.1f}")


def main():
    base, sid, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    api = base + "/api"
    page = get(f"{api}/parse/{sid}/entries?page=1&pageSize=2000")
    ons = {}
    for e in page["entries"]:
        if e["signalType"] == "boolean" and e["value"] is True:
            key = (e["deviceId"], e["signalName"])
            ons[key] = ons.get(key, 0) + 1
    device, signal = max(ons, key=ons.get)
    key = f"{device}::{signal}"
    q = urllib.parse.quote
    files = get(f"{api}/fleet/files")["files"]
    hits = get(f"{api}/fleet/search?limit=10000&signal={q(key)}")
    cycles = get(f"{api}/fleet/cycles?value=ON&signal={q(signal)}")
    print(f"signal {key}: {len(files)} file(s) in the cluster, {len(hits['hits'])} samples "
          f"(truncated: {hits['truncated']}), {len(cycles['devices'])} devices with cycles of {signal}")
    print(f"{'ms':52s} {'min':>9s} {'p50':>9s} {'p99':>9s} {'max':>9s}")
    timed("fleet files", lambda: get(f"{api}/fleet/files"), runs)
    timed("fleet search device::signal, 1,000 hits", lambda: get(f"{api}/fleet/search?limit=1000&signal={q(key)}"), runs)
    timed("local entries of device::signal, 1,000 rows",
          lambda: get(f"{api}/parse/{sid}/entries?page=1&pageSize=1000&signals={q(key)}"), runs)
    timed("fleet search device::signal = ON, 1,000 hits",
          lambda: get(f"{api}/fleet/search?limit=1000&value=ON&signal={q(key)}"), runs)
    timed("fleet cycles device::signal = ON", lambda: get(f"{api}/fleet/cycles?value=ON&signal={q(key)}"), runs)
    rule = {"rules": [{"name": "c", "type": "cycle", "start": {"signal": key, "value": "ON"}}]}
    timed("local transitions cycle device::signal = ON", lambda: get(f"{api}/parse/{sid}/transitions", rule), runs)
    timed(f"fleet cycles {signal} = ON, every device", lambda: get(f"{api}/fleet/cycles?value=ON&signal={q(signal)}"), runs)


if __name__ == "__main__":
    main()
