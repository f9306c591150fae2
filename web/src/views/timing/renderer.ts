// Canvas drawing of the timing diagram, uPlot-style: lanes are turned into a
// handful of Path2D objects (one per style: wave lines, high fills, dense
// bands, value boxes per palette color, analog lines, envelopes, gaps) and
// each is filled or stroked once per frame. Draws synchronously from lane
// models already built from cached data; never fetches. Not thread-safe.

import type { TimingTheme } from './colors';
import { valueColorIndex } from './colors';
import { kDense, kGap, type LaneModel } from './lane_model';
import type { SignalType } from '../../api/types';
import type { Tick } from './ticks';
import type { TimeRange } from './viewport';
import { layoutFlagLabels, type Flag, type FlagLabel } from './flag_labels';
import { valueText, type ValueFormat } from './lane_display';

export { valueText };

export interface LaneDraw {
  readonly key: string;
  readonly type: SignalType;
  readonly top: number;
  readonly height: number;
  readonly model: LaneModel;
  readonly focused: boolean;
  readonly index: number;
  /** The lane's value text (radix, enum names); default: valueText by type. */
  readonly format?: ValueFormat;
  /** An integer lane drawn as an analog line. */
  readonly analog?: boolean;
  /** The lane's own colour (CSS), else the theme's. */
  readonly color?: string | null;
}

export interface GroupDraw {
  readonly top: number;
  readonly height: number;
}

export interface Overlays {
  readonly cursor: number | null;
  readonly hover: number | null;
  readonly syncHover: number | null;
  readonly measure: { readonly a: number; readonly b: number } | null;
  readonly bookmarks: readonly { readonly time: number; readonly name: string }[];
  // The hovered lane's value, boxed next to the cursor (float lanes).
  readonly hoverBox?: { readonly x: number; readonly y: number; readonly text: string } | null;
}

const kFlagFont = '600 10.5px system-ui, sans-serif';
// Where lane shapes go: a canvas Path2D, or the SVG export's path (svg_export.ts).
export interface PathSink {
  rect(x: number, y: number, w: number, h: number): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
}

// One path per drawing style; filled (analog: stroked) in this order, so
// that the canvas and the SVG export stack them alike.
export interface LanePaths<P extends PathSink> {
  gap: P;
  waveFill: P;
  boxOutline: P;
  boxes: P[];
  busy: P;
  envelope: P;
  dense: P;
  wave: P;
  analog: P;
  none: P;
  /** The shapes of lanes with their own colour, by colour (boxes: one fill). */
  tints: Map<string, LanePaths<P>>;
  make: () => P;
}

export interface LaneLabel {
  x: number;
  y: number;
  text: string;
  maxW: number;
}

export function makeLanePaths<P extends PathSink>(theme: TimingTheme, make: () => P): LanePaths<P> {
  return {
    gap: make(),
    waveFill: make(),
    boxOutline: make(),
    boxes: theme.boxFills.map(() => make()),
    busy: make(),
    envelope: make(),
    dense: make(),
    wave: make(),
    analog: make(),
    none: make(),
    tints: new Map(),
    make,
  };
}

function tintPaths<P extends PathSink>(p: LanePaths<P>, color: string): LanePaths<P> {
  let t = p.tints.get(color);
  if (!t) {
    const m = p.make;
    t = { gap: m(), waveFill: m(), boxOutline: m(), boxes: [m()], busy: m(), envelope: m(), dense: m(), wave: m(), analog: m(), none: m(), tints: new Map(), make: m };
    p.tints.set(color, t);
  }
  return t;
}

// `#rrggbb` with an alpha, as rgba().
function withAlpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${a})`;
}

// `a` over `b` at weight w (both `#rrggbb`): an opaque tint, since a box's fill lies over its outline.
function mix(a: string, b: string, w: number): string {
  const pa = /^#([0-9a-f]{6})$/i.exec(a);
  const pb = /^#([0-9a-f]{6})$/i.exec(b);
  if (!pa || !pb) return withAlpha(a, w);
  const x = parseInt(pa[1]!, 16);
  const y = parseInt(pb[1]!, 16);
  let out = '#';
  for (const sh of [16, 8, 0]) {
    const c = Math.round(((x >> sh) & 255) * w + ((y >> sh) & 255) * (1 - w));
    out += c.toString(16).padStart(2, '0');
  }
  return out;
}

