// The timing diagram's engine: holds the viewport, lanes, cursor, hover,
// measurement and scroll position; turns mouse, wheel and keys into view
// changes; and draws once per requestAnimationFrame from the waveform cache
// (lane_model.ts decides, renderer.ts draws). Fetching is the cache's
// business and runs ahead of the view; a frame never waits for it.
//
// Owned by the TimingView component (one per mounted view); browser main
// thread only. Publishes what the DOM parts show through Preact signals.

import { signal } from '@preact/signals';
import type { SignalType, WaveValue } from '../../api/waveform';
import { timingTheme, type TimingTheme } from './colors';
import { LaneModel, buildLane, kDense, kGap, nearestChange, valueAtX } from './lane_model';
import { layoutLanes, visibleRows, type Layout, type LaneRow } from './lanes';
import type { FlagLabel } from './flag_labels';
import { Renderer } from './renderer';
import { laneColor, valueFormat, valueText, type LaneDisplays, type ValueFormat } from './lane_display';
import type { Scene, SceneGroup, SceneLane } from './svg_export';
import { chooseTicks } from './ticks';
import { formatClock, formatDateTime, formatDuration } from './time_format';
import {
  fitAll,
  panByPixels,
  panByTime,
  span,
  timeToX,
  wheelZoomFactor,
  xToTime,
  zoomAt,
  zoomToRange,
  clampView,
  centerOn,
  type Bounds,
  type TimeRange,
} from './viewport';
import { WaveCache, type WaveFetcher } from './wave_cache';
import { ZoomHistory } from './zoom_history';

export const kAxisHeight = 34;
const kSnapPx = 8;
const kDragThresholdPx = 3;

export interface Hover {
  readonly x: number;
  readonly t: number;
  readonly snapped: boolean;
  readonly laneKey: string | null;
  readonly y: number;
}

export interface Measure {
  readonly a: number;
  readonly b: number;
  readonly done: boolean;
}

export interface LaneValue {
  /** As the lane shows it (radix, enum names). */
  readonly text: string;
  /** As the signal has it (the default display, for condition terms); '' while not known. */
  readonly plain: string;
  readonly known: boolean;
  readonly dense: number;
}

export interface ControllerDeps {
  readonly fetcher: WaveFetcher;
  // Values at a time for signals the cache cannot answer (server /at-time).
  readonly atTime: (t: number, keys: string[], signal: AbortSignal) => Promise<Map<string, WaveValue>>;
  readonly onError: (e: unknown) => void;
}

// Frame statistics for the browser benchmark.
export interface FrameStats {
  frames: number;
  drawMs: number[];
  stamps: number[];
}

export class TimingController {
  readonly cache: WaveCache;
  private readonly renderer = new Renderer();
  private theme: TimingTheme = timingTheme(false);
  private plot: HTMLCanvasElement | null = null;
  private axis: HTMLCanvasElement | null = null;
  private raf = 0;
  private width = 0;
  private plotHeight = 0;
  private scrollTop = 0;
  private layout: Layout = { rows: [], height: 0, order: [] };
  private types: Readonly<Record<string, SignalType>> = {};
  private readonly models = new Map<string, LaneModel>();
  private displays: LaneDisplays = {};
  private readonly formats = new Map<string, ValueFormat>();
  private visibleLanes: LaneRow[] = [];
  bounds: Bounds = { min: 0, max: 1 };
  view: TimeRange = { start: 0, end: 1 };
  cursor: number | null = null;
  syncHover: number | null = null;
  bookmarks: readonly { time: number; name: string }[] = [];
  /** The bookmark flags drawn in the last frame and where their names went (hover, tests). */
  flagLabels: readonly FlagLabel[] = [];
  private hover: Hover | null = null;
  private measureState: Measure | null = null;
  private drag: { x0: number; y0: number; start: TimeRange; kind: 'pan' | 'measure' | 'maybe'; t0: number } | null = null;
  private atTimeCtl: AbortController | null = null;
  private atTimeTimer: ReturnType<typeof setTimeout> | null = null;
  private atTimeResult: { t: number; values: Map<string, WaveValue>; asked: Set<string> } | null = null;
  readonly stats: FrameStats = { frames: 0, drawMs: [], stamps: [] };
  private viewPublishedAt = 0;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;

