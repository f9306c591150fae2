// The drawing decisions of one lane: from the cached pieces of a signal and
// the viewport, which value is drawn over which pixels. The result is a list
// of spans in x order:
//   Value: the signal holds value v from x0 to x1 (v null: no sample yet);
//   Dense: x0..x1 holds `count` >= 2 changes, too many to draw one by one
//          (a dense band; min/max for numbers, v = the value after it);
//   Gap:   not loaded yet.
// Rules: the value in force at the view's start comes from the piece
// (boundary value), never from the first visible change; two or more
// changes in one pixel column make a dense band, so a one-sample pulse is
// always at least one pixel; the last value extends to the right edge, also
// past the end of the data. Spans live in reusable typed arrays so that a
// frame allocates next to nothing. Not thread-safe; one model per lane.

import type { WaveValue } from '../../api/waveform';
import type { Bounds, TimeRange } from './viewport';
import type { Piece } from './wave_cache';

export const kValue = 0;
export const kDense = 1;
export const kGap = 2;
export type SpanKind = typeof kValue | typeof kDense | typeof kGap;

export class LaneModel {
  size = 0;
  kind = new Uint8Array(256);
  x0 = new Float64Array(256);
  x1 = new Float64Array(256);
  t0 = new Float64Array(256);
  t1 = new Float64Array(256);
  // Whether t0 is an exact change time (false: a column's start).
  exact = new Uint8Array(256);
  count = new Uint32Array(256);
  min = new Float64Array(256);
  max = new Float64Array(256);
  v: WaveValue[] = [];
  // Changes inside the view (exact count where the data is exact).
  changes = 0;
  // Numeric range of every value in the view (for float lanes' y scale).
  lo = Infinity;
  hi = -Infinity;

  reset(): void {
    this.size = 0;
    this.changes = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const g = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.exact = g(this.exact, (k) => new Uint8Array(k));
    this.count = g(this.count, (k) => new Uint32Array(k));
    this.x0 = g(this.x0, (k) => new Float64Array(k));
    this.x1 = g(this.x1, (k) => new Float64Array(k));
    this.t0 = g(this.t0, (k) => new Float64Array(k));
    this.t1 = g(this.t1, (k) => new Float64Array(k));
    this.min = g(this.min, (k) => new Float64Array(k));
    this.max = g(this.max, (k) => new Float64Array(k));
  }

  push(kind: SpanKind, x0: number, x1: number, t0: number, t1: number, v: WaveValue, count: number, min: number, max: number, exact: boolean): void {
    if (this.size === this.kind.length) this.grow();
    const i = this.size++;
    this.kind[i] = kind;
    this.x0[i] = x0;
    this.x1[i] = x1;
    this.t0[i] = t0;
    this.t1[i] = t1;
    this.v[i] = v;
    this.count[i] = count;
    this.min[i] = min;
    this.max[i] = max;
    this.exact[i] = exact ? 1 : 0;
    if (min <= max) {
      if (min < this.lo) this.lo = min;
      if (max > this.hi) this.hi = max;
    }
  }

  // Index of the span holding pixel x, or -1.
  spanAtX(x: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.x1[mid]! <= x) lo = mid + 1;
      else if (this.x0[mid]! > x) hi = mid - 1;
      else return mid;
    }
    return -1;
  }
}

function numeric(v: WaveValue): number {
  return typeof v === 'number' ? v : NaN;
}