/** The theme a lane of its own colour is drawn with (its shapes in the colour, boxes one tint of it). */
export function tintTheme(theme: TimingTheme, color: string): TimingTheme {
  return {
    ...theme,
    wave: color,
    dense: color,
    analog: color,
    waveFill: withAlpha(color, 0.18),
    envelope: withAlpha(color, 0.25),
    boxFills: [mix(color, theme.background, 0.3)],
    busy: withAlpha(color, 0.8),
  };
}

// The shapes of every lane (w: the plot's width in CSS px) into `p`, and the
// value labels that may fit into `labels`.
export function laneShapes<P extends PathSink>(lanes: readonly LaneDraw[], w: number, theme: TimingTheme, p: LanePaths<P>, labels: LaneLabel[]): void {
  for (const l of lanes) {
    const m = l.model;
    for (let i = 0; i < m.size; i++) {
      if (m.kind[i] !== kGap) continue;
      const x0 = clip(m.x0[i]!, w);
      p.gap.rect(x0, l.top + 1, clip(m.x1[i]!, w) - x0, l.height - 2);
    }
    const q = l.color ? tintPaths(p, l.color) : p;
    if (l.type === 'boolean') boolLane(l, w, q);
    else if (l.type === 'float' || (l.type === 'integer' && l.analog)) floatLane(l, w, q);
    else boxLane(l, w, q.boxes.length, q, labels);
  }
}

// A label cut to its width (with an ellipsis), or null when not even that fits.
export function fitLabel(text: string, maxW: number, width: (s: string) => number): string | null {
  if (width(text) <= maxW) return text;
  if (maxW <= 24) return null;
  let s = text;
  while (s.length > 1 && width(s + '…') > maxW) s = s.slice(0, Math.max(1, Math.floor(s.length * 0.8)));
  return s + '…';
}

const kFont = '11.5px ui-monospace, "SF Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
const kAxisFont = '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

// Widths of label texts, measured once.
class TextWidths {
  private readonly map = new Map<string, number>();
  constructor(private readonly ctx: CanvasRenderingContext2D) {}
  width(s: string): number {
    let w = this.map.get(s);
    if (w === undefined) {
      if (this.map.size > 20_000) this.map.clear();
      w = this.ctx.measureText(s).width;
      this.map.set(s, w);
    }
    return w;
  }
}

function clip(x: number, w: number): number {
  return x < -2 ? -2 : x > w + 2 ? w + 2 : x;
}

function boolLane(l: LaneDraw, w: number, p: LanePaths<PathSink>): void {
  const m = l.model;
  const pad = Math.max(3, Math.round(l.height * 0.2));
  const lw = 2;
  const yHi = Math.round(l.top + pad);
  const yLo = Math.round(l.top + l.height - pad) - lw;
  let prevY: number | null = null;
  for (let i = 0; i < m.size; i++) {
    const x0 = clip(m.x0[i]!, w);
    const x1 = clip(m.x1[i]!, w);
    const k = m.kind[i]!;
    if (k === kGap) {
      prevY = null;
      continue;
    }
    if (k === kDense) {
      p.dense.rect(Math.floor(x0), yHi, Math.max(1, Math.ceil(x1) - Math.floor(x0)), yLo + lw - yHi);
      prevY = null;
      continue;
    }
    const v = m.v[i]!;
    if (v === null) {
      p.none.rect(x0, Math.round(l.top + l.height / 2), x1 - x0, 1);
      prevY = null;
      continue;
    }
    const high = v !== 0 && v !== '0' && v !== 'false';
    const y = high ? yHi : yLo;
    const xe = Math.round(x0);
    // The edge: a full-height bar, so a pulse shorter than a pixel shows.
    if (prevY !== null && prevY !== y) p.wave.rect(xe - 1, yHi, lw, yLo + lw - yHi);
    p.wave.rect(x0, y, Math.max(x1 - x0, 0.5), lw);
    if (high) p.waveFill.rect(x0, yHi + lw, Math.max(1, x1 - x0), yLo - yHi - lw);
    prevY = y;
  }
}

