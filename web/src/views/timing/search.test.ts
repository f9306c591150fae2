import { describe, expect, it } from 'vitest';
import type { WaveRequest, WaveResponse, WaveValue } from '../../api/waveform';
import { countChanges, findChange, findValue, valueMatches } from './search';

// A stand-in for the server's /waveform over one in-memory signal, with its
// documented semantics: initial = last sample at or before start; "changes"
// mode (changes with start < t <= end) when they are at most 2 per column,
// else per-column counts of changed samples with first/last/min/max.
function serverOf(key: string, t: number[], v: WaveValue[]) {
  const calls: WaveRequest[] = [];
  const fetcher = async (req: WaveRequest): Promise<WaveResponse> => {
    calls.push(req);
    const changed = t.map((_, i) => i === 0 || v[i] !== v[i - 1]);
    let initial: WaveValue = null;
    for (let i = 0; i < t.length && t[i]! <= req.start; i++) initial = v[i]!;
    const inRange = t.map((x, i) => i).filter((i) => t[i]! > req.start && t[i]! <= req.end && changed[i]);
    const base = { key, type: 'integer' as const, initial };
    if (inRange.length <= 2 * req.width) {
      return { start: req.start, end: req.end, width: req.width, signals: [{ ...base, changes: { t: Float64Array.from(inRange.map((i) => t[i]!)), v: inRange.map((i) => v[i]!) }, columns: null }] };
    }
    const n = req.width;
    const count = new Uint32Array(n);
    const first: WaveValue[] = new Array(n).fill(null);
    const last: WaveValue[] = new Array(n).fill(null);
    const min = new Float64Array(n).fill(NaN);
    const max = new Float64Array(n).fill(NaN);
    const w = (req.end - req.start) / n;
    t.forEach((x, i) => {
      if (x < req.start || x > req.end) return;
      const j = Math.min(n - 1, Math.floor((x - req.start) / w));
      if (first[j] === null) first[j] = v[i]!;
      last[j] = v[i]!;
      if (changed[i]) count[j]!++;
      const num = v[i] as number;
      if (!(num >= min[j]!)) min[j] = Math.min(Number.isNaN(min[j]!) ? num : min[j]!, num);
      if (!(num <= max[j]!)) max[j] = Math.max(Number.isNaN(max[j]!) ? num : max[j]!, num);
    });
    return { start: req.start, end: req.end, width: req.width, signals: [{ ...base, changes: null, columns: { first, last, count, min, max } }] };
  };
  return { fetcher, calls };
}

const ctl = new AbortController();

describe('searches', () => {
  // 200,000 samples alternating 0/1 every 10 ms, except a 7 at t = 1,234,565.
  const t: number[] = [];
  const v: WaveValue[] = [];
  for (let i = 0; i < 200_000; i++) {
    t.push(i * 10 + 0.5);
    v.push(i === 123_456 ? 7 : i % 2);
  }
  const bounds = { min: 0, max: 2_000_000 };

  it('finds the next and previous change by narrowing, in few requests', async () => {
    const s = serverOf('k', t, v);
    expect(await findChange(s.fetcher, 'k', 1000.5, 1, bounds, ctl.signal)).toBe(1010.5);
    expect(s.calls.length).toBeLessThan(10);
    expect(await findChange(s.fetcher, 'k', 1000.5, -1, bounds, ctl.signal)).toBe(990.5);
    expect(await findChange(s.fetcher, 'k', 1e9, 1, bounds, ctl.signal)).toBeNull();
  });

  it('finds the next time a lane takes a value', async () => {
    const s = serverOf('k', t, v);
    expect(await findValue(s.fetcher, 'k', 'integer', '7', 0, 1, bounds, ctl.signal)).toBe(1_234_560.5);
    expect(await findValue(s.fetcher, 'k', 'integer', '7', 1_234_560.5, 1, bounds, ctl.signal)).toBeNull();
    expect(await findValue(s.fetcher, 'k', 'integer', '7', 2_000_000, -1, bounds, ctl.signal)).toBe(1_234_560.5);
    expect(await findValue(s.fetcher, 'k', 'integer', '9', 0, 1, bounds, ctl.signal)).toBeNull();
  });

  it('counts the changes inside a range', async () => {
    const s = serverOf('k', t, v);
    const c = await countChanges(s.fetcher, ['k'], 100, 200.6, ctl.signal);
    expect(c.get('k')).toBe(11);
  });

  it('matches typed values by type', () => {
    expect(valueMatches(1, 'true', 'boolean')).toBe(true);
    expect(valueMatches(0, 'OFF', 'boolean')).toBe(true);
    expect(valueMatches(1, 'false', 'boolean')).toBe(false);
    expect(valueMatches(2.5, '2.50', 'float')).toBe(true);
    expect(valueMatches('AUTO', 'AUTO', 'string')).toBe(true);
    expect(valueMatches('AUTO', 'auto', 'string')).toBe(false);
    expect(valueMatches(null, '', 'string')).toBe(false);
  });
});
