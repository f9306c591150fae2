// The Fleet view (`plcscope serve --clickhouse`, docs/ui.md "Fleet"): what the
// ClickHouse cluster holds (the pushed files), one signal or value searched
// across all of them, and the cycle times of a signal's value per device.
// A hit in a file this server also has opens it in the timing diagram at the
// hit's time. Errors (a cluster that cannot be reached names its nodes) show
// in the view itself; local sessions are not touched by them.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { FileInfo, FleetCycles, FleetFile, FleetHit, FleetSearch } from '../../api/types';
import { formatBytes, formatCount, formatMs } from '../../base/format';
import { fleetDatabase } from '../../state/fleet';
import { parseAndOpen } from '../../state/lifecycle';
import { addSelectedSignals, cursorTime } from '../../state/selection';
import { activeTab } from '../../state/tabs';
import './fleet.css';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ms(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** "xxh3:<hex>" of a local file → the file, for opening a fleet hit locally. */
function byContentHash(files: FileInfo[]): Map<string, FileInfo> {
  const m = new Map<string, FileInfo>();
  for (const f of files) if (f.contentHash?.startsWith('xxh3:')) m.set(f.contentHash.slice(5), f);
  return m;
}

/** One question to the cluster at a time: its last answer, its error, whether it runs. */
function useFleetQuery<T>() {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (ask: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await ask());
    } catch (e) {
      setResult(null);
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return { result, error, busy, run };
}

/** A signal and a value, and the button that asks. */
function QueryForm(props: {
  name: string;
  signal: string;
  value: string;
  valuePlaceholder: string;
  button: string;
  ready: boolean;
  onSignal: (s: string) => void;
  onValue: (v: string) => void;
  onSubmit: () => void;
}) {
  return (
    <form
      class="fleet-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.ready) props.onSubmit();
      }}
    >
      <input type="text" placeholder="signal, or device::signal" value={props.signal} onInput={(e) => props.onSignal((e.target as HTMLInputElement).value)} aria-label={`${props.name} signal`} data-testid={`fleet-${props.name}-signal`} />
      <input type="text" placeholder={props.valuePlaceholder} value={props.value} onInput={(e) => props.onValue((e.target as HTMLInputElement).value)} aria-label={`${props.name} value`} data-testid={`fleet-${props.name}-value`} />
      <button class="btn primary small" type="submit" disabled={!props.ready}>
        {props.button}
      </button>
    </form>
  );
}

async function openHit(local: FileInfo, hit: FleetHit): Promise<void> {
  if (!(await parseAndOpen([local.id]))) return;
  addSelectedSignals([`${hit.deviceId}::${hit.signalName}`]);
  cursorTime.value = hit.timestamp;
  activeTab.value = 'timing';
}

