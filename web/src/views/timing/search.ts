// Searches in time that the cache cannot answer (the data may be far from
// the view): the next / previous change of a lane, the next time a lane
// takes a value, and the count of changes inside a measured range. Each asks
// the waveform endpoint for summary columns and narrows into the first
// column that can hold the answer, so the cost grows with log(range), not
// with the number of samples. Stateless; every call takes an AbortSignal.

import type { SignalType, WaveSignal, WaveValue } from '../../api/waveform';
import type { Bounds } from './viewport';
import type { WaveFetcher } from './wave_cache';

const kWidth = 1000;
const kMaxDepth = 14;

export type Direction = 1 | -1;

// True when the lane value v equals the text the user typed.
export function valueMatches(v: WaveValue, text: string, type: SignalType): boolean {
  if (v === null) return false;
  const s = text.trim();
  if (type === 'boolean') {
    const want = /^(true|1|on|yes|high)$/i.test(s) ? 1 : /^(false|0|off|no|low)$/i.test(s) ? 0 : NaN;
    return v === want;
  }
  if (typeof v === 'number') {
    const n = Number(s);
    return s !== '' && Number.isFinite(n) && n === v;
  }
  return v === s;
}

type Accept = (v: WaveValue) => boolean;

// Whether a summary column with these numbers may hold a change to an
// accepted value.
function columnMayMatch(d: WaveSignal, j: number, accept: Accept | null, text: string): boolean {
  const c = d.columns!;
  const count = c.count[j]!;
  if (count === 0) return false;
  if (!accept) return true;
  if (accept(c.last[j]!)) return true;
  if (count < 2) return false;
  if (c.min && c.max && (d.type === 'integer' || d.type === 'float')) {
    const n = Number(text);
    const lo = c.min[j]!;
    const hi = c.max[j]!;
    if (Number.isFinite(n) && Number.isFinite(lo) && Number.isFinite(hi)) return n >= lo && n <= hi;
  }
  return true;
}

async function scan(
  fetcher: WaveFetcher,
  key: string,
  start: number,
  end: number,
  from: number,
  dir: Direction,
  accept: Accept | null,
  text: string,
  depth: number,
  signal: AbortSignal,
): Promise<number | null> {
  if (!(end > start)) return null;
  const res = await fetcher({ signals: [key], start, end, width: kWidth }, signal);
  const d = res.signals.find((s) => s.key === key) ?? res.signals[0];
  if (!d) return null;
  const ok = (t: number): boolean => (dir > 0 ? t > from : t < from);
  if (d.changes) {
    const { t, v } = d.changes;
    if (dir > 0) {
      for (let i = 0; i < t.length; i++) if (ok(t[i]!) && (!accept || accept(v[i]!))) return t[i]!;
    } else {
      for (let i = t.length - 1; i >= 0; i--) if (ok(t[i]!) && (!accept || accept(v[i]!))) return t[i]!;
    }
    return null;
  }
  if (!d.columns) return null;
  const n = d.columns.count.length;
  const col = (end - start) / n;
  for (let k = 0; k < n; k++) {
    const j = dir > 0 ? k : n - 1 - k;
    if (!columnMayMatch(d, j, accept, text)) continue;
    const cs = start + j * col;
    const ce = j === n - 1 ? end : cs + col;
    if (depth >= kMaxDepth || ce - cs < 1e-6) {
      const t = dir > 0 ? Math.max(cs, from) : Math.min(ce, from);
      if (ok(t)) return t;
      continue;
    }
    // Narrow: [cs, ce]; start just before cs so a change at cs is included.
    const found = await scan(fetcher, key, cs - Math.max(col * 1e-6, 1e-6), ce, from, dir, accept, text, depth + 1, signal);
    if (found !== null) return found;
  }
  return null;
}

// The first change of `key` after `from` (dir 1) or the last before it
// (dir -1), or null.
export function findChange(fetcher: WaveFetcher, key: string, from: number, dir: Direction, bounds: Bounds, signal: AbortSignal): Promise<number | null> {
  return dir > 0
    ? scan(fetcher, key, from, bounds.max, from, 1, null, '', 0, signal)
    : scan(fetcher, key, bounds.min - 1, from, from, -1, null, '', 0, signal);
}

// The first time after `from` (dir 1) or the last before it (dir -1) at
// which `key` changes to a value matching `text`, or null.
export function findValue(
  fetcher: WaveFetcher,
  key: string,
  type: SignalType,
  text: string,
  from: number,
  dir: Direction,
  bounds: Bounds,
  signal: AbortSignal,
): Promise<number | null> {
  const accept: Accept = (v) => valueMatches(v, text, type);
  return dir > 0
    ? scan(fetcher, key, from, bounds.max, from, 1, accept, text, 0, signal)
    : scan(fetcher, key, bounds.min - 1, from, from, -1, accept, text, 0, signal);
}

// Per signal, the number of value changes in (a, b].
export async function countChanges(fetcher: WaveFetcher, keys: readonly string[], a: number, b: number, signal: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  for (let i = 0; i < keys.length; i += 64) {
    const res = await fetcher({ signals: keys.slice(i, i + 64), start: lo, end: hi, width: 1 }, signal);
    for (const s of res.signals) {
      if (s.changes) out.set(s.key, s.changes.t.length);
      else if (s.columns) out.set(s.key, s.columns.count.reduce((x, y) => x + y, 0));
    }
  }
  return out;
}
