// The grid the waveform cache is keyed on. A level L has columns of 2^L ms;
// a tile is kTileColumns columns of one level, tile i covering
// [i * tileMs(L), (i + 1) * tileMs(L)). The level for a view is the finest
// whose columns are no wider than a screen pixel, so a tile's columns map to
// one or two pixels and nothing the server summarised is coarser than the
// screen. Tile bounds are exact in doubles (powers of two). Pure.

import type { TimeRange } from './viewport';

export const kTileColumns = 1024;
export const kMinLevel = -20;
export const kMaxLevel = 40;

export function columnMs(level: number): number {
  return Math.pow(2, level);
}

export function tileMs(level: number): number {
  return kTileColumns * columnMs(level);
}

// The level whose column width is <= msPerPx < 2 * column width.
export function levelFor(msPerPx: number): number {
  if (!(msPerPx > 0)) return kMinLevel;
  const l = Math.floor(Math.log2(msPerPx));
  // Guard against log2 rounding at exact powers of two.
  const fixed = columnMs(l + 1) <= msPerPx ? l + 1 : columnMs(l) > msPerPx ? l - 1 : l;
  return Math.min(kMaxLevel, Math.max(kMinLevel, fixed));
}

export function tileIndexAt(level: number, t: number): number {
  return Math.floor(t / tileMs(level));
}

export function tileRange(level: number, index: number): TimeRange {
  const w = tileMs(level);
  return { start: index * w, end: (index + 1) * w };
}

export function tileKey(level: number, index: number): string {
  return `${level}:${index}`;
}

// Tile indexes at `level` intersecting [start, end).
export function tilesCovering(level: number, start: number, end: number): number[] {
  const first = tileIndexAt(level, start);
  const last = tileIndexAt(level, end);
  const out: number[] = [];
  for (let i = first; i <= last && out.length < 4096; i++) {
    const r = tileRange(level, i);
    if (r.end > start && r.start < end) out.push(i);
  }
  return out;
}

// The range to hold for a view: three view widths, the view in the middle.
export function prefetchRange(view: TimeRange): TimeRange {
  const s = view.end - view.start;
  return { start: view.start - s, end: view.end + s };
}
