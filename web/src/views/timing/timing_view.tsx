// The Timing Diagram view (docs/ui.md "Timing Diagram"): the shared signal
// sidebar, a toolbar, the time axis, lanes (names | canvas | values at the
// cursor), a time slider and the bookmark panel. Drawing and interaction
// live in TimingController; this component wires it to the DOM, the global
// state (selected signals, Sync cursor, bookmarks) and the API.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { effect } from '@preact/signals';
import { api } from '../../api/client';
import { fetchWaveform, toWaveValue, type WaveValue } from '../../api/waveform';
import { catalog } from '../../state/catalog';
import { registerShortcuts } from '../../state/shortcuts';
import { addBookmark, adjacentBookmark, bookmarks } from '../../state/bookmarks';
import { cursorTime, hoverTime, laneFocusRequest, removeSelectedSignals, selectedSignals, syncEnabled, windowRequest } from '../../state/selection';
import { session, sessionId, sessionName } from '../../state/session';
import { registerCommands } from '../../state/commands';
import { activeTab } from '../../state/tabs';
import { exportImage } from './image_export';
import { numParam, registerUrlPart, scheduleUrlUpdate } from '../../state/url_state';
import { showError, theme } from '../../state/ui';
import { loadJson, saveJson } from '../../base/storage';
import { SignalSidebar } from '../../widgets/signal_sidebar';
import { BookmarkPanel } from './bookmark_panel';
import { BookmarkTip } from './bookmark_tip';
import { applyPendingLaneFocus, registerLaneFocusUrl } from './lane_focus';
import { TimingController, kAxisHeight } from './controller';
import { kDefaultLaneHeight, layoutLanes, neighbourLane, splitKey, visibleRows } from './lanes';
import { LaneNames, LaneValues } from './lane_columns';
import { LayoutsMenu } from './layouts_menu';
import { cleanDisplays, typedValue, withDisplay, type LaneDisplay } from './lane_display';
import { LaneDisplayDialog, LaneMenu } from './lane_menu';
import { countChanges, findChange, findValue } from './search';
import { TimeSlider } from './time_slider';
import { MeasureReadout, TimingToolbar } from './toolbar';
import { TimingToolsBar, exportVcdOf } from './tools_bar';
import { centerOn, fitAll, goToEnd, goToStart, kZoomPresetsMs, revealTime, zoomToSpan, type Bounds } from './viewport';
import type { WaveFetcher } from './wave_cache';
import './timing.css';
import { isTyping } from '../../widgets/keyboard';

registerShortcuts([
  { keys: 'Ctrl+Wheel', action: 'Zoom at the mouse', scope: 'Timing Diagram' },
  { keys: 'Drag / Shift+Wheel / ← →', action: 'Pan (Shift+← → pans further)', scope: 'Timing Diagram' },
  { keys: '+ / -', action: 'Zoom in / out', scope: 'Timing Diagram' },
  { keys: 'Home / End / F', action: 'Go to start / end / fit all', scope: 'Timing Diagram' },
  { keys: 'Ctrl+Z', action: 'Undo zoom: back to the previous window (a wheel burst or a drag is one step)', scope: 'Timing Diagram' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'Redo zoom', scope: 'Timing Diagram' },
  { keys: 'Click on the time axis', action: 'Centre the view there (the zoom stays)', scope: 'Timing Diagram' },
  { keys: 'Click', action: 'Place the cursor (snaps to the nearest change of the lane)', scope: 'Timing Diagram' },
  { keys: 'Shift+Drag', action: 'Measure a time range', scope: 'Timing Diagram' },
  { keys: '↑ ↓', action: 'Focus the previous / next lane', scope: 'Timing Diagram' },
  { keys: 'N / Shift+N', action: 'Next / previous change of the focused lane', scope: 'Timing Diagram' },
  { keys: 'Ctrl+B', action: 'Add a bookmark at the cursor', scope: 'Timing Diagram' },
  { keys: 'Ctrl+Shift+B', action: 'Show or hide the bookmarks', scope: 'Timing Diagram' },
  { keys: 'Ctrl+] / Ctrl+[', action: 'Jump to the next / previous bookmark', scope: 'Timing Diagram' },
  { keys: 'Escape', action: 'Clear the measurement, then the cursor', scope: 'Timing Diagram' },
  { keys: 'Right click on a lane name', action: 'Lane menu: rename, radix (hex, binary, …), enum names, analog line, colour, copy value, show only, hide', scope: 'Timing Diagram' },
]);