function sameValue(a: WaveValue, b: WaveValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

// Builds spans left to right. Events that land in the same pixel column are
// grouped; a group of one change is an edge at its exact x, a larger group a
// dense band over its whole pixels.
class SpanBuilder {
  private open = false;
  private openX = 0;
  private openT = 0;
  private openExact = false;
  private openV: WaveValue = null;
  private known = false;
  // The pending group.
  private pending = false;
  private gP0 = 0;
  private gP1 = 0;
  private gCount = 0;
  private gLast: WaveValue = null;
  private gMin = Infinity;
  private gMax = -Infinity;
  private gX = 0;
  private gT = 0;
  private gT1 = 0;
  private gExact = false;
  private gAllExact = false;

  constructor(
    private readonly m: LaneModel,
    private readonly view: TimeRange,
    private readonly width: number,
    private readonly mergeDense: boolean,
    private readonly slackPx: number,
  ) {}

  x(t: number): number {
    return ((t - this.view.start) / (this.view.end - this.view.start)) * this.width;
  }

  t(x: number): number {
    return this.view.start + (x / this.width) * (this.view.end - this.view.start);
  }

  private closeOpen(x: number, t: number): void {
    if (!this.open) return;
    if (x > this.openX || this.m.size === 0) {
      const n = numeric(this.openV);
      this.m.push(kValue, this.openX, x, this.openT, t, this.openV, 0, n, n, this.openExact);
    }
    this.open = false;
  }

  private openAt(x: number, t: number, v: WaveValue, exact: boolean): void {
    this.open = true;
    this.openX = x;
    this.openT = t;
    this.openV = v;
    this.openExact = exact;
    this.known = true;
  }

  // The value in force at time t (start of a piece). Continues the open span
  // when it holds the same value.
  begin(t: number, v: WaveValue): void {
    this.flush();
    if (this.open && sameValue(this.openV, v)) return;
    const x = this.x(t);
    this.closeOpen(x, t);
    this.openAt(x, t, v, false);
  }

  // `count` changes in [xa, xb] (xa == xb: one change at an exact x), after
  // which the value is `last`; emin/emax: numeric range inside.
  event(xa: number, xb: number, t: number, exact: boolean, count: number, last: WaveValue, emin: number, emax: number): void {
    let p0: number;
    let p1: number;
    if (xb - xa <= 1) {
      p0 = Math.floor((xa + xb) / 2);
      p1 = p0 + 1;
    } else {
      p0 = Math.floor(xa);
      p1 = Math.ceil(xb);
    }
    if (this.pending && p0 < this.gP1 + this.slackPx) {
      this.gCount += count;
      if (p1 > this.gP1) this.gP1 = p1;
      this.gLast = last;
      if (emin < this.gMin) this.gMin = emin;
      if (emax > this.gMax) this.gMax = emax;
      this.gT1 = t;
      this.gAllExact = this.gAllExact && exact;
      return;
    }
    this.flush();
    this.pending = true;
    this.gP0 = p0;
    this.gP1 = p1;
    this.gCount = count;
    this.gLast = last;
    this.gMin = emin;
    this.gMax = emax;
    this.gX = (xa + xb) / 2;
    this.gT = t;
    this.gT1 = t;
    this.gExact = exact;
    this.gAllExact = exact;
  }

  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    this.m.changes += this.gCount;
    if (this.gCount === 1) {
      this.closeOpen(this.gX, this.gT);
      this.openAt(this.gX, this.gT, this.gLast, this.gExact);
      return;
    }
    const before = this.open ? numeric(this.openV) : NaN;
    let min = this.gMin;
    let max = this.gMax;
    const after = numeric(this.gLast);
    for (const n of [before, after]) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
    // Exact changes keep their times: the band runs from the first to the
    // last of them (for snapping), whatever pixels it covers.
    const t0 = this.gAllExact ? this.gT : this.t(this.gP0);
    const t1 = this.gAllExact ? this.gT1 : this.t(this.gP1);
    this.closeOpen(Math.max(this.gP0, this.open ? this.openX : this.gP0), t0);
    const m = this.m;
    const last = m.size - 1;
    if (this.mergeDense && last >= 0 && m.kind[last]! === kDense && m.x1[last]! >= this.gP0) {
      m.x1[last] = Math.max(m.x1[last]!, this.gP1);
      m.t1[last] = t1;
      m.count[last] = m.count[last]! + this.gCount;
      m.v[last] = this.gLast;
      if (min < m.min[last]!) m.min[last] = min;
      if (max > m.max[last]!) m.max[last] = max;
      if (min < m.lo) m.lo = min;
      if (max > m.hi) m.hi = max;
    } else {
      m.push(kDense, this.gP0, this.gP1, t0, t1, this.gLast, this.gCount, min, max, this.gAllExact);
    }
    this.openAt(this.gP1, t1, this.gLast, this.gAllExact);
  }

  // Nothing is known over [t0, t1).
  gap(t0: number, t1: number): void {
    this.flush();
    const x0 = this.x(t0);
    const x1 = this.x(t1);
    this.closeOpen(x0, t0);
    this.m.push(kGap, x0, x1, t0, t1, null, 0, NaN, NaN, false);
    this.known = false;
  }

  // [t0, t1) lies past the data: the last value goes on.
  extend(t0: number, t1: number): void {
    this.flush();
    if (!this.known) this.gap(t0, t1);
  }

  // [t0, t1) lies before the data: no value yet.
  none(t0: number, t1: number): void {
    this.begin(t0, null);
    void t1;
  }

  finish(t: number): void {
    this.flush();
    this.closeOpen(this.x(t), t);
  }
}

