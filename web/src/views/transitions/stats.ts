// Chart math of the Transitions view: histogram bins, moving average and
// time buckets of interval durations, and the status of a duration against a
// target, and the CSV of a rule's intervals. Pure functions over plain
// arrays; no DOM.

import type { TransitionResult } from '../../api/map_api';
import { formatMs } from '../../base/format';

export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

/** Equal-width bins over [min, max]; the last bin includes max. */
export function histogram(values: readonly number[], binCount: number): Bin[] {
  if (values.length === 0 || binCount < 1) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return [{ lo, hi, count: values.length }];
  const width = (hi - lo) / binCount;
  const bins: Bin[] = [];
  for (let i = 0; i < binCount; i++) bins.push({ lo: lo + i * width, hi: lo + (i + 1) * width, count: 0 });
  for (const v of values) {
    const i = Math.min(binCount - 1, Math.floor((v - lo) / width));
    bins[i]!.count++;
  }
  return bins;
}

/** Trailing moving average over `window` points (fewer at the start). */
export function movingAverage(values: readonly number[], window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const out: number[] = new Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= w) sum -= values[i - w]!;
    out[i] = sum / Math.min(i + 1, w);
  }
  return out;
}

export interface Bucket {
  start: number;
  end: number;
  count: number;
  mean: number;
  min: number;
  max: number;
}

/** Mean/min/max of values per equal time bucket over [t0, t1]; empty buckets omitted. */
export function timeBuckets(
  times: readonly number[],
  values: readonly number[],
  t0: number,
  t1: number,
  bucketCount: number,
): Bucket[] {
  if (times.length === 0 || bucketCount < 1 || !(t1 >= t0)) return [];
  const span = t1 - t0 || 1;
  const acc = Array.from({ length: bucketCount }, (_, i) => ({
    start: t0 + (span * i) / bucketCount,
    end: t0 + (span * (i + 1)) / bucketCount,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
  }));
  for (let i = 0; i < times.length; i++) {
    const k = Math.min(bucketCount - 1, Math.max(0, Math.floor(((times[i]! - t0) / span) * bucketCount)));
    const b = acc[k]!;
    const v = values[i]!;
    b.count++;
    b.sum += v;
    if (v < b.min) b.min = v;
    if (v > b.max) b.max = v;
  }
  return acc
    .filter((b) => b.count > 0)
    .map((b) => ({ start: b.start, end: b.end, count: b.count, mean: b.sum / b.count, min: b.min, max: b.max }));
}

/** "12.5 ms", "3.20 s", "2 m 05.0 s" */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a < 1000) return `${+ms.toFixed(a < 10 ? 2 : 1)} ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(a / 60_000);
  const s = (a - m * 60_000) / 1000;
  return `${ms < 0 ? '-' : ''}${m} m ${s.toFixed(1).padStart(4, '0')} s`;
}

/** The intervals of one rule as CSV (start,end in UTC as the table shows them). */
export function intervalsCsv(r: TransitionResult): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['rule,device,start,end,durationMs,status'];
  const iv = r.intervals;
  for (let i = 0; i < iv.start.length; i++) {
    lines.push([quote(r.name), quote(iv.device[i] ?? ''), formatMs(iv.start[i]!), formatMs(iv.end[i]!), String(iv.durationMs[i]), iv.status[i]].join(','));
  }
  return lines.join('\n') + '\n';
}