function sessionBounds(): Bounds | null {
  const s = session.value;
  if (!s || !Number.isFinite(s.startTime) || !Number.isFinite(s.endTime) || s.endTime < s.startTime) return null;
  return { min: s.startTime, max: Math.max(s.endTime, s.startTime + 1) };
}

// One controller per session, kept while the user visits other tabs so the
// zoom, cursor and cache survive a tab switch.
let shared: { id: string; ctl: TimingController; fetcher: WaveFetcher } | null = null;

// The time window and cursor in the URL (t0, t1, cur: ms since epoch). A
// link's values wait here until the diagram of their session has its bounds.
// `step`: the user asked for it in another view (a zoom-history step), not a link.
let pendingView: { id: string | null; t0: number | null; t1: number | null; cur: number | null; step?: boolean } | null = null;

/** True once the controller was given its session's time range. */
function hasBounds(ctl: TimingController): boolean {
  return ctl.bounds.min !== 0 || ctl.bounds.max !== 1;
}

function applyPendingView(ctl: TimingController, id: string): void {
  const p = pendingView;
  if (!p || (p.id !== null && p.id !== id)) return;
  pendingView = null;
  if (p.t0 !== null && p.t1 !== null && p.t1 > p.t0) {
    const v = { start: p.t0, end: p.t1 };
    if (p.step) ctl.navigate(v);
    else ctl.setView(v);
  }
  if (p.cur !== null) ctl.setCursor(p.cur, false);
}

// A window another view asks for (a transitions interval): shown with a
// tenth of its length on each side, now if the diagram is ready, else when
// its bounds arrive (the same path as a window from the address).
effect(() => {
  const w = windowRequest.value;
  if (!w) return;
  windowRequest.value = null;
  const pad = Math.max(1, (w.end - w.start) / 10);
  const id = sessionId.peek();
  pendingView = { id, t0: Math.floor(w.start - pad), t1: Math.ceil(w.end + pad), cur: null, step: true };
  if (shared && id && shared.id === id && hasBounds(shared.ctl)) applyPendingView(shared.ctl, id);
});

registerUrlPart({
  keys: ['t0', 't1', 'cur'],
  write(p) {
    const id = sessionId.peek();
    const pv = pendingView;
    if (pv && (pv.id === null || pv.id === id)) {
      if (pv.t0 !== null && pv.t1 !== null) {
        p.set('t0', String(pv.t0));
        p.set('t1', String(pv.t1));
      }
      if (pv.cur !== null) p.set('cur', String(pv.cur));
      return;
    }
    if (!shared || shared.id !== id || !hasBounds(shared.ctl)) return;
    const v = shared.ctl.view;
    p.set('t0', String(Math.round(v.start)));
    p.set('t1', String(Math.round(v.end)));
    if (shared.ctl.cursor !== null) p.set('cur', String(shared.ctl.cursor));
  },
  apply(p) {
    const t0 = numParam(p, 't0');
    const t1 = numParam(p, 't1');
    const cur = numParam(p, 'cur');
    if (t0 === null && t1 === null && cur === null) return;
    pendingView = { id: p.get('session'), t0, t1, cur };
    const id = sessionId.peek();
    if (shared && id && shared.id === id && hasBounds(shared.ctl)) applyPendingView(shared.ctl, id);
  },
});

