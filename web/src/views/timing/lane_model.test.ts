import { describe, expect, it } from 'vitest';
import type { WaveSignal, WaveValue } from '../../api/waveform';
import { LaneModel, buildLane, kDense, kGap, kValue, nearestChange, valueAtX } from './lane_model';
import type { Piece } from './wave_cache';

const T = 1_700_000_000_000;
const bounds = { min: T, max: T + 100_000 };

function changesPiece(start: number, end: number, initial: WaveValue, t: number[], v: WaveValue[]): Piece {
  const data: WaveSignal = {
    key: 'd::s',
    type: 'boolean',
    initial,
    changes: { t: Float64Array.from(t), v },
    columns: null,
  };
  return { clipStart: start, clipEnd: end, tileStart: start, colMs: (end - start) / 1024, data, level: 0 };
}

interface Col {
  count: number;
  last: WaveValue;
  min?: number;
  max?: number;
}

function columnsPiece(start: number, colMs: number, initial: WaveValue, cols: Col[]): Piece {
  const data: WaveSignal = {
    key: 'd::s',
    type: 'integer',
    initial,
    changes: null,
    columns: {
      first: cols.map((c) => c.last),
      last: cols.map((c) => c.last),
      count: Uint32Array.from(cols.map((c) => c.count)),
      min: Float64Array.from(cols.map((c) => c.min ?? NaN)),
      max: Float64Array.from(cols.map((c) => c.max ?? NaN)),
    },
  };
  return { clipStart: start, clipEnd: start + colMs * cols.length, tileStart: start, colMs, data, level: 0 };
}

function spans(m: LaneModel): { kind: number; x0: number; x1: number; v: WaveValue; count: number }[] {
  const out = [];
  for (let i = 0; i < m.size; i++) out.push({ kind: m.kind[i]!, x0: m.x0[i]!, x1: m.x1[i]!, v: m.v[i]!, count: m.count[i]! });
  return out;
}

