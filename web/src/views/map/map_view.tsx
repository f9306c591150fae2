// The Map view (ui.md "Map"): a layout drawn in SVG with pan and zoom, unit
// colors from the rules at the playback time, carriers placed by their
// CurrentLocation at that time, playback with speeds and bookmarks, unit
// details, and sync with the other views' time. Data flow: /map/state (unit
// colors) is fetched at most once in flight per frame step; carrier moves
// come in windows from /map/carriers/changes and are replayed locally, so a
// frame never waits for the network. Drawing: see map_canvas.tsx.

import { computed, signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { isAbortError } from '../../api/client';
import {
  mapApi,
  type CarrierLogStatus,
  type CarrierPosition,
  type MapLayout,
  type MapRules,
  type UnitColorState,
  type UnitDetails,
} from '../../api/map_api';
import { registerShortcuts } from '../../state/shortcuts';
import { addBookmark, bookmarks } from '../../state/bookmarks';
import { cursorTime, syncEnabled } from '../../state/selection';
import { session, sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { formatMs } from '../../base/format';
import { CarrierTimeline, carriersByUnit, unitCounts } from './carriers';
import { paintUnits, type ColorMode } from './colors';
import { buildModel, centerOn, fitTransform, panBy, unitCenter, zoomAt, type ViewTransform } from './layout_model';
import { applyPaint, collectHandles, StaticLayer, type UnitHandles } from './map_canvas';
import { kSpeeds, PlaybackClock } from './playback';
import './map.css';

registerShortcuts([
  { keys: 'Space', action: 'Play / pause', scope: 'Map' },
  { keys: '← / →', action: 'Back / forward 10 s', scope: 'Map' },
  { keys: 'Wheel, drag', action: 'Zoom at the mouse, pan', scope: 'Map' },
]);

const layout = signal<MapLayout | null>(null);
const model = computed(() => (layout.value ? buildModel(layout.value) : null));
const rules = signal<MapRules | null>(null);
const carrierLog = signal<CarrierLogStatus | null>(null);
const defaults = signal<{ id: string; name: string }[]>([]);
const chosenDefault = signal('');
const colorMode = signal<ColorMode>('rules');
const playTime = signal(0);
const playing = signal(false);
const speed = signal(1);
const follow = signal<string | null>(null);
const search = signal('');
const selectedUnit = signal<string | null>(null);
const details = signal<UnitDetails | null>(null);
const badges = signal<{ unitId: string; x: number; y: number; ids: string[]; followed: boolean }[]>([]);
const carrierIds = signal<string[]>([]);
const frameInfo = signal('');
const range = computed<[number, number] | null>(() => {
  const s = session.value;
  if (s && s.status === 'complete' && s.endTime >= s.startTime && s.startTime > 0) return [s.startTime, s.endTime];
  const c = carrierLog.value;
  if (c?.startTime !== undefined && c.endTime !== undefined) return [c.startTime, c.endTime];
  return null;
});

const clock = new PlaybackClock(0, 0);

/** Frame work times (ms) of the last frames, for the status line and tests. */
const frameTimes: number[] = [];
declare global {
  interface Window {
    __plcscopeMap?: { frames: number; avgMs: number; p95Ms: number; maxMs: number; units: number; t: number };
  }
}

async function refreshMeta(signal?: AbortSignal): Promise<void> {
  const [l, r, c, d] = await Promise.all([
    mapApi.layout(signal),
    mapApi.rules(signal),
    mapApi.carrierLog(signal),
    mapApi.defaults(signal),
  ]);
  layout.value = l;
  rules.value = r;
  carrierLog.value = c;
  defaults.value = d.maps;
  if (!chosenDefault.peek() && d.maps[0]) chosenDefault.value = d.maps[0].name;
}

async function readFile(accept: string): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.onchange = async () => {
      const f = input.files?.[0];
      resolve(f ? { name: f.name, text: await f.text() } : null);
    };
    input.click();
  });
}