// The focused lane in the URL (lane=), so N still works after any view switch.
registerLaneFocusUrl(() => shared);

// Palette actions wait here for the diagram when it is not shown (the Timing
// tab or the Workspace): they run on its first drawn frame (with its bounds)
// after the switch to the Timing tab.
const pendingActions: ((ctl: TimingController) => void)[] = [];

function onDiagram(fn: (ctl: TimingController) => void): void {
  const shown = activeTab.peek() === 'timing' || activeTab.peek() === 'workspace';
  if (shared && shared.id === sessionId.peek() && shared.ctl.isAttached() && shown) {
    fn(shared.ctl);
    return;
  }
  pendingActions.push(fn);
  activeTab.value = 'timing';
}

const kScope = 'Timing Diagram';
const hasSession = (): boolean => sessionId.peek() !== null;
const hasLanes = (): boolean => hasSession() && selectedSignals.peek().length > 0;
registerCommands([
  { id: 'timing.fit', label: 'Fit all: show the whole session', scope: kScope, keys: 'F', enabled: hasSession, run: () => onDiagram((c) => c.navigate(fitAll(c.bounds))) },
  { id: 'timing.zoom-in', label: 'Zoom in', scope: kScope, keys: '+', enabled: hasSession, run: () => onDiagram((c) => c.zoomCenter(0.5)) },
  { id: 'timing.zoom-out', label: 'Zoom out', scope: kScope, keys: '-', enabled: hasSession, run: () => onDiagram((c) => c.zoomCenter(2)) },
  {
    id: 'timing.undo-zoom',
    label: 'Undo zoom: back to the previous window',
    scope: kScope,
    keys: 'Ctrl+Z',
    enabled: () => !!shared && shared.id === sessionId.peek() && shared.ctl.history.canUndo(),
    run: () => onDiagram((c) => c.undoZoom()),
  },
  {
    id: 'timing.redo-zoom',
    label: 'Redo zoom',
    scope: kScope,
    keys: 'Ctrl+Shift+Z',
    enabled: () => !!shared && shared.id === sessionId.peek() && shared.ctl.history.canRedo(),
    run: () => onDiagram((c) => c.redoZoom()),
  },
  { id: 'timing.start', label: 'Go to the start', scope: kScope, keys: 'Home', enabled: hasSession, run: () => onDiagram((c) => c.navigate(goToStart(c.view, c.bounds))) },
  { id: 'timing.end', label: 'Go to the end', scope: kScope, keys: 'End', enabled: hasSession, run: () => onDiagram((c) => c.navigate(goToEnd(c.view, c.bounds))) },
  ...kZoomPresetsMs.map((z) => ({
    id: `timing.span-${z.ms}`,
    label: `Show ${z.label} around the centre`,
    scope: kScope,
    enabled: hasSession,
    run: () => onDiagram((c) => c.navigate(zoomToSpan(c.view, z.ms, c.bounds))),
  })),
  { id: 'timing.export-png', label: 'Export the diagram as PNG', scope: kScope, enabled: hasLanes, run: () => onDiagram((c) => exportImage(c, 'png', sessionName.peek(), showError)) },
  { id: 'timing.export-svg', label: 'Export the diagram as SVG', scope: kScope, enabled: hasLanes, run: () => onDiagram((c) => exportImage(c, 'svg', sessionName.peek(), showError)) },
  {
    id: 'timing.export-vcd',
    label: 'Export the lanes as VCD (GTKWave, Surfer)',
    scope: kScope,
    enabled: hasLanes,
    run: () => onDiagram((c) => exportVcdOf(c, sessionId.peek() ?? '', layoutLanes(selectedSignals.peek(), catalog.peek()?.types ?? {}, new Set(), kDefaultLaneHeight).order)),
  },
  { id: 'timing.clear-lanes', label: 'Remove every lane', scope: kScope, enabled: hasLanes, run: () => (selectedSignals.value = []) },
]);

