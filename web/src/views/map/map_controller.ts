// The Map view's engine: holds the pan/zoom transform and the SVG handles of
// the loaded layout; runs the frame loop (advance the playback clock, bring the
// feed to the playback time, draw through the renderer, keep a followed
// carrier in view, publish the time to the other views while playing); and
// turns drag, wheel, clicks and keys into view changes. A frame never waits
// for the network: map_feed.ts fetches, map_renderer.ts draws.
//
// Owned by the MapView component (one per mounted view); browser main thread
// only. Publishes what the DOM parts show through the signals of map_state.ts.

import { cursorTime, syncEnabled } from '../../state/selection';
import { sessionId } from '../../state/session';
import type { ColorMode } from './colors';
import { FrameStats } from './frame_stats';
import { centerOn, fitTransform, panBy, unitCenter, zoomAt, type ViewTransform } from './layout_model';
import { collectHandles, type UnitHandles } from './map_canvas';
import { MapFeed } from './map_feed';
import { MapRenderer } from './map_renderer';
import {
  badges,
  carrierIds,
  carrierLog,
  clock,
  colorMode,
  details,
  follow,
  frameInfo,
  layout,
  model,
  playTime,
  playing,
  rules,
  selectedUnit,
} from './map_state';

/** Frame work times of the last frames, for the status line and tests. */
const frameStats = new FrameStats(600);
declare global {
  interface Window {
    __plcscopeMap?: { frames: number; avgMs: number; p95Ms: number; maxMs: number; units: number; t: number };
  }
}

interface ElementRef<T> {
  readonly current: T | null;
}

export class MapController {
  private tr: ViewTransform = { scale: 1, tx: 0, ty: 0 };
  private handles: UnitHandles | null = null;
  /** Draw the next frame even when nothing moved. */
  private forceFrame = true;
  /** The time this view last wrote to cursorTime (not to be followed back). */
  private lastPublished: number | null = null;
  private drag: { x: number; y: number; moved: boolean } | null = null;

  constructor(
    private readonly svgRef: ElementRef<SVGSVGElement>,
    private readonly worldRef: ElementRef<SVGGElement>,
  ) {}

  fit(): void {
    const svg = this.svgRef.current;
    const m = model.peek();
    if (!svg || !m) return;
    this.tr = fitTransform(m.bounds, svg.clientWidth, svg.clientHeight);
    this.applyTransform();
  }

  reset(): void {
    this.tr = { scale: 1, tx: 0, ty: 0 };
    this.applyTransform();
  }

  /** Moves the playback to t and publishes it when Sync is on. */
  seek(t: number): void {
    clock.seek(t);
    playTime.value = clock.t;
    this.forceFrame = true;
    if (syncEnabled.peek()) {
      this.lastPublished = clock.t;
      cursorTime.value = clock.t;
    }
  }

  /** The play/pause button: pausing publishes the time. */
  togglePlay(): void {
    clock.toggle();
    playing.value = clock.playing;
    if (!clock.playing) this.seek(clock.t);
  }

  /** A new playback range [t0, t1]: the first one starts at the shared cursor. */
  setRange(t0: number, t1: number): void {
    const fresh = clock.start === 0 && clock.end === 0;
    clock.setRange(t0, t1);
    if (fresh) clock.seek(cursorTime.peek() ?? t0);
    playTime.value = clock.t;
    this.forceFrame = true;
  }

  /** Follows the other views' time (Sync on, not playing). */
  followCursor(t: number | null): void {
    if (t === null || t === this.lastPublished || !syncEnabled.peek() || clock.playing) return;
    clock.seek(t);
    playTime.value = clock.t;
    this.forceFrame = true;
  }

  /** A new layout was rendered into `staticLayer`: collects its handles and fits. */
  attachLayout(staticLayer: SVGGElement): void {
    this.handles = collectHandles(staticLayer);
    this.fit();
    this.forceFrame = true;
  }