  // What the DOM shows.
  readonly viewSig = signal<TimeRange>(this.view);
  readonly cursorSig = signal<number | null>(null);
  readonly hoverSig = signal<Hover | null>(null);
  readonly measureSig = signal<Measure | null>(null);
  readonly focusSig = signal<string | null>(null);
  readonly valuesSig = signal<ReadonlyMap<string, LaneValue>>(new Map());
  readonly loadingSig = signal<boolean>(false);
  // The zoom history (Undo / Redo of the window) and what it can do now.
  readonly history = new ZoomHistory();
  readonly historySig = signal<{ undo: boolean; redo: boolean }>({ undo: false, redo: false });
  // Run once after the next drawn frame (exports, actions queued while the view was hidden).
  private afterFrame: (() => void)[] = [];
  // What the last frame drew, for the image exports.
  private lastScene: Scene | null = null;
  // Called when the user places the cursor (click), for Sync.
  onCursorPlaced: ((t: number) => void) | null = null;

  constructor(private readonly deps: ControllerDeps) {
    this.cache = new WaveCache(deps.fetcher, { onData: () => this.schedule(), onError: deps.onError });
  }

  attach(plot: HTMLCanvasElement, axis: HTMLCanvasElement): void {
    this.plot = plot;
    this.axis = axis;
    this.schedule();
  }

  // The view was unmounted (another tab): stop drawing, keep the state and
  // the cache for when it comes back.
  detach(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.plot = null;
    this.axis = null;
    this.lastScene = null;
    this.hover = null;
    this.hoverSig.value = null;
    this.drag = null;
  }

  // The session went away: drop everything.
  dispose(): void {
    this.detach();
    this.cache.clear();
    this.atTimeCtl?.abort();
    if (this.atTimeTimer) clearTimeout(this.atTimeTimer);
  }

  setTheme(dark: boolean): void {
    this.theme = timingTheme(dark);
    this.schedule();
  }

  // The session's time range; a new range shows it all.
  setBounds(b: Bounds): void {
    if (b.min === this.bounds.min && b.max === this.bounds.max) return;
    this.bounds = b;
    this.cache.setBounds(b);
    this.setView(fitAll(b));
    this.history.clear();
    this.publishHistory();
  }

  setLayout(layout: Layout, types: Readonly<Record<string, SignalType>>): void {
    this.layout = layout;
    this.types = types;
    for (const k of [...this.models.keys()]) if (!layout.order.includes(k)) this.models.delete(k);
    this.schedule();
  }

  /** Each lane's display (radix, enum names, analog, colour, alias): lane_display.ts. */
  setDisplays(d: LaneDisplays): void {
    if (d === this.displays) return;
    this.displays = d;
    this.formats.clear();
    this.schedule();
  }

  /** The value text of a lane by its display. */
  formatOf(key: string, type: SignalType): ValueFormat {
    // By type too: a lane is laid out as a string until the catalog knows its type.
    const k = `${type}:${key}`;
    let f = this.formats.get(k);
    if (!f) this.formats.set(k, (f = valueFormat(type, this.displays[key])));
    return f;
  }

  /** A lane's shown name: its alias, else its signal name. */
  nameOf(key: string, name: string): string {
    return this.displays[key]?.alias ?? name;
  }

  setScroll(top: number, height: number): void {
    this.scrollTop = top;
    this.plotHeight = height;
    this.schedule();
  }

  // Sets the window without a zoom-history step (following Sync, a link, the
  // session's bounds). What the user does goes through navigate().
  setView(v: TimeRange): void {
    this.view = clampView(v, this.bounds);
    this.schedule();
  }

  // A window change the user made: one step of the zoom history, or part of
  // the step of a continuous `gesture` ('wheel', 'pan-key').
  navigate(v: TimeRange, gesture: string | null = null): void {
    const before = this.view;
    this.setView(v);
    this.history.record(before, this.view, gesture, performance.now());
    this.publishHistory();
  }

  // A drag that moved the window with setView() ended: the whole drag, from
  // the window it started at, is one step.
  recordDrag(start: TimeRange): void {
    this.history.record(start, this.view, null, performance.now());
    this.publishHistory();
  }