function controllerFor(id: string): { ctl: TimingController; fetcher: WaveFetcher } {
  if (shared?.id === id) return shared;
  shared?.ctl.dispose();
  const fetcher: WaveFetcher = (req, signal) => fetchWaveform(api, id, req, signal);
  const ctl = new TimingController({
    fetcher,
    atTime: async (t, keys, signal) => {
      const entries = await api.atTime(id, t, keys, signal);
      const m = new Map<string, WaveValue>();
      for (const e of entries) m.set(`${e.deviceId}::${e.signalName}`, toWaveValue(e.value));
      return m;
    },
    onError: showError,
  });
  shared = { id, ctl, fetcher };
  applyPendingLaneFocus(ctl, id);
  return shared;
}

// The tooltip at the mouse: time, the hovered lane and its value. Its own
// component so that mouse moves re-render only it.
function HoverTip(props: { ctl: TimingController }) {
  const hover = props.ctl.hoverSig.value;
  const _values = props.ctl.valuesSig.value; // read so that new values re-render the tip
  const tip = hover ? props.ctl.describeHover() : null;
  if (!tip || !hover) return null;
  // Below the mouse, whatever the rows above the plot (toolbar, tools) measure.
  const plot = document.querySelector('[data-testid=timing-canvas]');
  const tl = plot?.closest('.tl');
  const plotTop = plot && tl ? plot.getBoundingClientRect().top - tl.getBoundingClientRect().top : kAxisHeight + 34;
  return (
    <div class="tl-tip" style={{ left: `${hover.x + 250}px`, top: `${hover.y + plotTop + 18}px` }} data-testid="timing-tooltip">
      <div class="tl-tip-time">{tip.time}</div>
      {tip.lane && (
        <div>
          <span class="muted">{tip.lane}</span> <b>{tip.value ?? '…'}</b>
        </div>
      )}
      {hover.snapped && <div class="muted small">snapped to a change</div>}
    </div>
  );
}

