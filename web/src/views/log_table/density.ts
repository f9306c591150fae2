// The match-density strip beside the table (Highlight mode): where in time
// the search matches are, one tick per minute with a match (the time tree),
// over the session's time span. Pure: tick positions and click → time.

import type { TimeTreeItem } from '../../api/types';

/** Pixel rows (0 … height-1) of the minutes with a match, each once, ascending. */
export function tickRows(items: readonly TimeTreeItem[], start: number, end: number, height: number): number[] {
  if (height <= 0 || items.length === 0) return [];
  const span = end - start;
  const rows = new Set<number>();
  for (const it of items) {
    const f = span > 0 ? (it.ts - start) / span : 0;
    rows.add(Math.min(height - 1, Math.max(0, Math.floor(f * height))));
  }
  return [...rows].sort((a, b) => a - b);
}

/**
 * The time a click at pixel row y jumps to: the first match time of the
 * minute drawn nearest to y, when one is within `reach` pixels; else the
 * time at y.
 */
export function clickTime(items: readonly TimeTreeItem[], start: number, end: number, height: number, y: number, reach = 4): number {
  const span = Math.max(0, end - start);
  let best: TimeTreeItem | null = null;
  let bestD = Infinity;
  for (const it of items) {
    const f = span > 0 ? (it.ts - start) / span : 0;
    const d = Math.abs(Math.min(height - 1, Math.max(0, Math.floor(f * height))) - y);
    if (d < bestD) {
      bestD = d;
      best = it;
    }
  }
  if (best && bestD <= reach) return best.ts;
  const f = height > 1 ? Math.min(1, Math.max(0, y / (height - 1))) : 0;
  return Math.round(start + f * span);
}