describe('buildLane', () => {
  it('draws the boundary value before the first visible change and extends the last to the edge', () => {
    const m = new LaneModel();
    const p = changesPiece(T, T + 10_000, 1, [T + 2000, T + 6000], [0, 1]);
    buildLane(m, [p], { start: T + 1000, end: T + 9000 }, 800, bounds);
    expect(spans(m)).toEqual([
      { kind: kValue, x0: 0, x1: 100, v: 1, count: 0 },
      { kind: kValue, x0: 100, x1: 500, v: 0, count: 0 },
      { kind: kValue, x0: 500, x1: 800, v: 1, count: 0 },
    ]);
    expect(m.changes).toBe(2);
  });

  it('keeps a one-sample pulse as a dense band of at least one pixel', () => {
    const m = new LaneModel();
    // 1 ms pulse in a 100 s view on 1000 px: both edges in pixel 500.
    const p = changesPiece(T, T + 100_000, 0, [T + 50_000, T + 50_001], [1, 0]);
    buildLane(m, [p], { start: T, end: T + 100_000 }, 1000, bounds);
    const s = spans(m);
    expect(s.map((x) => x.kind)).toEqual([kValue, kDense, kValue]);
    expect(s[1]!).toMatchObject({ x0: 500, x1: 501, count: 2, v: 0 });
    expect(s[0]!.v).toBe(0);
    expect(s[2]!).toMatchObject({ x0: 501, x1: 1000, v: 0 });
  });

  it('keeps the exact x of isolated changes', () => {
    const m = new LaneModel();
    const p = changesPiece(T, T + 100_000, 0, [T + 50_000, T + 50_150], [1, 0]);
    buildLane(m, [p], { start: T, end: T + 100_000 }, 1000, bounds);
    expect(spans(m).map((s) => [s.kind, s.x0, s.x1, s.v].map((n) => (typeof n === "number" ? Math.round(n * 1e6) / 1e6 : n)))).toEqual([
      [kValue, 0, 500, 0],
      [kValue, 500, 501.5, 1],
      [kValue, 501.5, 1000, 0],
    ]);
  });

  it('joins changes in neighbouring pixels into one band when asked (slack)', () => {
    const m = new LaneModel();
    // Toggles every 1.2 px (an empty pixel now and then): with two pixels of
    // slack, a single band.
    const t = Array.from({ length: 20 }, (_, i) => T + 1000 + i * 120);
    const v = t.map((_, i) => (i % 2 ? 0 : 1));
    const p = changesPiece(T, T + 100_000, 0, t, v);
    buildLane(m, [p], { start: T, end: T + 100_000 }, 1000, bounds, false, 2);
    expect(spans(m).map((x) => [x.kind, x.count])).toEqual([
      [kValue, 0],
      [kDense, 20],
      [kValue, 0],
    ]);
    const exact = new LaneModel();
    buildLane(exact, [p], { start: T, end: T + 100_000 }, 1000, bounds);
    expect(exact.size).toBeGreaterThan(15);
  });

  it('ignores repeated samples that do not change the value', () => {
    const m = new LaneModel();
    const p = changesPiece(T, T + 10_000, 3, [T + 1000, T + 2000, T + 3000], [3, 3, 4]);
    buildLane(m, [p], { start: T, end: T + 10_000 }, 100, bounds);
    expect(spans(m).map((s) => s.v)).toEqual([3, 4]);
    expect(m.changes).toBe(1);
  });

  it('turns summary columns into edges and merged dense bands with min/max', () => {
    const m = new LaneModel();
    const cols = Array.from({ length: 100 }, (): Col => ({ count: 0, last: null }));
    cols[10] = { count: 1, last: 7 };
    cols[40] = { count: 5, last: 9, min: 2, max: 30 };
    cols[41] = { count: 3, last: 8, min: 1, max: 9 };
    const p = columnsPiece(T, 10, 5, cols);
    buildLane(m, [p], { start: T, end: T + 1000 }, 100, bounds);
    const s = spans(m);
    expect(s.map((x) => [x.kind, x.x0, x.x1, x.v])).toEqual([
      [kValue, 0, 10.5, 5],
      [kValue, 10.5, 40, 7],
      [kDense, 40, 42, 8],
      [kValue, 42, 100, 8],
    ]);
    expect(s[2]!.count).toBe(8);
    expect(m.min[2]!).toBe(1);
    expect(m.max[2]!).toBe(30);
    expect(m.lo).toBe(1);
    expect(m.hi).toBe(30);
  });

  it('merges several sub-pixel columns into one pixel', () => {
    const m = new LaneModel();
    const cols = Array.from({ length: 20 }, () => ({ count: 0, last: null as WaveValue }));
    cols[4] = { count: 1, last: 1 };
    cols[5] = { count: 1, last: 0 };
    // 2 columns per pixel: columns 4 and 5 are pixel 2.
    const p = columnsPiece(T, 5, 0, cols);
    buildLane(m, [p], { start: T, end: T + 100 }, 10, bounds);
    expect(spans(m).map((x) => [x.kind, x.x0, x.x1])).toEqual([
      [kValue, 0, 2],
      [kDense, 2, 3],
      [kValue, 3, 10],
    ]);
  });

  it('does not split a value at a tile start whose sample the initial value already holds', () => {
    const m = new LaneModel();
    const cols = Array.from({ length: 10 }, (): Col => ({ count: 0, last: null }));
    cols[0] = { count: 1, last: 'A' };
    const p = columnsPiece(T, 10, 'A', cols);
    buildLane(m, [p], { start: T, end: T + 100 }, 10, bounds);
    expect(spans(m).map((x) => [x.kind, x.x0, x.x1, x.v])).toEqual([[kValue, 0, 10, 'A']]);
    expect(m.changes).toBe(0);
  });

  it('takes the value at the view start from columns before it', () => {
    const m = new LaneModel();
    const cols = Array.from({ length: 100 }, () => ({ count: 0, last: null as WaveValue }));
    cols[3] = { count: 2, last: 'B' };
    const p = columnsPiece(T, 10, 'A', cols);
    buildLane(m, [p], { start: T + 500, end: T + 1000 }, 50, bounds);
    expect(spans(m).map((x) => x.v)).toEqual(['B']);
  });

  it('marks what is not loaded as a gap, no value before the data, and extends past its end', () => {
    const m = new LaneModel();
    const p = changesPiece(T + 10_000, T + 20_000, 1, [], []);
    buildLane(m, [p], { start: T - 10_000, end: T + 30_000 }, 400, bounds);
    expect(spans(m).map((x) => [x.kind, x.x0, x.x1, x.v])).toEqual([
      [kValue, 0, 100, null],
      [kGap, 100, 200, null],
      [kValue, 200, 300, 1],
      [kGap, 300, 400, null],
    ]);
    const end = new LaneModel();
    const q = changesPiece(T + 90_000, T + 100_000, 1, [T + 95_000], [0]);
    buildLane(end, [q], { start: T + 90_000, end: T + 110_000 }, 200, bounds);
    expect(spans(end).map((x) => [x.kind, x.x0, x.x1, x.v])).toEqual([
      [kValue, 0, 50, 1],
      [kValue, 50, 200, 0],
    ]);
  });

  it('joins pieces holding the same value into one span', () => {
    const m = new LaneModel();
    const a = changesPiece(T, T + 1000, 0, [T + 500], [1]);
    const b = changesPiece(T + 1000, T + 2000, 1, [], []);
    buildLane(m, [a, b], { start: T, end: T + 2000 }, 200, bounds);
    expect(spans(m).map((x) => [x.x0, x.x1, x.v])).toEqual([
      [0, 50, 0],
      [50, 200, 1],
    ]);
  });

  it('answers values and nearest changes at a pixel', () => {
    const m = new LaneModel();
    const p = changesPiece(T, T + 100_000, 0, [T + 50_000, T + 50_001, T + 70_000], [1, 0, 1]);
    buildLane(m, [p], { start: T, end: T + 100_000 }, 1000, bounds);
    expect(valueAtX(m, 100)).toEqual({ value: 0, known: true });
    expect(valueAtX(m, 500.5).known).toBe(false);
    expect(valueAtX(m, 800)).toEqual({ value: 1, known: true });
    expect(nearestChange(m, 697, 8)).toEqual({ t: T + 70_000, x: 700 });
    expect(nearestChange(m, 600, 8)).toBeNull();
    expect(nearestChange(m, 503, 8)).toEqual({ t: T + 50_001, x: 501 });
    expect(nearestChange(m, 497, 8)).toEqual({ t: T + 50_000, x: 500 });
  });
});
