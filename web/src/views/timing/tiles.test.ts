import { describe, expect, it } from 'vitest';
import { columnMs, kTileColumns, levelFor, prefetchRange, tileIndexAt, tileRange, tilesCovering } from './tiles';

describe('tile grid', () => {
  it('picks the finest level whose columns are no wider than a pixel', () => {
    for (const msPerPx of [0.0003, 0.01, 1, 1.5, 2, 3.7, 1000, 14_400, 86_400_000]) {
      const l = levelFor(msPerPx);
      expect(columnMs(l)).toBeLessThanOrEqual(msPerPx);
      expect(columnMs(l + 1)).toBeGreaterThan(msPerPx);
    }
  });

  it('tiles cover a range exactly, far from the epoch too', () => {
    const T = 1_758_546_000_000.25;
    const l = levelFor(0.05);
    const idx = tilesCovering(l, T, T + 1000);
    expect(idx.length).toBeGreaterThan(0);
    expect(tileRange(l, idx[0]!).start).toBeLessThanOrEqual(T);
    expect(tileRange(l, idx[idx.length - 1]!).end).toBeGreaterThanOrEqual(T + 1000);
    for (let i = 1; i < idx.length; i++) expect(tileRange(l, idx[i]!).start).toBe(tileRange(l, idx[i - 1]!).end);
    expect(tileIndexAt(l, T)).toBe(idx[0]);
    expect(tileRange(l, 0).end).toBe(kTileColumns * columnMs(l));
  });

  it('prefetches three view widths around the view', () => {
    expect(prefetchRange({ start: 100, end: 200 })).toEqual({ start: 0, end: 300 });
  });
});