async function followCarrierLog(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const c = await mapApi.carrierLog();
    carrierLog.value = c;
    if (!c.loaded || c.status === 'complete' || c.status === 'error') return;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A button that picks a local file and sends its text; errors go to the banner. */
function UploadButton({ label, accept, send }: { label: string; accept: string; send: (name: string, text: string) => Promise<void> }) {
  const onClick = async () => {
    const f = await readFile(accept);
    if (f) await send(f.name, f.text);
  };
  return <button onClick={() => void onClick().catch((e) => showError(e))}>{label}</button>;
}

function Toolbar({ onFit, onReset }: { onFit: () => void; onReset: () => void }) {
  const c = carrierLog.value;
  const run = (f: () => Promise<unknown>) => () => void f().catch((e) => showError(e));
  return (
    <div class="mv-toolbar">
      <select value={chosenDefault.value} onChange={(e) => (chosenDefault.value = (e.target as HTMLSelectElement).value)} aria-label="Default maps">
        {defaults.value.length === 0 && <option value="">no default maps</option>}
        {defaults.value.map((d) => (
          <option key={d.id} value={d.name}>
            {d.name}
          </option>
        ))}
      </select>
      <button
        data-testid="mv-load-default"
        disabled={!chosenDefault.value}
        onClick={run(async () => {
          layout.value = await mapApi.loadDefault(chosenDefault.value);
          rules.value = await mapApi.rules();
        })}
      >
        Load map
      </button>
      <UploadButton label="Upload layout…" accept=".xml,text/xml" send={async (name, text) => {
        await mapApi.uploadLayout(name, text);
        layout.value = await mapApi.layout();
      }} />
      <UploadButton label="Upload rules…" accept=".yaml,.yml" send={async (name, text) => {
        await mapApi.uploadRules(name, text);
        rules.value = await mapApi.rules();
      }} />
      <UploadButton label="Carrier log…" accept=".log,.txt,*" send={async (name, text) => {
        await mapApi.uploadCarrierLog(name, text);
        await followCarrierLog();
      }} />
      <span class="mv-muted" data-testid="mv-carrier-status">
        {c?.loaded ? `carriers: ${c.fileName || c.sessionId} (${c.status}, ${c.entryCount ?? 0} entries)` : 'carriers: from the session'}
      </span>
      <span class="mv-sep" />
      <label>
        Color by{' '}
        <select value={colorMode.value} onChange={(e) => (colorMode.value = (e.target as HTMLSelectElement).value as ColorMode)} aria-label="Color by">
          <option value="rules">rules</option>
          <option value="carriers">carrier count</option>
        </select>
      </label>
      <input
        list="mv-carriers"
        placeholder="Find carrier"
        value={search.value}
        onInput={(e) => (search.value = (e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') follow.value = search.value.trim() || null;
        }}
        aria-label="Find carrier"
        data-testid="mv-search"
      />
      <datalist id="mv-carriers">
        {carrierIds.value.slice(0, 2000).map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <button data-testid="mv-follow" onClick={() => (follow.value = follow.value ? null : search.value.trim() || null)}>
        {follow.value ? `Stop following ${follow.value}` : 'Follow'}
      </button>
      <span class="mv-sep" />
      <button onClick={onFit} title="Fit the whole map">Fit</button>
      <button onClick={onReset} title="Scale 1, origin at the top left">Reset</button>
      <span class="mv-muted mv-frame" data-testid="mv-frame">{frameInfo.value}</span>
    </div>
  );
}

function PlaybackBar({ onSeek }: { onSeek: (t: number) => void }) {
  const r = range.value;
  const t = playTime.value;
  if (!r) return <div class="mv-playback mv-muted">Open a session or a carrier log to play the map over time.</div>;
  const [t0, t1] = r;
  const span = t1 - t0 || 1;
  return (
    <div class="mv-playback">
      <button onClick={() => onSeek(clock.t - 10_000)} title="Back 10 s" data-testid="mv-back">−10 s</button>
      <button
        class="primary"
        data-testid="mv-play"
        onClick={() => {
          clock.toggle();
          playing.value = clock.playing;
          if (!clock.playing) onSeek(clock.t);
        }}
      >
        {playing.value ? 'Pause' : 'Play'}
      </button>
      <button onClick={() => onSeek(clock.t + 10_000)} title="Forward 10 s" data-testid="mv-fwd">+10 s</button>
      <select
        value={String(speed.value)}
        onChange={(e) => {
          speed.value = Number((e.target as HTMLSelectElement).value);
          clock.setSpeed(speed.value);
        }}
        aria-label="Speed"
        data-testid="mv-speed"
      >
        {kSpeeds.map((s) => (
          <option key={s} value={String(s)}>
            {s}×
          </option>
        ))}
      </select>
      <div class="mv-slider">
        <input
          type="range"
          min={0}
          max={Math.max(1, Math.round(t1 - t0))}
          step={1}
          value={Math.round(t - t0)}
          onInput={(e) => onSeek(t0 + Number((e.target as HTMLInputElement).value))}
          aria-label="Playback position"
          data-testid="mv-slider"
        />
        {bookmarks.value
          .filter((b) => b.time >= t0 && b.time <= t1)
          .map((b) => (
            <span
              key={b.id}
              class="mv-bookmark"
              style={{ left: `${((b.time - t0) / span) * 100}%` }}
              title={`${b.name} — ${formatMs(b.time)}`}
              onClick={() => onSeek(b.time)}
            />
          ))}
      </div>
      <span class="mv-time" data-testid="mv-time">{formatMs(t)}</span>
      <button onClick={() => addBookmark(clock.t)} title="Bookmark the playback time (Ctrl+B)">★</button>
    </div>
  );
}

function DetailsPanel() {
  const d = details.value;
  const id = selectedUnit.value;
  if (!id) return null;
  return (
    <aside class="mv-details" data-testid="mv-details">
      <div class="mv-details-head">
        <strong>{id}</strong>
        <button onClick={() => ((selectedUnit.value = null), (details.value = null))} aria-label="Close">×</button>
      </div>
      {!d && <div class="mv-muted">Loading…</div>}
      {d && (
        <>
          <div class="mv-muted">at {formatMs(d.t)}</div>
          <h4>Carriers ({d.carriers.length})</h4>
          <ul class="mv-carrier-list">
            {d.carriers.map((c) => (
              <li key={c.carrierId}>
                <a onClick={() => ((search.value = c.carrierId), (follow.value = c.carrierId))}>{c.carrierId}</a>{' '}
                <span class="mv-muted">since {formatMs(c.since).slice(11)}</span>
              </li>
            ))}
          </ul>
          <h4>Devices ({d.devices.length})</h4>
          {d.devices.map((dev) => (
            <details key={dev.id} open={d.devices.length <= 3}>
              <summary title={dev.path}>{dev.id}</summary>
              <table class="mv-values">
                <tbody>
                  {dev.signals.map((s) => (
                    <tr key={s.name}>
                      <td>{s.name}</td>
                      <td class="mv-value">{s.value === null ? '—' : String(s.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
        </>
      )}
    </aside>
  );
}

export function MapView() {
  const svgRef = useRef<SVGSVGElement>(null);
  const worldRef = useRef<SVGGElement>(null);
  const staticRef = useRef<SVGGElement>(null);
  const tr = useRef<ViewTransform>({ scale: 1, tx: 0, ty: 0 });
  const handles = useRef<UnitHandles | null>(null);
  const forceFrame = useRef(true);
  const m = model.value;

  const applyTransform = () => {
    const t = tr.current;
    worldRef.current?.setAttribute('transform', `translate(${t.tx} ${t.ty}) scale(${t.scale})`);
  };
  const fit = () => {
    const svg = svgRef.current;
    if (!svg || !m) return;
    tr.current = fitTransform(m.bounds, svg.clientWidth, svg.clientHeight);
    applyTransform();
  };
  const reset = () => {
    tr.current = { scale: 1, tx: 0, ty: 0 };
    applyTransform();
  };
  const lastPublished = useRef<number | null>(null);
  const seek = (t: number) => {
    clock.seek(t);
    playTime.value = clock.t;
    forceFrame.current = true;
    if (syncEnabled.peek()) {
      lastPublished.current = clock.t;
      cursorTime.value = clock.t;
    }
  };

  // Metadata once.
  useEffect(() => {
    const ctl = new AbortController();
    refreshMeta(ctl.signal).catch((e) => !isAbortError(e) && showError(e));
    return () => ctl.abort();
  }, []);

  // Playback range.
  useEffect(() => {
    const r = range.value;
    if (!r) return;
    const fresh = clock.start === 0 && clock.end === 0;
    clock.setRange(r[0], r[1]);
    if (fresh) clock.seek(cursorTime.peek() ?? r[0]);
    playTime.value = clock.t;
    forceFrame.current = true;
  }, [range.value?.[0], range.value?.[1]]);

  // Follow the other views' time (Sync on, not playing).
  useEffect(() => {
    const t = cursorTime.value;
    if (t === null || t === lastPublished.current || !syncEnabled.peek() || clock.playing) return;
    clock.seek(t);
    playTime.value = clock.t;
    forceFrame.current = true;
  }, [cursorTime.value]);

  // New layout: collect DOM handles, fit.
  useEffect(() => {
    if (!m || !staticRef.current) return;
    handles.current = collectHandles(staticRef.current);
    fit();
    forceFrame.current = true;
  }, [m]);

  // Unit details follow the selection and the time (at most every 500 ms).
  useEffect(() => {
    const id = selectedUnit.value;
    if (!id) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      mapApi
        .unit(sessionId.peek(), clock.t, id, ctl.signal)
        .then((d) => (details.value = d))
        .catch((e) => !isAbortError(e) && showError(e));
    }, details.peek()?.unitId === id ? 500 : 0);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [selectedUnit.value, Math.floor(playTime.value / 1000)]);

  // The frame loop.
  useEffect(() => {
    let raf = 0;
    let last = performance.now();
    let lastPublish = 0;
    let stateInflight = false;
    let stateT = NaN;
    let ruleStates: UnitColorState[] = [];
    let defaultColor = rules.peek()?.defaultColor ?? '#D3D3D3';
    let timeline: CarrierTimeline | null = null;
    let next: CarrierTimeline | null = null;  // the window after `timeline`, fetched ahead
    let windowInflight = false;
    let windowKey = '';
    let positions: Map<string, CarrierPosition> = new Map();
    let lastBadgeKey = '';
    let lastMode: ColorMode = colorMode.peek();
    let lastFollow: string | null = null;
    const ctl = new AbortController();

    const fetchState = (t: number) => {
      stateInflight = true;
      mapApi
        .state(sessionId.peek(), t, ctl.signal)
        .then((s) => {
          ruleStates = s.units;
          defaultColor = s.defaultColor;
          stateT = t;
          if (!timeline) positions = new Map(s.carriers.map((p) => [p.carrierId, p]));
          forceFrame.current = true;
        })
        .catch((e) => !isAbortError(e) && showError(e))
        .finally(() => (stateInflight = false));
    };
    const fetchWindow = (t: number, ahead: boolean) => {
      windowInflight = true;
      const span = Math.max(120_000, clock.speed * 60_000);
      const end = Math.min(clock.end, t + span);
      mapApi
        .changes(sessionId.peek(), t, end, ctl.signal)
        .then((w) => {
          if (ahead) next = new CarrierTimeline(w);
          else timeline = new CarrierTimeline(w);
          carrierIds.value = [...new Set([...w.carriers.map((c) => c.carrierId), ...w.changes.carrierId])].sort();
          forceFrame.current = true;
        })
        .catch((e) => !isAbortError(e) && showError(e))
        .finally(() => (windowInflight = false));
    };

    const frame = (now: number) => {
      raf = requestAnimationFrame(frame);
      const dt = now - last;
      last = now;
      const moved = clock.tick(dt);
      if (playing.peek() !== clock.playing) playing.value = clock.playing;
      const mdl = model.peek();
      const h = handles.current;
      const mode = colorMode.peek();
      const fol = follow.peek();
      if (!moved && !forceFrame.current && mode === lastMode && fol === lastFollow) return;
      const work0 = performance.now();
      forceFrame.current = false;
      lastMode = mode;
      lastFollow = fol;
      const t = clock.t;
      playTime.value = t;
      // Carriers: replay the window locally, fetch the next one ahead of time.
      const key = `${sessionId.peek()}|${carrierLog.peek()?.sessionId}|${carrierLog.peek()?.status}`;
      if (key !== windowKey) {
        windowKey = key;
        timeline = next = null;
      }
      if (timeline && timeline.covers(t)) {
        positions = timeline.positionsAt(t);
        const used = (t - timeline.start) / Math.max(1, timeline.end - timeline.start);
        if (clock.playing && !windowInflight && !next && used > 0.5 && timeline.end < clock.end) {
          fetchWindow(timeline.end, true);
        }
      } else if (next && next.covers(t)) {
        timeline = next;
        next = null;
        positions = timeline.positionsAt(t);
      } else if (!windowInflight && clock.end > 0) {
        next = null;
        fetchWindow(t, false);
      }
      if (!stateInflight && t !== stateT) fetchState(t);
      if (mdl && h) {
        const counts = unitCounts(positions.values());
        const paint = paintUnits(mdl.units.keys(), mode, defaultColor, ruleStates, counts);
        applyPaint(h, paint, selectedUnit.peek());
        const byUnit = carriersByUnit(positions.values());
        const followedUnit = fol ? positions.get(fol)?.unitId : undefined;
        const list: { unitId: string; x: number; y: number; ids: string[]; followed: boolean }[] = [];
        let badgeKey = '';
        for (const [unitId, ids] of byUnit) {
          // The badge sits on the top-right corner of the unit's first shape.
          const first = mdl.units.get(unitId)?.[0];
          if (first === undefined) continue;
          const sh = mdl.shapes[first]!;
          list.push({ unitId, x: sh.x + sh.w - 4, y: sh.y + 4, ids, followed: unitId === followedUnit });
          badgeKey += `${unitId}:${ids.join(',')}:${unitId === followedUnit ? 1 : 0};`;
        }
        if (badgeKey !== lastBadgeKey) {
          lastBadgeKey = badgeKey;
          badges.value = list;
        }
        if (followedUnit && svgRef.current) {
          const c = unitCenter(mdl, followedUnit);
          if (c) {
            tr.current = centerOn(tr.current, c[0], c[1], svgRef.current.clientWidth, svgRef.current.clientHeight);
            applyTransform();
          }
        }
      }
      if (clock.playing && syncEnabled.peek() && now - lastPublish > 1000) {
        lastPublish = now;
        lastPublished.current = t;
        cursorTime.value = t;
      }
      const work = performance.now() - work0;
      frameTimes.push(work);
      if (frameTimes.length > 600) frameTimes.splice(0, frameTimes.length - 600);
      const sorted = [...frameTimes].sort((a, b) => a - b);
      const avg = frameTimes.reduce((s, x) => s + x, 0) / frameTimes.length;
      const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
      window.__plcscopeMap = {
        frames: frameTimes.length,
        avgMs: avg,
        p95Ms: p95,
        maxMs: sorted[sorted.length - 1] ?? 0,
        units: mdl?.units.size ?? 0,
        t,
      };
      if (frameTimes.length % 15 === 0) {
        frameInfo.value = `${mdl?.units.size ?? 0} units · frame ${avg.toFixed(2)} ms (p95 ${p95.toFixed(2)})`;
      }
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      ctl.abort();
    };
  }, []);

  // Keys: Space play/pause, arrows ±10 s.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) return;
      if (e.key === ' ') {
        clock.toggle();
        playing.value = clock.playing;
        forceFrame.current = true;
        e.preventDefault();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        seek(clock.t + (e.key === 'ArrowLeft' ? -10_000 : 10_000));
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Pan by drag, zoom at the mouse, click a unit.
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const onPointerDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 3) return;
    d.moved = true;
    d.x = e.clientX;
    d.y = e.clientY;
    follow.value = null;
    tr.current = panBy(tr.current, dx, dy);
    applyTransform();
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const hit = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.closest('g[data-unit]'));
      const g = hit?.closest<SVGGElement>('g[data-unit]');
      const id = g?.dataset.unit ?? null;
      if (id !== selectedUnit.peek()) details.value = null;
      selectedUnit.value = id;
      forceFrame.current = true;
      if (handles.current) handles.current.last.clear();
    }
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = svgRef.current!.getBoundingClientRect();
    tr.current = zoomAt(tr.current, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    applyTransform();
  };
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [svgRef.current]);

  return (
    <div class="mv-view">
      <Toolbar onFit={fit} onReset={reset} />
      <div class="mv-body">
        <div class="mv-canvas">
          {!m && <div class="mv-empty">No map loaded: pick a default map and press “Load map”, or upload a layout XML.</div>}
          <svg
            ref={svgRef}
            class="mv-svg"
            data-testid="mv-svg"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
          >
            <g ref={worldRef}>
              <g ref={staticRef}>{m && <StaticLayer model={m} />}</g>
              <g class="mv-carriers">
                {badges.value.map((b) => (
                  <g key={b.unitId} class={`mv-badge${b.followed ? ' mv-followed' : ''}`} data-badge={b.unitId} data-carriers={b.ids.join(' ')}>
                    <circle cx={b.x} cy={b.y} r={b.followed ? 9 : 7} />
                    <text x={b.x} y={b.y + 3.5}>{b.ids.length}</text>
                    <title>{b.ids.join('\n')}</title>
                  </g>
                ))}
              </g>
            </g>
          </svg>
        </div>
        <DetailsPanel />
      </div>
      <PlaybackBar onSeek={seek} />
    </div>
  );
}
