// The timing view's analyzer tools, a row under the toolbar: the multi-signal
// condition search (next / previous instant where the whole condition holds,
// and how many times it does, answered by the server over the whole
// session), the PNG, SVG and VCD exports of the lanes over the view, and two named markers
// A and B with their delta and the edges per lane between them (shown in the
// lanes' value column like a measurement).

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { SignalType } from '../../api/types';
import { downloadUrl } from '../../base/download';
import { loadJson, saveJson } from '../../base/storage';
import { showError } from '../../state/ui';
import { writeUrl } from '../../state/url_state';
import { sessionName } from '../../state/session';
import { exportImage } from './image_export';
import { appendTerm, conditionStatus, conditionStep, markerRange, markersFromSearch, markersIntoHref, totalEdges, vcdWindow, type Direction, type Markers } from './condition';
import type { TimingController } from './controller';
import { countChanges } from './search';
import { formatDateTime, formatDuration } from './time_format';
import { revealTime } from './viewport';
import type { WaveFetcher } from './wave_cache';
import './tools.css';

export interface ToolsBarProps {
  ctl: TimingController;
  sessionId: string;
  fetcher: WaveFetcher;
  lanes: readonly string[];
  types: Readonly<Record<string, SignalType>>;
  /** Per-lane edge counts between the markers (null: clear them). */
  onCounts: (counts: Map<string, number> | null) => void;
  /** The measurement readout, floated left of the export buttons. */
  measure?: ComponentChildren;
  /** More tools at the row's end (the Layouts menu). */
  children?: ComponentChildren;
}

/** Downloads the lanes over the visible window as VCD (`/export.vcd`). */
export function exportVcdOf(ctl: TimingController, sessionId: string, lanes: readonly string[]): void {
  const w = vcdWindow(ctl.view, ctl.bounds);
  downloadUrl(api.vcdUrl(sessionId, [...lanes], w.start, w.end), 'plcscope.vcd');
}