  // Back to the window before the last step; the window is restored exactly.
  undoZoom(): boolean {
    const v = this.history.undo(this.view);
    this.publishHistory();
    if (!v) return false;
    this.view = v;
    this.schedule();
    return true;
  }

  redoZoom(): boolean {
    const v = this.history.redo(this.view);
    this.publishHistory();
    if (!v) return false;
    this.view = v;
    this.schedule();
    return true;
  }

  private publishHistory(): void {
    const h = { undo: this.history.canUndo(), redo: this.history.canRedo() };
    const p = this.historySig.peek();
    if (p.undo !== h.undo || p.redo !== h.redo) this.historySig.value = h;
  }

  // Runs `fn` after the next drawn frame; `settled` > 0: after the first
  // frame whose visible lanes have no span still loading (or after `settled`
  // ms at most).
  whenDrawn(fn: () => void, settled = 0): void {
    const deadline = performance.now() + settled;
    const run = (): void => {
      if (settled > 0 && this.gapsShown() > 0 && performance.now() < deadline) {
        // Data arriving draws a frame; a timer does too, in case none comes.
        this.afterFrame.push(run);
        setTimeout(() => this.schedule(), 100);
      } else fn();
    };
    this.afterFrame.push(run);
    this.schedule();
  }

  isAttached(): boolean {
    return this.plot !== null;
  }

  // The last drawn frame and its canvases (PNG / SVG export), null when
  // the view is not shown.
  drawn(): { scene: Scene; plot: HTMLCanvasElement; axis: HTMLCanvasElement; theme: TimingTheme } | null {
    if (!this.plot || !this.axis || !this.lastScene) return null;
    return { scene: this.lastScene, plot: this.plot, axis: this.axis, theme: this.theme };
  }

  setCursor(t: number | null, fromUser: boolean): void {
    this.cursor = t;
    this.cursorSig.value = t;
    if (fromUser && t !== null) this.onCursorPlaced?.(t);
    this.refreshValues();
    this.schedule();
  }

  setMeasure(m: Measure | null): void {
    this.measureState = m;
    this.measureSig.value = m;
    this.schedule();
  }

  setFocus(key: string | null): void {
    this.focusSig.value = key;
    this.schedule();
  }

  // The time Ctrl+B and the searches start from.
  currentTime(): number {
    return this.cursor ?? this.hover?.t ?? (this.view.start + this.view.end) / 2;
  }

  schedule(): void {
    if (this.raf || !this.plot) return;
    this.raf = requestAnimationFrame((ts) => this.frame(ts));
  }