function processPiece(b: SpanBuilder, p: Piece, a: number, z: number): void {
  const d = p.data;
  let value = d.initial;
  if (d.changes) {
    const { t, v } = d.changes;
    let i = 0;
    for (; i < t.length && t[i]! < a; i++) value = v[i]!;
    b.begin(a, value);
    for (; i < t.length && t[i]! < z; i++) {
      if (sameValue(v[i]!, value)) continue;
      value = v[i]!;
      const x = b.x(t[i]!);
      const n = numeric(v[i]!);
      b.event(x, x, t[i]!, true, 1, v[i]!, n, n);
    }
    return;
  }
  const c = d.columns;
  if (!c) {
    b.begin(a, value);
    return;
  }
  const n = c.count.length;
  const col = p.colMs;
  let j = Math.max(0, Math.floor((a - p.tileStart) / col));
  // Pre-roll: the value in force at a, from the columns wholly before it.
  for (let k = 0; k < j && k < n; k++) if (c.count[k]! > 0 || (value === null && c.last[k] !== null)) value = c.last[k]!;
  b.begin(a, value);
  for (; j < n; j++) {
    const cs = p.tileStart + j * col;
    if (cs >= z) break;
    let cnt = c.count[j]!;
    // The signal's first sample may not count as a change: it still ends
    // the "no value yet" stretch.
    if (cnt === 0 && value === null && c.last[j] !== null) cnt = 1;
    if (cnt === 0) continue;
    // One change to the value already in force: the sample at the column's
    // start that `initial` holds already.
    if (cnt === 1 && sameValue(c.last[j]!, value)) continue;
    value = c.last[j]!;
    const ce = Math.min(cs + col, z);
    const lo = c.min ? c.min[j]! : NaN;
    const hi = c.max ? c.max[j]! : NaN;
    b.event(b.x(Math.max(cs, a)), b.x(ce), Math.max(cs, a), false, cnt, c.last[j]!, lo, hi);
  }
}

// Fills `m` with the spans of one lane over `view` drawn on `width` pixels
// from `pieces` (in time order, not overlapping). `bounds`: the data range.
// Adjacent dense pixels become one band unless `perColumn` (analog lanes
// keep each column's min/max envelope). Changes less than `slackPx` whole
// pixels apart join one group too (a value held for under a pixel or two
// cannot be seen as such; drawing it as a band keeps frames cheap).
export function buildLane(
  m: LaneModel,
  pieces: readonly Piece[],
  view: TimeRange,
  width: number,
  bounds: Bounds,
  perColumn = false,
  slackPx = 0,
): void {
  m.reset();
  const b = new SpanBuilder(m, view, width, !perColumn, slackPx);
  const uncovered = (t0: number, t1: number): void => {
    if (t1 <= t0) return;
    if (t0 < bounds.min) {
      const e = Math.min(t1, bounds.min);
      b.none(t0, e);
      t0 = e;
    }
    if (t0 >= t1) return;
    if (t1 <= bounds.max) {
      b.gap(t0, t1);
      return;
    }
    if (t0 < bounds.max) b.gap(t0, bounds.max);
    b.extend(Math.max(t0, bounds.max), t1);
  };
  let at = view.start;
  for (const p of pieces) {
    const a = Math.max(p.clipStart, view.start);
    const z = Math.min(p.clipEnd, view.end);
    if (z <= a) continue;
    uncovered(at, a);
    processPiece(b, p, a, z);
    at = z;
  }
  uncovered(at, view.end);
  b.finish(view.end);
}

// The value at pixel x: a value, or undefined when the lane is ambiguous
// there (dense band) or not loaded.
export function valueAtX(m: LaneModel, x: number): { value: WaveValue; known: boolean } {
  const i = m.spanAtX(x);
  if (i < 0 || m.kind[i] !== kValue) return { value: null, known: false };
  return { value: m.v[i]!, known: true };
}

// The change nearest to pixel x within maxPx: its time (exact when the data
// is exact; a dense band gives its nearer edge) and x, or null.
export function nearestChange(m: LaneModel, x: number, maxPx: number): { t: number; x: number } | null {
  let best: { t: number; x: number } | null = null;
  let bestD = maxPx;
  for (let i = 0; i < m.size; i++) {
    const k = m.kind[i]!;
    if (k === kValue && i > 0 && m.kind[i - 1] !== kGap) {
      const d = Math.abs(m.x0[i]! - x);
      if (d <= bestD && m.x0[i]! >= 0) {
        bestD = d;
        best = { t: m.t0[i]!, x: m.x0[i]! };
      }
    } else if (k === kDense) {
      const inside = x >= m.x0[i]! && x < m.x1[i]!;
      const d = inside ? 0 : Math.min(Math.abs(m.x0[i]! - x), Math.abs(m.x1[i]! - x));
      if (d <= bestD) {
        bestD = d;
        if (m.exact[i]) {
          // Exact changes inside: the first one from the left, the last from the right.
          const left = x < (m.x0[i]! + m.x1[i]!) / 2;
          best = left ? { t: m.t0[i]!, x: m.x0[i]! } : { t: m.t1[i]!, x: m.x1[i]! };
        } else {
          const xc = Math.min(Math.max(x, m.x0[i]!), m.x1[i]!);
          best = { t: m.t0[i]! + ((xc - m.x0[i]!) / Math.max(1e-9, m.x1[i]! - m.x0[i]!)) * (m.t1[i]! - m.t0[i]!), x: xc };
        }
      }
    }
  }
  return best;
}
