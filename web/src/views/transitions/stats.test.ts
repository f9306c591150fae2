import { describe, expect, it } from 'vitest';
import { formatDuration, histogram, intervalsCsv, movingAverage, timeBuckets } from './stats';

describe('histogram', () => {
  it('puts every value in one bin, max in the last', () => {
    const bins = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 10], 5);
    expect(bins.map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
    expect(bins[0]!.lo).toBe(0);
    expect(bins[4]!.hi).toBe(10);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(10);
  });
  it('handles equal values and empty input', () => {
    expect(histogram([3, 3, 3], 10)).toEqual([{ lo: 3, hi: 3, count: 3 }]);
    expect(histogram([], 10)).toEqual([]);
  });
});

describe('movingAverage', () => {
  it('averages the trailing window', () => {
    expect(movingAverage([2, 4, 6, 8], 2)).toEqual([2, 3, 5, 7]);
    expect(movingAverage([1, 2, 3], 10)).toEqual([1, 1.5, 2]);
  });
});

describe('timeBuckets', () => {
  it('groups by time and skips empty buckets', () => {
    const b = timeBuckets([0, 1, 9, 10], [10, 20, 30, 50], 0, 10, 2);
    expect(b).toHaveLength(2);
    expect(b[0]).toMatchObject({ count: 2, mean: 15, min: 10, max: 20 });
    expect(b[1]).toMatchObject({ count: 2, mean: 40, min: 30, max: 50 });
    expect(timeBuckets([0, 10], [1, 2], 0, 10, 4).map((x) => x.count)).toEqual([1, 1]);
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(1.234)).toBe('1.23 ms');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(3200)).toBe('3.20 s');
    expect(formatDuration(125_000)).toBe('2 m 05.0 s');
  });
});

describe('intervalsCsv', () => {
  it('writes one line per interval with its device, quoting what needs it', () => {
    const t0 = Date.UTC(2025, 8, 22, 13, 0, 0);
    const csv = intervalsCsv({
      name: 'in, out',
      intervals: { start: [t0, t0 + 50], end: [t0 + 300, t0 + 350.5], durationMs: [300, 300.5], status: ['ok', 'above'], device: ['C1', 'C"2'] },
      stats: { count: 2, minMs: 300, maxMs: 300.5, meanMs: 300.25, stddevMs: 0.25, within: 1, above: 1, below: 0 },
    });
    expect(csv.split('\n')).toEqual([
      'rule,device,start,end,durationMs,status',
      '"in, out",C1,2025-09-22 13:00:00.000,2025-09-22 13:00:00.300,300,ok',
      '"in, out","C""2",2025-09-22 13:00:00.050,2025-09-22 13:00:00.350,300.5,above',
      '',
    ]);
  });
});