function boxLane(l: LaneDraw, w: number, n: number, p: LanePaths<PathSink>, labels: LaneLabel[]): void {
  const m = l.model;
  const pad = Math.max(3, Math.round(l.height * 0.18));
  const yT = Math.round(l.top + pad) + 0.5;
  const yB = Math.round(l.top + l.height - pad) - 0.5;
  const ym = (yT + yB) / 2;
  for (let i = 0; i < m.size; i++) {
    const x0 = clip(m.x0[i]!, w);
    const x1 = clip(m.x1[i]!, w);
    const k = m.kind[i]!;
    if (k === kGap) continue;
    if (k === kDense) {
      p.busy.rect(Math.floor(x0), yT, Math.max(1, Math.ceil(x1) - Math.floor(x0)), yB - yT);
      continue;
    }
    const v = m.v[i]!;
    if (v === null) {
      p.none.rect(x0, Math.round(ym), x1 - x0, 1);
      continue;
    }
    const bw = x1 - x0;
    const path = p.boxes[valueColorIndex(v, n)]!;
    if (bw < 4) {
      // Too narrow for a shape or a label: a plain bar of the value's color.
      path.rect(x0, yT, Math.max(bw, 0.5), yB - yT);
      continue;
    }
    const c = Math.min(3, bw / 2, (yB - yT) / 2);
    // The outline is the shape filled in the outline color, the value's
    // color filled 1 px inside it.
    const shape = (q: PathSink, a: number, b: number, t: number, u: number): void => {
      q.moveTo(a, ym);
      q.lineTo(a + c, t);
      q.lineTo(b - c, t);
      q.lineTo(b, ym);
      q.lineTo(b - c, u);
      q.lineTo(a + c, u);
      q.closePath();
    };
    shape(p.boxOutline, x0 - 0.5, x1 + 0.5, yT - 0.5, yB + 0.5);
    shape(path, x0 + 0.5, x1 - 0.5, yT + 0.5, yB - 0.5);
    const lx = Math.max(x0, 0) + c + 3;
    const maxW = Math.min(x1, w) - c - 3 - lx;
    if (maxW > 6 && l.height >= 18) labels.push({ x: lx, y: ym + 0.5, text: l.format ? l.format(v) : valueText(v, l.type), maxW });
  }
}

function floatLane(l: LaneDraw, w: number, p: LanePaths<PathSink>): void {
  const m = l.model;
  const pad = Math.max(3, Math.round(l.height * 0.14));
  const top = l.top + pad;
  const bottom = l.top + l.height - pad;
  let lo = m.lo;
  let hi = m.hi;
  if (!(lo <= hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-12) {
    lo -= 1;
    hi += 1;
  }
  const y = (v: number): number => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
  let prevY: number | null = null;
  for (let i = 0; i < m.size; i++) {
    const x0 = clip(m.x0[i]!, w);
    const x1 = clip(m.x1[i]!, w);
    const k = m.kind[i]!;
    if (k === kGap) {
      prevY = null;
      continue;
    }
    if (k === kDense) {
      const a = y(m.max[i]!);
      const b = y(m.min[i]!);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        const xa = Math.floor(x0);
        const xb = Math.max(xa + 1, Math.ceil(x1));
        p.envelope.rect(xa, a - 0.5, xb - xa, Math.max(1, b - a + 1));
        const vy = typeof m.v[i] === 'number' ? y(m.v[i] as number) : null;
        // The line runs from the value before the column to the value after it.
        if (vy !== null) {
          if (prevY !== null) p.analog.moveTo(x0, prevY);
          else p.analog.moveTo(x0, vy);
          p.analog.lineTo(x1, vy);
        }
        prevY = vy;
      } else {
        prevY = null;
      }
      continue;
    }
    const v = m.v[i]!;
    if (typeof v !== 'number') {
      p.none.rect(x0, Math.round(l.top + l.height / 2), x1 - x0, 1);
      prevY = null;
      continue;
    }
    const yy = y(v);
    if (prevY !== null) {
      p.analog.moveTo(x0, prevY);
      p.analog.lineTo(x0, yy);
    } else {
      p.analog.moveTo(x0, yy);
    }
    p.analog.moveTo(x0, yy);
    p.analog.lineTo(x1, yy);
    prevY = yy;
  }
}

// The lane paths (but the gaps) filled and stroked in their theme's colours.
function fillLanePaths(ctx: CanvasRenderingContext2D, theme: TimingTheme, p: LanePaths<Path2D>): void {
  ctx.fillStyle = theme.waveFill;
  ctx.fill(p.waveFill);
  ctx.fillStyle = theme.boxStroke;
  ctx.fill(p.boxOutline);
  p.boxes.forEach((path, i) => {
    ctx.fillStyle = theme.boxFills[i]!;
    ctx.fill(path);
  });
  ctx.fillStyle = theme.busy;
  ctx.fill(p.busy);
  ctx.fillStyle = theme.envelope;
  ctx.fill(p.envelope);
  ctx.fillStyle = theme.dense;
  ctx.fill(p.dense);
  ctx.fillStyle = theme.wave;
  ctx.fill(p.wave);
  ctx.strokeStyle = theme.analog;
  ctx.lineWidth = 1.25;
  ctx.stroke(p.analog);
  ctx.fillStyle = theme.none;
  ctx.fill(p.none);
}