export function TimingView() {
  const id = sessionId.value ?? '';
  const { ctl, fetcher } = controllerFor(id);
  const plotRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<HTMLCanvasElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [laneHeight, setLaneHeightState] = useState<number>(() => loadJson('plcscope.timing.laneHeight', kDefaultLaneHeight));
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [scroll, setScroll] = useState({ top: 0, height: 400 });
  const [panelOpen, setPanelOpen] = useState(false);
  const [counts, setCounts] = useState<Map<string, number> | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchCtl = useRef<AbortController | null>(null);
  // Each lane's display (radix, enum names, analog, colour, alias), per session in storage.
  const displayStore = `plcscope.timing.laneDisplay.${id}`;
  const [displays, setDisplaysState] = useState<{ id: string; d: Record<string, LaneDisplay> }>(() => ({ id, d: cleanDisplays(loadJson(displayStore, {})) }));
  const laneDisplays = displays.id === id ? displays.d : cleanDisplays(loadJson(displayStore, {}));
  const setDisplays = (d: Record<string, LaneDisplay>): void => {
    setDisplaysState({ id, d });
    saveJson(displayStore, d);
  };
  useEffect(() => {
    if (displays.id !== id) setDisplaysState({ id, d: laneDisplays });
  }, [id]);
  ctl.setDisplays(laneDisplays);
  const [laneMenu, setLaneMenu] = useState<{ key: string; x: number; y: number } | null>(null);
  const [editLane, setEditLane] = useState<string | null>(null);

  const types = catalog.value?.types ?? {};
  const selected = selectedSignals.value;
  const layout = useMemo(() => layoutLanes(selected, types, collapsed, laneHeight), [selected, types, collapsed, laneHeight]);
  const knownKeys = useMemo(() => new Set(Object.keys(types)), [types]);
  const bounds = sessionBounds();
  const boundsKey = bounds ? `${bounds.min}:${bounds.max}` : '';

  const setLaneHeight = (px: number): void => {
    setLaneHeightState(px);
    saveJson('plcscope.timing.laneHeight', px);
  };

  // Mount: canvases, test hook.
  useEffect(() => {
    if (!plotRef.current || !axisRef.current) return;
    ctl.attach(plotRef.current, axisRef.current);
    // Hooks for the browser tests and the benchmark (web/e2e/timing*.mjs).
    const g = globalThis as Record<string, unknown>;
    g.__plcscopeTiming = ctl;
    g.__plcscopeTimingSelect = (keys: string[]) => (selectedSignals.value = keys);
    if (pendingActions.length > 0) {
      const fns = pendingActions.splice(0);
      ctl.whenDrawn(() => {
        for (const fn of fns) fn(ctl);
      });
    }
    return () => ctl.detach();
  }, [ctl]);

  useEffect(() => {
    const b = sessionBounds();
    if (b) {
      ctl.setBounds(b);
      applyPendingView(ctl, id);
    }
  }, [ctl, boundsKey]);

  // The window, cursor and focused lane go into the URL.
  useEffect(() => {
    const d = effect(() => {
      void ctl.viewSig.value;
      void ctl.cursorSig.value;
      void ctl.focusSig.value;
      scheduleUrlUpdate();
    });
    return d;
  }, [ctl]);

  useEffect(() => ctl.setLayout(layout, types), [ctl, layout, types]);
  useEffect(() => ctl.setTheme(theme.value === 'dark'), [ctl, theme.value]);

  // Scroll position and size of the lane area.
  useEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const update = (): void => {
      setScroll({ top: el.scrollTop, height: el.clientHeight });
      ctl.setScroll(el.scrollTop, el.clientHeight);
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, [ctl]);

  // Shared state: Sync cursor, table hover, bookmarks.
  useEffect(() => {
    let published: number | null = null;
    ctl.onCursorPlaced = (t) => {
      if (!syncEnabled.peek()) return;
      published = t;
      cursorTime.value = t;
    };
    const d1 = effect(() => {
      const t = cursorTime.value;
      if (!syncEnabled.value || t === null || t === published) return;
      published = t;
      ctl.setCursor(t, false);
      ctl.setView(revealTime(ctl.view, t, ctl.bounds));
    });
    const d2 = effect(() => {
      ctl.syncHover = syncEnabled.value ? hoverTime.value : null;
      ctl.schedule();
    });
    const d3 = effect(() => {
      ctl.bookmarks = bookmarks.value;
      ctl.schedule();
    });
    return () => {
      ctl.onCursorPlaced = null;
      d1();
      d2();
      d3();
    };
  }, [ctl]);

  // A lane the palette asked for: focused and scrolled into view once it is laid out.
  const focusRequest = laneFocusRequest.value;
  useEffect(() => {
    if (!focusRequest) return;
    const row = layout.rows.find((r) => r.kind === 'lane' && r.key === focusRequest);
    if (!row) {
      // In a collapsed group: open it (the next layout has the row).
      const device = splitKey(focusRequest).device;
      if (layout.order.includes(focusRequest) && collapsed.has(device)) {
        const n = new Set(collapsed);
        n.delete(device);
        setCollapsed(n);
      }
      return;
    }
    laneFocusRequest.value = null;
    ctl.setFocus(focusRequest);
    const el = bodyRef.current;
    if (el && (row.top < el.scrollTop || row.top + row.height > el.scrollTop + el.clientHeight)) el.scrollTop = Math.max(0, row.top - el.clientHeight / 3);
  }, [focusRequest, layout, ctl, collapsed]);

  const focus = ctl.focusSig.value;
  const focusType = focus ? (types[focus] ?? 'string') : null;

  const runSearch = (what: string, fn: (signal: AbortSignal) => Promise<number | null>): void => {
    searchCtl.current?.abort();
    const c = new AbortController();
    searchCtl.current = c;
    setBusy(what);
    setNotice(null);
    fn(c.signal).then(
      (t) => {
        if (c.signal.aborted) return;
        setBusy(null);
        if (t === null) {
          setNotice(`No ${what} found.`);
          return;
        }
        jumpTo(t);
      },
      (e: unknown) => {
        if (!c.signal.aborted) {
          setBusy(null);
          showError(e);
        }
      },
    );
  };

  const jumpTo = (t: number): void => {
    ctl.setCursor(t, true);
    ctl.navigate(revealTime(ctl.view, t, ctl.bounds, 0.1));
  };

  const nextChange = (dir: 1 | -1): void => {
    const key = ctl.focusSig.peek();
    if (!key) {
      showError('Click a lane first: the next change is searched in the focused lane.');
      return;
    }
    const from = ctl.currentTime();
    runSearch(dir > 0 ? 'next change' : 'previous change', (s) => findChange(fetcher, key, from, dir, ctl.bounds, s));
  };

  const searchValue = (text: string, dir: 1 | -1): void => {
    const key = ctl.focusSig.peek();
    if (!key) {
      showError('Click a lane first: the value is searched in the focused lane.');
      return;
    }
    const from = ctl.currentTime();
    // An enum name or a hex number of the lane's display means the signal's value.
    const value = typedValue(text, types[key] ?? 'string', laneDisplays[key]);
    runSearch(`change to "${text}"`, (s) => findValue(fetcher, key, types[key] ?? 'string', value, from, dir, ctl.bounds, s));
  };

  const bookmarkJump = (dir: 1 | -1): void => {
    const b = adjacentBookmark(ctl.currentTime(), dir);
    if (b) {
      ctl.setCursor(b.time, true);
      ctl.navigate(centerOn(ctl.view, b.time, ctl.bounds));
    }
  };

  // Keys, while the view is mounted.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      // A key a control already used (the log table under the diagram in the Workspace).
      if (e.defaultPrevented) return;
      const ctrl = e.ctrlKey || e.metaKey;
      // Zoom undo / redo (not while typing: there Ctrl+Z edits the text).
      if (ctrl && !e.altKey && !isTyping(e) && (e.key === 'z' || e.key === 'Z' || e.key === 'y' || e.key === 'Y')) {
        e.preventDefault();
        if ((e.key === 'z' || e.key === 'Z') && !e.shiftKey) ctl.undoZoom();
        else ctl.redoZoom();
        return;
      }
      if (ctrl && (e.key === 'b' || e.key === 'B')) {
        e.preventDefault();
        if (e.shiftKey) setPanelOpen((o) => !o);
        else addBookmark(ctl.currentTime());
        return;
      }
      if (ctrl && (e.key === ']' || e.code === 'BracketRight')) {
        e.preventDefault();
        bookmarkJump(1);
        return;
      }
      if (ctrl && (e.key === '[' || e.code === 'BracketLeft')) {
        e.preventDefault();
        bookmarkJump(-1);
        return;
      }
      if (isTyping(e) || ctrl || e.altKey) return;
      let handled = true;
      switch (e.key) {
        case 'ArrowLeft':
          ctl.panFraction(e.shiftKey ? -0.5 : -0.1);
          break;
        case 'ArrowRight':
          ctl.panFraction(e.shiftKey ? 0.5 : 0.1);
          break;
        case 'ArrowUp':
        case 'ArrowDown': {
          const key = neighbourLane(layout, ctl.focusSig.peek(), e.key === 'ArrowUp' ? -1 : 1);
          ctl.setFocus(key);
          const row = layout.rows.find((r) => r.kind === 'lane' && r.key === key);
          const el = bodyRef.current;
          if (row && el) {
            if (row.top < el.scrollTop) el.scrollTop = row.top;
            else if (row.top + row.height > el.scrollTop + el.clientHeight) el.scrollTop = row.top + row.height - el.clientHeight;
          }
          break;
        }
        case '+':
        case '=':
          ctl.zoomCenter(0.5);
          break;
        case '-':
        case '_':
          ctl.zoomCenter(2);
          break;
        case 'Home':
          ctl.navigate(goToStart(ctl.view, ctl.bounds));
          break;
        case 'End':
          ctl.navigate(goToEnd(ctl.view, ctl.bounds));
          break;
        case 'f':
        case 'F':
          ctl.navigate(fitAll(ctl.bounds));
          break;
        case 'n':
        case 'N':
        case '.':
        case ',':
          nextChange(e.shiftKey || e.key === ',' ? -1 : 1);
          break;
        case 'Escape':
          if (ctl.measureSig.peek()) {
            ctl.setMeasure(null);
            setCounts(null);
          } else ctl.setCursor(null, false);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // A click on the time axis centres the view there (a press that moves is no click).
  useEffect(() => {
    const a = axisRef.current;
    if (!a) return;
    let down: { x: number; y: number } | null = null;
    const onDown = (e: PointerEvent): void => {
      if (e.button === 0) down = { x: e.clientX, y: e.clientY };
    };
    const onUp = (e: PointerEvent): void => {
      const d = down;
      down = null;
      if (!d || e.button !== 0 || Math.hypot(e.clientX - d.x, e.clientY - d.y) > 4) return;
      ctl.centerAtX(e.clientX - a.getBoundingClientRect().left);
    };
    a.addEventListener('pointerdown', onDown);
    a.addEventListener('pointerup', onUp);
    return () => {
      a.removeEventListener('pointerdown', onDown);
      a.removeEventListener('pointerup', onUp);
    };
  }, [ctl]);

  // Pointer and wheel on the plot.
  useEffect(() => {
    const c = plotRef.current;
    if (!c) return;
    const pos = (e: MouseEvent): { x: number; y: number } => {
      const r = c.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const wheel = (e: WheelEvent): void => ctl.onWheel(e, pos(e).x);
    const down = (e: PointerEvent): void => {
      if (e.button !== 0) return;
      c.setPointerCapture(e.pointerId);
      bodyRef.current?.focus({ preventScroll: true });
      const p = pos(e);
      ctl.onPointerDown(p.x, p.y, e.shiftKey);
      if (e.shiftKey) setCounts(null);
      e.preventDefault();
    };
    const move = (e: PointerEvent): void => {
      const p = pos(e);
      ctl.onPointerMove(p.x, p.y);
    };
    const up = (e: PointerEvent): void => {
      const p = pos(e);
      const m = ctl.onPointerUp(p.x, p.y);
      if (m) {
        const c2 = new AbortController();
        countChanges(fetcher, layout.order, m.a, m.b, c2.signal).then(setCounts, showError);
      }
    };
    const leave = (): void => ctl.setHover(null, 0);
    c.addEventListener('wheel', wheel, { passive: false });
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    c.addEventListener('pointerleave', leave);
    return () => {
      c.removeEventListener('wheel', wheel);
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      c.removeEventListener('pointerleave', leave);
    };
  }, [ctl, fetcher, layout]);

  const { first, last } = visibleRows(layout, scroll.top, scroll.height);
  const rows = layout.rows.slice(Math.max(0, first - 2), Math.min(layout.rows.length, last + 2));
  const empty = selected.length === 0;

  return (
    <div class="view-with-sidebar">
      <SignalSidebar />
      <div class="tl" data-testid="timing-view">
        <TimingToolbar
          ctl={ctl}
          laneHeight={laneHeight}
          onLaneHeight={setLaneHeight}
          onNextChange={nextChange}
          onSearchValue={searchValue}
          focusType={focusType}
          focusName={focus}
          busy={busy}
          notice={notice}
          panelOpen={panelOpen}
          onTogglePanel={() => setPanelOpen(!panelOpen)}
        />
        <TimingToolsBar
          ctl={ctl}
          sessionId={id}
          fetcher={fetcher}
          lanes={layout.order}
          types={types}
          onCounts={setCounts}
          measure={
            <MeasureReadout
              ctl={ctl}
              counts={counts}
              onClear={() => {
                ctl.setMeasure(null);
                setCounts(null);
              }}
            />
          }
        >
          <LayoutsMenu
            sessionId={id}
            current={{ lanes: selected, collapsed: [...collapsed], laneHeight, displays: laneDisplays }}
            known={knownKeys}
            onApply={(s) => {
              selectedSignals.value = s.lanes;
              setCollapsed(new Set(s.collapsed));
              if (s.laneHeight !== undefined) setLaneHeight(s.laneHeight);
              setDisplays(s.displays ?? {});
            }}
          />
        </TimingToolsBar>
        <div class="tl-head" style={{ height: `${kAxisHeight}px` }}>
          <div class="tl-corner">
            <span>{selected.length} lanes</span>
          </div>
          <canvas ref={axisRef} class="tl-axis" data-testid="timing-axis" title="Click to centre the view here" />
          <div class="tl-valhead">Value at cursor</div>
        </div>
        <div class="tl-body" ref={bodyRef} tabIndex={-1}>
          <div class="tl-grid" style={{ height: `${Math.max(layout.height, scroll.height)}px` }}>
            <LaneNames
              rows={rows}
              focus={focus}
              onFocus={(k) => ctl.setFocus(k)}
              onMenu={(key, x, y) => setLaneMenu({ key, x, y })}
              nameOf={(k, n) => laneDisplays[k]?.alias ?? n}
              onToggleGroup={(device) => {
                const n = new Set(collapsed);
                if (n.has(device)) n.delete(device);
                else n.add(device);
                setCollapsed(n);
              }}
            />
            <div class="tl-plotcol">
              <canvas ref={plotRef} class="tl-plot" data-testid="timing-canvas" style={{ height: `${scroll.height}px` }} />
              {empty && (
                <div class="tl-empty">
                  <b>No signals selected.</b>
                  <span>Pick signals in the sidebar (or from the log table's context menu) to draw their lanes.</span>
                </div>
              )}
            </div>
            <LaneValues rows={rows} values={ctl.valuesSig} counts={counts} focus={focus} />
          </div>
        </div>
        <TimeSlider ctl={ctl} />
        {!empty && <HoverTip ctl={ctl} />}
        <BookmarkTip ctl={ctl} axisRef={axisRef} />
        {panelOpen && <BookmarkPanel ctl={ctl} onClose={() => setPanelOpen(false)} />}
        {laneMenu && (
          <LaneMenu
            x={laneMenu.x}
            y={laneMenu.y}
            laneKey={laneMenu.key}
            type={types[laneMenu.key] ?? 'string'}
            display={laneDisplays[laneMenu.key]}
            onClose={() => setLaneMenu(null)}
            onHide={() => removeSelectedSignals([laneMenu.key])}
            onOnly={() => (selectedSignals.value = [laneMenu.key])}
            onDisplay={(d) => setDisplays(withDisplay(laneDisplays, laneMenu.key, d))}
            onEdit={() => setEditLane(laneMenu.key)}
            onCopy={() => {
              const v = ctl.valuesSig.peek().get(laneMenu.key);
              if (!v || !v.known) {
                setNotice('No value at the cursor to copy: place the cursor first.');
                return;
              }
              navigator.clipboard.writeText(v.text).then(() => setNotice(`Copied “${v.text}”`), showError);
            }}
          />
        )}
        {editLane && (
          <LaneDisplayDialog
            laneKey={editLane}
            name={splitKey(editLane).name}
            type={types[editLane] ?? 'string'}
            display={laneDisplays[editLane]}
            onClose={() => setEditLane(null)}
            onSave={(d) => setDisplays(withDisplay(laneDisplays, editLane, d))}
          />
        )}
      </div>
    </div>
  );
}