function FilesCard({ files, error }: { files: FleetFile[] | null; error: string | null }) {
  return (
    <section class="card" data-testid="fleet-files">
      <div class="card-head">
        <h3>Pushed files</h3>
        <span class="muted small">database {fleetDatabase.value}</span>
      </div>
      {error && <div class="fleet-error" role="alert">{error}</div>}
      {!error && files === null && <div class="muted pad">Loading…</div>}
      {files && files.length === 0 && <div class="muted pad">Nothing pushed yet (plcscope push FILE --clickhouse URL).</div>}
      {files && files.length > 0 && (
        <table class="files-table fleet-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Format</th>
              <th class="r">Size</th>
              <th class="r">Samples</th>
              <th class="r">Devices</th>
              <th class="r">Signals</th>
              <th>From</th>
              <th>To</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id} data-testid="fleet-file" title={`content hash ${f.id}`}>
                <td class="fname">{f.name}</td>
                <td>{f.format}</td>
                <td class="r num">{formatBytes(f.size)}</td>
                <td class="r num">{formatCount(f.entryCount)}</td>
                <td class="r num">{formatCount(f.deviceCount)}</td>
                <td class="r num">{formatCount(f.signalCount)}</td>
                <td class="num">{formatMs(f.startTime)}</td>
                <td class="num">{formatMs(f.endTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SearchCard({ files, local }: { files: FleetFile[]; local: Map<string, FileInfo> }) {
  const [signal, setSignal] = useState('');
  const [value, setValue] = useState('');
  const { result, error, busy, run } = useFleetQuery<FleetSearch>();
  const names = new Map(files.map((f) => [f.id, f.name]));

  return (
    <section class="card" data-testid="fleet-search">
      <div class="card-head">
        <h3>Search the fleet</h3>
      </div>
      <QueryForm
        name="search"
        signal={signal}
        value={value}
        valuePlaceholder="value (optional, as written)"
        button="Search"
        ready={!busy && signal.trim() !== ''}
        onSignal={setSignal}
        onValue={setValue}
        onSubmit={() => void run(() => api.fleetSearch({ signal: signal.trim(), value, limit: 1000 }))}
      />
      {error && <div class="fleet-error" role="alert">{error}</div>}
      {result && result.hits.length === 0 && <div class="muted pad" data-testid="fleet-no-hits">No sample of that signal{value ? ' with that value' : ''} in the pushed files.</div>}
      {result && result.hits.length > 0 && (
        <>
          <div class="muted small pad" data-testid="fleet-hit-count">
            {formatCount(result.hits.length)} hits{result.truncated ? ' (the first 1,000; narrow the search)' : ''}
          </div>
          <div class="fleet-scroll">
            <table class="files-table fleet-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>File</th>
                  <th>Device</th>
                  <th>Signal</th>
                  <th>Value</th>
                </tr>
              </thead>
              <tbody>
                {result.hits.map((h, i) => {
                  const file = local.get(h.fileId);
                  return (
                    <tr
                      key={i}
                      data-testid="fleet-hit"
                      class={file ? 'openable' : ''}
                      title={file ? 'Open this file in the timing diagram at this time' : 'This file is not on this server'}
                      onClick={file ? () => void openHit(file, h) : undefined}
                    >
                      <td class="num">{formatMs(h.timestamp)}</td>
                      <td class="fname">{names.get(h.fileId) ?? h.fileId}</td>
                      <td>{h.deviceId}</td>
                      <td>{h.signalName}</td>
                      <td class="num">{h.value}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function CyclesCard() {
  const [signal, setSignal] = useState('');
  const [value, setValue] = useState('ON');
  const { result, error, busy, run } = useFleetQuery<FleetCycles>();

  return (
    <section class="card" data-testid="fleet-cycles">
      <div class="card-head">
        <h3>Cycle times per device</h3>
        <span class="muted small">from one change to the value to the next, in each file</span>
      </div>
      <QueryForm
        name="cycles"
        signal={signal}
        value={value}
        valuePlaceholder="value a cycle starts at"
        button="Compute"
        ready={!busy && signal.trim() !== '' && value !== ''}
        onSignal={setSignal}
        onValue={setValue}
        onSubmit={() => void run(() => api.fleetCycles({ signal: signal.trim(), value }))}
      />
      {error && <div class="fleet-error" role="alert">{error}</div>}
      {result && result.devices.length === 0 && <div class="muted pad" data-testid="fleet-no-cycles">No device has two such changes in a file.</div>}
      {result && result.devices.length > 0 && (
        <div class="fleet-scroll">
          <table class="files-table fleet-table">
            <thead>
              <tr>
                <th>Device</th>
                <th class="r">Files</th>
                <th class="r">Cycles</th>
                <th class="r">Min ms</th>
                <th class="r">p50 ms</th>
                <th class="r">Mean ms</th>
                <th class="r">p95 ms</th>
                <th class="r">Max ms</th>
                <th class="r">σ ms</th>
              </tr>
            </thead>
            <tbody>
              {result.devices.map((d) => (
                <tr key={d.deviceId} data-testid="fleet-device">
                  <td>{d.deviceId}</td>
                  <td class="r num">{d.files}</td>
                  <td class="r num">{formatCount(d.count)}</td>
                  <td class="r num">{ms(d.minMs)}</td>
                  <td class="r num">{ms(d.p50Ms)}</td>
                  <td class="r num">{ms(d.meanMs)}</td>
                  <td class="r num">{ms(d.p95Ms)}</td>
                  <td class="r num">{ms(d.maxMs)}</td>
                  <td class="r num">{ms(d.stddevMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function FleetView() {
  const [files, setFiles] = useState<FleetFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [local, setLocal] = useState<Map<string, FileInfo>>(new Map());

  useEffect(() => {
    const ctl = new AbortController();
    api
      .fleetFiles(ctl.signal)
      .then((r) => setFiles(r.files))
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(message(e));
      });
    api
      .recentFiles(ctl.signal)
      .then((r) => setLocal(byContentHash(r)))
      .catch(() => {
        // Without the local list, hits are listed but not openable.
      });
    return () => ctl.abort();
  }, []);

  return (
    <div class="fleet-view" data-testid="fleet-view">
      <FilesCard files={files} error={error} />
      <SearchCard files={files ?? []} local={local} />
      <CyclesCard />
    </div>
  );
}