  private fitCanvas(c: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    if (w === 0 || h === 0) return null;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  private frame(ts: number): void {
    this.raf = 0;
    if (!this.plot || !this.axis) return;
    const t0 = performance.now();
    const p = this.fitCanvas(this.plot);
    const a = this.fitCanvas(this.axis);
    if (!p || !a) return;
    this.width = p.w;
    const h = p.h;
    const view = this.view;
    const { first, last } = visibleRows(this.layout, this.scrollTop, h);
    const lanes: SceneLane[] = [];
    const groups: SceneGroup[] = [];
    const visible: LaneRow[] = [];
    const focus = this.focusSig.peek();
    for (let i = first; i < last; i++) {
      const r = this.layout.rows[i]!;
      if (r.kind === 'group') {
        groups.push({ top: r.top - this.scrollTop, height: r.height, device: r.device, lanes: r.lanes, collapsed: r.collapsed });
        continue;
      }
      visible.push(r);
    }
    this.visibleLanes = visible;
    // Fetch ahead: the visible lanes and a screenful below.
    const ahead = visibleRows(this.layout, this.scrollTop + h, h);
    const want = visible.map((r) => r.key);
    for (let i = ahead.first; i < ahead.last; i++) {
      const r = this.layout.rows[i]!;
      if (r.kind === 'lane') want.push(r.key);
    }
    this.cache.beginFrame();
    this.cache.request(view, this.width, want);
    let laneIndex = 0;
    for (const r of visible) {
      let m = this.models.get(r.key);
      if (!m) this.models.set(r.key, (m = new LaneModel()));
      const d = this.displays[r.key];
      const analog = r.type === 'float' || (r.type === 'integer' && d?.analog === true);
      buildLane(m, this.cache.pieces(r.key, view, this.width), view, this.width, this.bounds, analog, analog ? 0 : r.type === 'boolean' ? 2 : 3);
      lanes.push({
        key: r.key,
        name: this.nameOf(r.key, r.name),
        device: r.device,
        type: r.type,
        top: r.top - this.scrollTop,
        height: r.height,
        model: m,
        focused: r.key === focus,
        index: laneIndex++,
        format: this.formatOf(r.key, r.type),
        analog: r.type === 'integer' && d?.analog === true,
        color: laneColor(d),
      });
    }
    this.updateHoverTime();
    const ticks = chooseTicks(view.start, view.end, this.width, 110);
    let hoverBox: { x: number; y: number; text: string } | null = null;
    const hl = this.hover && this.hover.laneKey ? lanes.find((l) => l.key === this.hover!.laneKey) : undefined;
    if (hl && (hl.type === 'float' || hl.analog) && this.hover && !this.drag) {
      const v = valueAtX(hl.model, this.hover.x);
      if (v.known) hoverBox = { x: this.hover.x, y: hl.top + 3, text: this.formatOf(hl.key, hl.type)(v.value) };
    }
    const overlays = {
      hoverBox,
      cursor: this.cursor,
      hover: this.hover ? this.hover.t : null,
      syncHover: this.syncHover,
      measure: this.measureState,
      bookmarks: this.bookmarks,
    };
    this.renderer.drawLanes(p.ctx, p.w, h, this.theme, view, lanes, groups, ticks.ticks, overlays);
    const digits = span(view) < 10 ? 6 : 3;
    this.flagLabels = this.renderer.drawAxis(a.ctx, a.w, a.h, this.theme, view, ticks.ticks, ticks.minorStepMs, overlays, {
      cursor: this.cursor !== null ? formatClock(this.cursor, digits) : null,
      hover: this.hover && !this.drag ? formatClock(this.hover.t, digits) : null,
      measure: this.measureState ? formatDuration(Math.abs(this.measureState.b - this.measureState.a)) : null,
    });
    this.lastScene = {
      view,
      plotWidth: p.w,
      lanesHeight: Math.max(0, Math.min(h, this.layout.height - this.scrollTop)),
      axisHeight: a.h,
      lanes,
      groups,
      ticks: ticks.ticks,
      minorStepMs: ticks.minorStepMs,
      cursor: this.cursor,
      measure: this.measureState,
      bookmarks: this.bookmarks,
    };
    this.publishView(view);
    this.loadingSig.value = this.cache.loading();
    this.refreshValues();
    if (this.afterFrame.length > 0) {
      const fns = this.afterFrame;
      this.afterFrame = [];
      for (const fn of fns) fn();
    }
    const dt = performance.now() - t0;
    this.stats.frames++;
    if (this.stats.drawMs.length < 100_000) {
      this.stats.drawMs.push(dt);
      this.stats.stamps.push(ts);
    }
  }

  // The toolbar and slider follow the view at most every 100 ms while it
  // moves (their DOM work would otherwise take a share of every frame), and
  // always end on the final view.
  private publishView(view: TimeRange): void {
    if (this.viewSig.peek() === view) return;
    const now = performance.now();
    if (now - this.viewPublishedAt >= 100) {
      this.viewPublishedAt = now;
      this.viewSig.value = view;
      return;
    }
    if (this.viewTimer) return;
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      this.viewPublishedAt = performance.now();
      this.viewSig.value = this.view;
    }, 100);
  }

  // ---- hover, snapping, values ----

  private laneAtY(y: number): LaneRow | null {
    const cy = y + this.scrollTop;
    for (const r of this.visibleLanes) if (cy >= r.top && cy < r.top + r.height) return r;
    return null;
  }

  private snapped(x: number, laneKey: string | null): { t: number; x: number; snapped: boolean } {
    if (laneKey) {
      const m = this.models.get(laneKey);
      const c = m ? nearestChange(m, x, kSnapPx) : null;
      if (c) return { t: c.t, x: c.x, snapped: true };
    }
    return { t: xToTime(this.view, this.width, x), x, snapped: false };
  }

  private updateHoverTime(): void {
    if (!this.hover) return;
    const s = this.snapped(this.hover.x, this.hover.laneKey);
    if (s.t !== this.hover.t) {
      this.hover = { ...this.hover, t: s.t, snapped: s.snapped };
      this.hoverSig.value = this.hover;
    }
  }

  setHover(x: number | null, y: number): void {
    if (x === null) {
      this.hover = null;
      this.hoverSig.value = null;
      this.schedule();
      return;
    }
    const lane = this.laneAtY(y);
    const s = this.snapped(x, lane?.key ?? null);
    this.hover = { x, t: s.t, snapped: s.snapped, laneKey: lane?.key ?? null, y };
    this.hoverSig.value = this.hover;
    this.schedule();
  }

  // Values of every laid-out lane at the hover time (else the cursor), from
  // the lane models where they are exact, else from the server (debounced).
  private refreshValues(): void {
    const t = this.hover?.t ?? this.cursor;
    const out = new Map<string, LaneValue>();
    if (t === null) {
      if (this.valuesSig.peek().size > 0) this.valuesSig.value = out;
      return;
    }
    const x = timeToX(this.view, this.width, t);
    const missing: string[] = [];
    const fromServer = this.atTimeResult && this.atTimeResult.t === t ? this.atTimeResult : null;
    for (const r of this.visibleLanes) {
      const m = this.models.get(r.key);
      let known = false;
      let text = '…';
      let plain = '';
      let dense = 0;
      if (m && x >= 0 && x <= this.width) {
        const v = valueAtX(m, x);
        if (v.known) {
          known = true;
          text = this.formatOf(r.key, r.type)(v.value);
          plain = valueText(v.value, r.type);
        } else {
          const i = m.spanAtX(x);
          if (i >= 0 && m.kind[i] === kDense) dense = m.count[i]!;
        }
      }
      if (!known && fromServer && fromServer.asked.has(r.key)) {
        // Asked the server: its value, or no sample at or before t.
        known = true;
        const sv = fromServer.values.get(r.key) ?? null;
        text = this.formatOf(r.key, r.type)(sv);
        plain = valueText(sv, r.type);
      }
      if (!known) missing.push(r.key);
      out.set(r.key, { text, plain, known, dense });
    }
    const prev = this.valuesSig.peek();
    let same = prev.size === out.size;
    if (same) {
      for (const [k, v] of out) {
        const p = prev.get(k);
        if (!p || p.text !== v.text || p.dense !== v.dense) {
          same = false;
          break;
        }
      }
    }
    if (!same) this.valuesSig.value = out;
    if (missing.length > 0) this.requestAtTime(t, missing);
  }

  private requestAtTime(t: number, keys: string[]): void {
    if (this.atTimeTimer) clearTimeout(this.atTimeTimer);
    this.atTimeTimer = setTimeout(() => {
      this.atTimeCtl?.abort();
      const ctl = new AbortController();
      this.atTimeCtl = ctl;
      this.deps.atTime(t, keys, ctl.signal).then(
        (values) => {
          if (ctl.signal.aborted) return;
          const prev = this.atTimeResult && this.atTimeResult.t === t ? this.atTimeResult : null;
          const asked = new Set(prev ? [...prev.asked, ...keys] : keys);
          const merged = prev ? new Map([...prev.values, ...values]) : values;
          this.atTimeResult = { t, values: merged, asked };
          this.refreshValues();
        },
        (e: unknown) => {
          if (!ctl.signal.aborted) this.deps.onError(e);
        },
      );
    }, 90);
  }

  // ---- mouse and wheel (coordinates relative to the plot canvas) ----

  onWheel(e: WheelEvent, x: number): void {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      this.navigate(zoomAt(this.view, this.width, x, wheelZoomFactor(dy), this.bounds), 'wheel');
      return;
    }
    const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
    if (dx !== 0 && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))) {
      e.preventDefault();
      this.navigate(panByPixels(this.view, this.width, -dx, this.bounds), 'wheel-pan');
    }
  }

  onPointerDown(x: number, y: number, shift: boolean): void {
    this.drag = { x0: x, y0: y, start: this.view, kind: shift ? 'measure' : 'maybe', t0: this.snapped(x, this.laneAtY(y)?.key ?? null).t };
    if (shift) this.setMeasure({ a: this.drag.t0, b: this.drag.t0, done: false });
    const lane = this.laneAtY(y);
    if (lane) this.setFocus(lane.key);
  }

  onPointerMove(x: number, y: number): void {
    const d = this.drag;
    if (d) {
      if (d.kind === 'maybe' && Math.abs(x - d.x0) > kDragThresholdPx) d.kind = 'pan';
      if (d.kind === 'pan') {
        this.view = clampView(panByPixels(d.start, this.width, x - d.x0, this.bounds), this.bounds);
        this.schedule();
      } else if (d.kind === 'measure') {
        const t = this.snapped(x, this.laneAtY(y)?.key ?? null).t;
        this.setMeasure({ a: d.t0, b: t, done: false });
      }
    }
    this.setHover(x, y);
  }

  // Returns the finished measurement, if this ends one.
  onPointerUp(x: number, y: number): Measure | null {
    const d = this.drag;
    this.drag = null;
    if (!d) return null;
    if (d.kind === 'maybe') {
      this.setCursor(this.snapped(x, this.laneAtY(y)?.key ?? null).t, true);
      return null;
    }
    if (d.kind === 'pan') this.recordDrag(d.start);
    if (d.kind === 'measure') {
      const m = this.measureState;
      if (m && Math.abs(timeToX(this.view, this.width, m.b) - timeToX(this.view, this.width, m.a)) >= 2) {
        const done = { a: Math.min(m.a, m.b), b: Math.max(m.a, m.b), done: true };
        this.setMeasure(done);
        return done;
      }
      this.setMeasure(null);
    }
    this.schedule();
    return null;
  }

  // ---- navigation helpers for the toolbar and keys ----

  zoomCenter(factor: number): void {
    const x = this.cursor !== null ? timeToX(this.view, this.width, this.cursor) : this.width / 2;
    const anchor = x >= 0 && x <= this.width ? x : this.width / 2;
    this.navigate(zoomAt(this.view, this.width, anchor, factor, this.bounds));
  }

  // Arrow keys: held keys repeat, and a run of them is one step.
  panFraction(f: number): void {
    this.navigate(panByTime(this.view, span(this.view) * f, this.bounds), 'pan-key');
  }

  zoomToMeasure(): void {
    const m = this.measureState;
    if (m) this.navigate(zoomToRange(m.a, m.b, this.bounds));
  }

  // A click on the time axis at x (CSS px from the axis' left edge; the axis
  // draws the view over its own width): that time moves to the middle, the
  // zoom stays.
  centerAtX(x: number): void {
    const w = this.axis?.clientWidth || this.width;
    if (w <= 0) return;
    this.navigate(centerOn(this.view, xToTime(this.view, w, x), this.bounds));
  }

  plotWidth(): number {
    return this.width;
  }

  // Lanes drawn in the last frame (benchmarks and browser tests).
  lanesShown(): number {
    return this.visibleLanes.length;
  }

  // Not-yet-loaded spans drawn in the last frame.
  gapsShown(): number {
    let n = 0;
    for (const r of this.visibleLanes) {
      const m = this.models.get(r.key);
      if (!m) continue;
      for (let i = 0; i < m.size; i++) if (m.kind[i] === kGap) n++;
    }
    return n;
  }

  // For the tooltip.
  describeHover(): { time: string; lane: string | null; value: string | null } | null {
    const h = this.hover;
    if (!h) return null;
    const lane = h.laneKey ? this.visibleLanes.find((r) => r.key === h.laneKey) : undefined;
    const v = h.laneKey ? this.valuesSig.peek().get(h.laneKey) : undefined;
    return {
      time: formatDateTime(h.t, span(this.view) < 10 ? 6 : 3),
      lane: lane ? this.nameOf(lane.key, lane.name) : null,
      value: v ? (v.dense > 0 && !v.known ? `${v.dense} changes here` : v.text) : null,
    };
  }
}

export function buildLayout(selected: readonly string[], types: Readonly<Record<string, SignalType>>, collapsed: ReadonlySet<string>, laneHeight: number): Layout {
  return layoutLanes(selected, types, collapsed, laneHeight);
}