export class Renderer {
  private widths: TextWidths | null = null;
  private hatch: CanvasPattern | null = null;
  private hatchFor: CanvasRenderingContext2D | null = null;

  private gapPattern(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
    if (this.hatch && this.hatchFor === ctx) return this.hatch;
    if (typeof document === 'undefined') return color;
    const c = document.createElement('canvas');
    c.width = 8;
    c.height = 8;
    const g = c.getContext('2d');
    if (!g) return color;
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(0, 8);
    g.lineTo(8, 0);
    g.stroke();
    this.hatch = ctx.createPattern(c, 'repeat');
    this.hatchFor = ctx;
    return this.hatch ?? color;
  }

  // Draws lanes and overlays on a canvas of w x h CSS pixels.
  drawLanes(
    ctx: CanvasRenderingContext2D,
    w: number,
    h: number,
    theme: TimingTheme,
    view: TimeRange,
    lanes: readonly LaneDraw[],
    groups: readonly GroupDraw[],
    grid: readonly Tick[],
    overlays: Overlays,
  ): void {
    if (!this.widths) this.widths = new TextWidths(ctx);
    ctx.save();
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, w, h);
    const tx = (t: number): number => ((t - view.start) / (view.end - view.start)) * w;

    for (const l of lanes) {
      if (l.focused) ctx.fillStyle = theme.laneFocus;
      else if (l.index % 2 === 1) ctx.fillStyle = theme.laneAlt;
      else continue;
      ctx.fillRect(0, l.top, w, l.height);
    }
    ctx.fillStyle = theme.groupBg;
    for (const g of groups) ctx.fillRect(0, g.top, w, g.height);

    // Grid lines at the axis ticks.
    // Lines are pixel-aligned rectangle fills throughout: the software
    // rasterizer strokes thousands of segments ~5x slower than it fills.
    ctx.fillStyle = theme.grid;
    for (const t of grid) ctx.fillRect(Math.round(tx(t.t)), 0, 1, h);
    ctx.fillStyle = theme.separator;
    for (const l of lanes) ctx.fillRect(0, Math.round(l.top + l.height) - 1, w, 1);