  /** Starts the frame loop; returns its stop function. */
  start(): () => void {
    let raf = 0;
    let last = performance.now();
    let lastPublish = 0;
    let lastMode: ColorMode = colorMode.peek();
    let lastFollow: string | null = null;
    let lastRules = rules.peek();
    let lastLayout = layout.peek();
    const renderer = new MapRenderer();
    const feed = new MapFeed(rules.peek()?.defaultColor ?? '#D3D3D3', clock, {
      changed: () => (this.forceFrame = true),
      carriers: (ids) => (carrierIds.value = ids),
    });

    const frame = (now: number) => {
      raf = requestAnimationFrame(frame);
      const dt = now - last;
      last = now;
      const moved = clock.tick(dt);
      if (playing.peek() !== clock.playing) playing.value = clock.playing;
      const mdl = model.peek();
      const h = this.handles;
      const mode = colorMode.peek();
      const fol = follow.peek();
      // New layout or rules (Load map, uploads): colour the same instant again.
      if (rules.peek() !== lastRules || layout.peek() !== lastLayout) {
        lastRules = rules.peek();
        lastLayout = layout.peek();
        feed.invalidateState();
        this.forceFrame = true;
      }
      if (!moved && !this.forceFrame && mode === lastMode && fol === lastFollow) return;
      const work0 = performance.now();
      this.forceFrame = false;
      lastMode = mode;
      lastFollow = fol;
      const t = clock.t;
      playTime.value = t;
      // Carriers: replay the window locally, fetch the next one ahead of time.
      feed.update(t, `${sessionId.peek()}|${carrierLog.peek()?.sessionId}|${carrierLog.peek()?.status}`);
      if (mdl && h) {
        const positions = feed.positions;
        const followedUnit = fol ? positions.get(fol)?.unitId : undefined;
        const list = renderer.draw({
          model: mdl,
          handles: h,
          positions,
          mode,
          defaultColor: feed.defaultColor,
          ruleStates: feed.ruleStates,
          selectedUnit: selectedUnit.peek(),
          followedUnit,
        });
        if (list) badges.value = list;
        const svg = this.svgRef.current;
        if (followedUnit && svg) {
          const c = unitCenter(mdl, followedUnit);
          if (c) {
            this.tr = centerOn(this.tr, c[0], c[1], svg.clientWidth, svg.clientHeight);
            this.applyTransform();
          }
        }
      }
      if (clock.playing && syncEnabled.peek() && now - lastPublish > 1000) {
        lastPublish = now;
        this.lastPublished = t;
        cursorTime.value = t;
      }
      const s = frameStats.add(performance.now() - work0);
      window.__plcscopeMap = { ...s, units: mdl?.units.size ?? 0, t };
      // Frame times are for the benchmark (window.__plcscopeMap), not the toolbar.
      const units = `${mdl?.units.size ?? 0} units`;
      if (frameInfo.peek() !== units) frameInfo.value = units;
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      feed.close();
    };
  }

  /** Keys: Space play/pause, arrows ±10 s (not while typing in a field). */
  onKey = (e: KeyboardEvent): void => {
    const el = e.target as HTMLElement | null;
    if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) return;
    if (e.key === ' ') {
      clock.toggle();
      playing.value = clock.playing;
      this.forceFrame = true;
      e.preventDefault();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      this.seek(clock.t + (e.key === 'ArrowLeft' ? -10_000 : 10_000));
      e.preventDefault();
    }
  };

  // Pan by drag, zoom at the mouse, click a unit.
  onPointerDown = (e: PointerEvent): void => {
    this.drag = { x: e.clientX, y: e.clientY, moved: false };
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
  };

  onPointerMove = (e: PointerEvent): void => {
    const d = this.drag;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 3) return;
    d.moved = true;
    d.x = e.clientX;
    d.y = e.clientY;
    follow.value = null;
    this.tr = panBy(this.tr, dx, dy);
    this.applyTransform();
  };

  onPointerUp = (e: PointerEvent): void => {
    const d = this.drag;
    this.drag = null;
    if (d && !d.moved) {
      const hit = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.closest('g[data-unit]'));
      const g = hit?.closest<SVGGElement>('g[data-unit]');
      const id = g?.dataset.unit ?? null;
      if (id !== selectedUnit.peek()) details.value = null;
      selectedUnit.value = id;
      this.forceFrame = true;
      if (this.handles) this.handles.last.clear();
    }
  };

  onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const r = this.svgRef.current!.getBoundingClientRect();
    this.tr = zoomAt(this.tr, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    this.applyTransform();
  };

  private applyTransform(): void {
    const t = this.tr;
    this.worldRef.current?.setAttribute('transform', `translate(${t.tx} ${t.ty}) scale(${t.scale})`);
  }
}