export function TimingToolsBar(p: ToolsBarProps) {
  const { ctl } = p;
  const [cond, setCond] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [markA, setMarkA] = useState<number | null>(null);
  const [markB, setMarkB] = useState<number | null>(null);
  const [edges, setEdges] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  const focus = ctl.focusSig.value;
  const values = ctl.valuesSig.value;
  const storeKey = `plcscope.timing.markers.${p.sessionId}`;

  // With both markers set: their range as the measurement and the edges per
  // lane between them, again whenever the markers or the lanes change.
  const lanesKey = p.lanes.join('\n');
  useEffect(() => {
    const r = markerRange(markA, markB);
    setEdges(null);
    if (!r) return;
    ctl.setMeasure({ a: r.a, b: r.b, done: true });
    const c = new AbortController();
    countChanges(p.fetcher, p.lanes, r.a, r.b, c.signal).then(
      (counts) => {
        if (c.signal.aborted) return;
        p.onCounts(counts);
        setEdges(totalEdges(counts));
      },
      (e: unknown) => {
        if (!c.signal.aborted) showError(e);
      },
    );
    return () => c.abort();
    // p.lanes is read through lanesKey.
  }, [markA, markB, lanesKey, ctl, p.fetcher]);
  // Kept in the address (?markA=&markB=, a link shows them) and per session in storage.
  const keepMarkers = (m: Markers): void => {
    saveJson(storeKey, m);
    const href = markersIntoHref(location.href, m);
    if (href !== location.href) history.replaceState(history.state, '', href);
    // The rest of the view state with them now, not after the debounce: the
    // address is then one moment (lanes, window, markers) for a link or a reload.
    writeUrl('replace');
  };

  // Restore: the address first (a shared link), else what this session had.
  useEffect(() => {
    const m = markersFromSearch(location.search) ?? loadJson<Markers>(storeKey, { a: null, b: null });
    setMarkA(typeof m.a === 'number' ? m.a : null);
    setMarkB(typeof m.b === 'number' ? m.b : null);
    if (typeof m.a === 'number' || typeof m.b === 'number') keepMarkers(m);
  }, [p.sessionId]);

  const search = (dir: Direction): void => {
    const text = cond.trim();
    if (!text) return;
    abort.current?.abort();
    const c = new AbortController();
    abort.current = c;
    setBusy(true);
    setError(null);
    api.condition(p.sessionId, { condition: text, at: ctl.currentTime() }, c.signal).then(
      (r) => {
        if (c.signal.aborted) return;
        setBusy(false);
        const step = conditionStep(r, dir);
        setStatus(conditionStatus(step, dir));
        if (step.target) {
          ctl.setCursor(step.target.start, true);
          ctl.navigate(revealTime(ctl.view, step.target.start, ctl.bounds, 0.1));
        }
      },
      (e: unknown) => {
        if (c.signal.aborted) return;
        setBusy(false);
        setStatus(null);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  const addFocused = (): void => {
    if (!focus) return;
    const v = values.get(focus);
    if (!v || !v.known) {
      showError('Place the cursor where the focused lane has a value first.');
      return;
    }
    // The signal's own value, not the lane's display of it (hex, enum names).
    setCond(appendTerm(cond, focus, v.plain, p.types[focus] ?? 'string'));
    setStatus(null);
    setError(null);
  };

  const exportVcd = (): void => {
    if (p.lanes.length === 0) return;
    exportVcdOf(ctl, p.sessionId, p.lanes);
  };

  const setMarker = (which: 'A' | 'B'): void => {
    const t = ctl.currentTime();
    const m = { a: which === 'A' ? t : markA, b: which === 'B' ? t : markB };
    setMarkA(m.a);
    setMarkB(m.b);
    keepMarkers(m);
  };

  const clearMarkers = (): void => {
    setMarkA(null);
    setMarkB(null);
    setEdges(null);
    keepMarkers({ a: null, b: null });
    ctl.setMeasure(null);
    p.onCounts(null);
  };

  const range = markerRange(markA, markB);
  return (
    <div class="tl-tools" data-testid="timing-tools">
      <div class={`input-group tl-cond ${error ? 'invalid' : ''}`}>
        <input
          type="text"
          placeholder="Condition: DEV::RUN = ON && DEV::JAM = OFF && DEV::COUNT > 3"
          value={cond}
          spellcheck={false}
          data-testid="condition-input"
          title="Find where every term holds at once (&&, ||, !, parentheses; = != > < >= <=). Enter: next, Shift+Enter: previous."
          onInput={(e) => {
            setCond((e.target as HTMLInputElement).value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              search(e.shiftKey ? -1 : 1);
            }
          }}
        />
        <button class="toggle-btn" disabled={!focus} onClick={addFocused} title="Add the focused lane's value at the cursor as a term" data-testid="condition-add">
          + lane
        </button>
        <button class="toggle-btn" disabled={!cond.trim()} onClick={() => search(-1)} title="Previous instant where the condition becomes true (Shift+Enter)" data-testid="condition-prev">
          ◂
        </button>
        <button class="toggle-btn" disabled={!cond.trim()} onClick={() => search(1)} title="Next instant where the condition becomes true (Enter)" data-testid="condition-next">
          ▸
        </button>
      </div>
      {busy && <span class="tl-busy">searching…</span>}
      {!busy && status && (
        <span class="tl-cond-status" data-testid="condition-status">
          {status}
        </span>
      )}
      {error && (
        <span class="tl-cond-error" data-testid="condition-error" title={error}>
          {error}
        </span>
      )}
      <div class="tl-spacer" />
      <div class="tl-measure-anchor">{p.measure}</div>
      <div class="tl-group tl-exports">
        <button class="btn small" disabled={p.lanes.length === 0} onClick={() => exportImage(ctl, 'png', sessionName.peek(), showError)} title="Download the visible lanes over the visible window as a PNG image" data-testid="export-png">
          ⤓ PNG
        </button>
        <button class="btn small" disabled={p.lanes.length === 0} onClick={() => exportImage(ctl, 'svg', sessionName.peek(), showError)} title="Download the visible lanes over the visible window as an SVG drawing (vectors and text)" data-testid="export-svg">
          ⤓ SVG
        </button>
        <button class="btn small" disabled={p.lanes.length === 0} onClick={exportVcd} title="Download the lanes over the visible window as VCD (GTKWave, Surfer)" data-testid="export-vcd">
          ⤓ VCD
        </button>
      </div>
      <div class="tl-group tl-markers">
        <button class={`btn small ${markA !== null ? 'on' : ''}`} title={markA !== null ? `A at ${formatDateTime(markA, 6)}; click to move it to the cursor` : 'Put marker A at the cursor'} onClick={() => setMarker('A')} data-testid="marker-a">
          A
        </button>
        <button class={`btn small ${markB !== null ? 'on' : ''}`} title={markB !== null ? `B at ${formatDateTime(markB, 6)}; click to move it to the cursor` : 'Put marker B at the cursor'} onClick={() => setMarker('B')} data-testid="marker-b">
          B
        </button>
        {range && (
          <span class="tl-marker-readout" data-testid="marker-readout" title={`${formatDateTime(range.a, 6)} → ${formatDateTime(range.b, 6)}`}>
            B−A <b>{formatDuration((markB ?? 0) - (markA ?? 0))}</b>
            {edges !== null && <span class="muted"> · {edges.toLocaleString('en-US')} edges</span>}
          </span>
        )}
        {(markA !== null || markB !== null) && (
          <button class="btn small ghost" title="Clear the markers" onClick={clearMarkers} data-testid="marker-clear">
            ✕
          </button>
        )}
      </div>
      {p.children}
    </div>
  );
}
