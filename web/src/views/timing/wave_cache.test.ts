import { describe, expect, it } from 'vitest';
import type { WaveRequest, WaveResponse } from '../../api/waveform';
import { kTileColumns, levelFor, tileIndexAt, tileMs, tileRange } from './tiles';
import { WaveCache } from './wave_cache';

const T = 1_700_000_000_000;
const bounds = { min: T, max: T + 3600_000 };

interface Call {
  req: WaveRequest;
  signal: AbortSignal;
  resolve: () => void;
}

// A server stand-in: answers every signal with a constant value, when told.
function fakeServer(): { calls: Call[]; fetcher: (req: WaveRequest, signal: AbortSignal) => Promise<WaveResponse> } {
  const calls: Call[] = [];
  const fetcher = (req: WaveRequest, signal: AbortSignal): Promise<WaveResponse> =>
    new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({
        req,
        signal,
        resolve: () =>
          resolve({
            start: req.start,
            end: req.end,
            width: req.width,
            signals: req.signals.map((key) => ({
              key,
              type: 'boolean' as const,
              initial: 1,
              changes: { t: new Float64Array(0), v: [] },
              columns: null,
            })),
          }),
      });
    });
  return { calls, fetcher };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('WaveCache', () => {
  it('fetches three view widths at the view level, visible tiles first', () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    const view = { start: T + 1_000_000, end: T + 1_100_000 };
    cache.request(view, 1000, ['a::x', 'b::y']);
    const level = levelFor(100);
    expect(s.calls.length).toBeGreaterThan(0);
    for (const c of s.calls) {
      expect(c.req.width).toBe(kTileColumns);
      expect(c.req.end - c.req.start).toBe(tileMs(level));
      expect(c.req.signals).toEqual(['a::x', 'b::y']);
    }
    const first = s.calls[0]!.req;
    expect(first.end > view.start && first.start < view.end).toBe(true);
    const covered = Math.min(...s.calls.map((c) => c.req.start));
    const coveredEnd = Math.max(...s.calls.map((c) => c.req.end));
    expect(covered).toBeLessThanOrEqual(view.start - 100_000);
    expect(coveredEnd).toBeGreaterThanOrEqual(view.end + 100_000);
  });

  it('never fetches tiles outside the data', () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    cache.request({ start: T - 500_000, end: T + 100_000 }, 1000, ['a::x']);
    for (const c of s.calls) expect(c.req.end).toBeGreaterThan(bounds.min);
  });

  it('draws only from what arrived, and calls back when it does', async () => {
    const s = fakeServer();
    let redraws = 0;
    const cache = new WaveCache(s.fetcher, { maxInflight: 100, onData: () => redraws++ });
    cache.setBounds(bounds);
    const view = { start: T + 1_000_000, end: T + 1_100_000 };
    cache.request(view, 1000, ['a::x']);
    expect(cache.pieces('a::x', view, 1000)).toEqual([]);
    for (const c of s.calls) c.resolve();
    await flush();
    expect(redraws).toBe(s.calls.length);
    const pieces = cache.pieces('a::x', view, 1000);
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces[0]!.clipStart).toBeLessThanOrEqual(view.start);
    expect(pieces[pieces.length - 1]!.clipEnd).toBeGreaterThanOrEqual(view.end);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.clipStart).toBe(pieces[i - 1]!.clipEnd);
  });

  it('aborts requests the view no longer needs', () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    cache.request({ start: T + 100_000, end: T + 110_000 }, 1000, ['a::x']);
    const firstCalls = s.calls.slice();
    cache.request({ start: T + 3_000_000, end: T + 3_010_000 }, 1000, ['a::x']);
    expect(firstCalls.every((c) => c.signal.aborted)).toBe(true);
    expect(cache.stats.aborted).toBe(firstCalls.length);
    expect(s.calls.length).toBeGreaterThan(firstCalls.length);
    expect(s.calls.slice(firstCalls.length).every((c) => !c.signal.aborted)).toBe(true);
  });

  it('keeps requests for tiles still wanted after a small pan', () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    const v = { start: T + 1_000_000, end: T + 1_100_000 };
    cache.request(v, 1000, ['a::x']);
    const n = s.calls.length;
    cache.request({ start: v.start + 1000, end: v.end + 1000 }, 1000, ['a::x']);
    expect(s.calls.slice(0, n).filter((c) => c.signal.aborted).length).toBeLessThanOrEqual(1);
  });

  it('fetches only the signal that was added', async () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    const v = { start: T + 1_000_000, end: T + 1_100_000 };
    cache.request(v, 1000, ['a::x']);
    for (const c of s.calls) c.resolve();
    await flush();
    const n = s.calls.length;
    cache.request(v, 1000, ['a::x', 'b::y']);
    expect(s.calls.length).toBe(2 * n);
    for (const c of s.calls.slice(n)) expect(c.req.signals).toEqual(['b::y']);
  });

  it('limits requests in flight and continues as they finish', async () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 2 });
    cache.setBounds(bounds);
    cache.request({ start: T + 1_000_000, end: T + 1_100_000 }, 1000, ['a::x']);
    expect(s.calls.length).toBe(2);
    s.calls[0]!.resolve();
    await flush();
    expect(s.calls.length).toBe(3);
  });

  it('draws from a coarser level while the zoomed-in level loads', async () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100 });
    cache.setBounds(bounds);
    const wide = { start: T, end: T + 3600_000 };
    cache.request(wide, 1000, ['a::x']);
    for (const c of s.calls) c.resolve();
    await flush();
    const narrow = { start: T + 1_000_000, end: T + 1_010_000 };
    cache.request(narrow, 1000, ['a::x']);
    const pieces = cache.pieces('a::x', narrow, 1000);
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces[0]!.level).toBe(levelFor(3600));
    expect(pieces[0]!.clipStart).toBeLessThanOrEqual(narrow.start);
    expect(pieces[pieces.length - 1]!.clipEnd).toBeGreaterThanOrEqual(narrow.end);
    const level = levelFor(10);
    expect(pieces[0]!.clipStart).toBe(tileRange(level, tileIndexAt(level, narrow.start)).start);
  });

  it('does not ask again for a signal the server does not know', async () => {
    const calls: WaveRequest[] = [];
    const cache = new WaveCache(async (req) => {
      calls.push(req);
      return { start: req.start, end: req.end, width: req.width, signals: [] };
    }, { maxInflight: 100 });
    cache.setBounds(bounds);
    const v = { start: T + 1_000_000, end: T + 1_100_000 };
    cache.request(v, 1000, ['gone::x']);
    const n = calls.length;
    await flush();
    cache.request(v, 1000, ['gone::x']);
    expect(calls.length).toBe(n);
    expect(cache.pieces('gone::x', v, 1000).length).toBeGreaterThan(0);
  });

  it('evicts the least recently drawn tiles beyond its budget', async () => {
    const s = fakeServer();
    const cache = new WaveCache(s.fetcher, { maxInflight: 100, maxEntries: 4 });
    cache.setBounds(bounds);
    cache.request({ start: T, end: T + 3600_000 }, 4000, ['a::x', 'b::y', 'c::z']);
    for (const c of s.calls) c.resolve();
    await flush();
    expect(cache.stats.entries).toBeLessThanOrEqual(4);
  });
});