    const p = makeLanePaths(theme, () => new Path2D());
    const labels: LaneLabel[] = [];
    ctx.font = kFont;
    laneShapes(lanes, w, theme, p, labels);
    ctx.fillStyle = this.gapPattern(ctx, theme.gap);
    ctx.fill(p.gap);
    fillLanePaths(ctx, theme, p);
    for (const [c, t] of p.tints) fillLanePaths(ctx, tintTheme(theme, c), t);
    ctx.fillStyle = theme.boxText;
    ctx.textBaseline = 'middle';
    const widths = this.widths;
    for (const lb of labels) {
      const text = fitLabel(lb.text, lb.maxW, (t) => widths.width(t));
      if (text !== null) ctx.fillText(text, lb.x, lb.y);
    }
    this.overlays(ctx, w, h, theme, tx, overlays);
    ctx.restore();
  }

  private overlays(ctx: CanvasRenderingContext2D, w: number, h: number, theme: TimingTheme, tx: (t: number) => number, o: Overlays): void {
    if (o.measure) {
      const a = tx(Math.min(o.measure.a, o.measure.b));
      const b = tx(Math.max(o.measure.a, o.measure.b));
      ctx.fillStyle = theme.measure;
      ctx.fillRect(a, 0, Math.max(1, b - a), h);
      ctx.strokeStyle = theme.measureEdge;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(a) + 0.5, 0);
      ctx.lineTo(Math.round(a) + 0.5, h);
      ctx.moveTo(Math.round(b) + 0.5, 0);
      ctx.lineTo(Math.round(b) + 0.5, h);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const vline = (t: number | null, color: string, width: number, dash: number[]): void => {
      if (t === null) return;
      const x = tx(t);
      if (x < -1 || x > w + 1) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(Math.round(x) + 0.5, 0);
      ctx.lineTo(Math.round(x) + 0.5, h);
      ctx.stroke();
      ctx.setLineDash([]);
    };
    for (const b of o.bookmarks) vline(b.time, theme.bookmark, 1, [2, 3]);
    vline(o.syncHover, theme.syncHover, 1.5, [5, 3]);
    vline(o.cursor, theme.cursor, 1.5, []);
    vline(o.hover, theme.hover, 1, [3, 3]);
    const hb = o.hoverBox;
    if (hb) {
      ctx.font = kFont;
      const tw = ctx.measureText(hb.text).width + 10;
      const left = hb.x + 8 + tw > w ? hb.x - 8 - tw : hb.x + 8;
      ctx.fillStyle = theme.analog;
      ctx.beginPath();
      ctx.roundRect(left, hb.y, tw, 17, 3);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ctx.textBaseline = 'middle';
      ctx.fillText(hb.text, left + 5, hb.y + 9);
    }
  }

  // The time axis: tick labels, minor marks, date, bookmark flags and cursor
  // labels, on a canvas of w x h CSS pixels. Returns where the flags' names went.
  drawAxis(
    ctx: CanvasRenderingContext2D,
    w: number,
    h: number,
    theme: TimingTheme,
    view: TimeRange,
    ticks: readonly Tick[],
    minorStepMs: number,
    o: Overlays,
    labels: { cursor: string | null; hover: string | null; measure: string | null },
  ): FlagLabel[] {
    const tx = (t: number): number => ((t - view.start) / (view.end - view.start)) * w;
    ctx.save();
    ctx.fillStyle = theme.axisBg;
    ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = theme.separator;
    ctx.beginPath();
    ctx.moveTo(0, h - 0.5);
    ctx.lineTo(w, h - 0.5);
    ctx.stroke();
    // Minor marks.
    const minor = new Path2D();
    if (minorStepMs > 0 && (view.end - view.start) / minorStepMs < w / 3) {
      const first = Math.ceil(view.start / minorStepMs);
      for (let k = first; k * minorStepMs <= view.end; k++) {
        const x = Math.round(tx(k * minorStepMs)) + 0.5;
        minor.moveTo(x, h - 4);
        minor.lineTo(x, h);
      }
    }
    ctx.strokeStyle = theme.muted;
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.6;
    ctx.stroke(minor);
    ctx.globalAlpha = 1;
    const major = new Path2D();
    ctx.font = kAxisFont;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = theme.text;
    for (const t of ticks) {
      const x = Math.round(tx(t.t)) + 0.5;
      major.moveTo(x, h - 9);
      major.lineTo(x, h);
      ctx.font = t.major ? `600 ${kAxisFont}` : kAxisFont;
      if (x + 4 + ctx.measureText(t.label).width <= w) ctx.fillText(t.label, x + 4, h - 16);
    }
    ctx.strokeStyle = theme.text;
    ctx.stroke(major);

    // Flags, then their names where they do not run into the next flag (flag_labels.ts).
    const flags: Flag[] = [];
    for (const b of o.bookmarks) {
      const x = tx(b.time);
      if (x < -60 || x > w + 2) continue;
      flags.push({ x, name: b.name, time: b.time });
      ctx.fillStyle = theme.bookmark;
      ctx.beginPath();
      ctx.moveTo(Math.round(x) + 0.5, h);
      ctx.lineTo(Math.round(x) + 0.5, 2);
      ctx.lineTo(Math.round(x) + 9, 5.5);
      ctx.lineTo(Math.round(x) + 0.5, 9);
      ctx.closePath();
      ctx.fill();
      ctx.fillRect(Math.round(x), 2, 1.5, h - 2);
    }
    ctx.font = kFlagFont;
    const flagLabels = layoutFlagLabels(flags, w, (s) => ctx.measureText(s).width);
    ctx.fillStyle = theme.bookmark;
    for (const l of flagLabels) if (l.text) ctx.fillText(l.text, Math.round(l.left), 6);
    const tag = (t: number | null, text: string | null, bg: string, top: number): void => {
      if (t === null || text === null) return;
      const x = tx(t);
      if (x < -1 || x > w + 1) return;
      ctx.font = `600 ${kAxisFont}`;
      const tw = ctx.measureText(text).width + 10;
      const left = Math.min(Math.max(0, x - tw / 2), w - tw);
      ctx.fillStyle = bg;
      ctx.beginPath();
      ctx.roundRect(left, top, tw, 15, 3);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ctx.fillText(text, left + 5, top + 8);
    };
    if (o.measure && labels.measure) {
      tag((o.measure.a + o.measure.b) / 2, `↔ ${labels.measure}`, theme.measureEdge, 1);
    }
    tag(o.cursor, labels.cursor, theme.cursor, h - 23);
    tag(o.hover, labels.hover, '#4a5668', h - 23);
    ctx.restore();
    return flagLabels;
  }
}
