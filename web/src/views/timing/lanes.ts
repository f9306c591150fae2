// Lane layout of the timing diagram: the rows (device group headers and one
// lane per selected signal), their heights and offsets, which rows a scroll
// position shows (vertical virtualization), and reordering by drag. Device
// groups appear in the order of their first selected signal; lanes keep the
// selection order within their group. Pure.

import type { SignalType } from '../../api/types';

export const kGroupHeaderPx = 22;
export const kLaneHeights: readonly { label: string; px: number }[] = [
  { label: 'Compact', px: 24 },
  { label: 'Dense', px: 36 },
  { label: 'Normal', px: 60 },
  { label: 'Tall', px: 90 },
];
export const kDefaultLaneHeight = 60;

export interface GroupRow {
  readonly kind: 'group';
  readonly device: string;
  readonly lanes: number;
  readonly collapsed: boolean;
  readonly top: number;
  readonly height: number;
}

export interface LaneRow {
  readonly kind: 'lane';
  readonly key: string;
  readonly device: string;
  readonly name: string;
  readonly type: SignalType;
  readonly top: number;
  readonly height: number;
}

export type Row = GroupRow | LaneRow;

export interface Layout {
  readonly rows: Row[];
  readonly height: number;
  // Lanes in display order (also the hidden ones of collapsed groups).
  readonly order: string[];
}

export function splitKey(key: string): { device: string; name: string } {
  const i = key.lastIndexOf('::');
  return i < 0 ? { device: '', name: key } : { device: key.slice(0, i), name: key.slice(i + 2) };
}

export function layoutLanes(
  selected: readonly string[],
  types: Readonly<Record<string, SignalType>>,
  collapsed: ReadonlySet<string>,
  laneHeight: number,
): Layout {
  const groups = new Map<string, string[]>();
  for (const key of selected) {
    const { device } = splitKey(key);
    let g = groups.get(device);
    if (!g) groups.set(device, (g = []));
    g.push(key);
  }
  const rows: Row[] = [];
  const order: string[] = [];
  let y = 0;
  for (const [device, keys] of groups) {
    const isCollapsed = collapsed.has(device);
    rows.push({ kind: 'group', device, lanes: keys.length, collapsed: isCollapsed, top: y, height: kGroupHeaderPx });
    y += kGroupHeaderPx;
    for (const key of keys) {
      order.push(key);
      if (isCollapsed) continue;
      const { name } = splitKey(key);
      rows.push({ kind: 'lane', key, device, name, type: types[key] ?? 'string', top: y, height: laneHeight });
      y += laneHeight;
    }
  }
  return { rows, height: y, order };
}

// Index range [first, last) of the rows intersecting [top, top + height).
export function visibleRows(layout: Layout, top: number, height: number): { first: number; last: number } {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r.top + r.height <= top) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last < rows.length && rows[last]!.top < top + height) last++;
  return { first: lo, last };
}

// The row at content y, or null.
export function rowAt(layout: Layout, y: number): Row | null {
  const { first, last } = visibleRows(layout, y, 1);
  return first < last ? layout.rows[first]! : null;
}

// The selection with `key` moved before `beforeKey` (null: to the end).
export function moveKey(selected: readonly string[], key: string, beforeKey: string | null): string[] {
  if (key === beforeKey) return [...selected];
  const out = selected.filter((k) => k !== key);
  const at = beforeKey === null ? -1 : out.indexOf(beforeKey);
  if (at < 0) out.push(key);
  else out.splice(at, 0, key);
  return out;
}

// The lane `delta` lanes away from `key` in display order (clamped).
export function neighbourLane(layout: Layout, key: string | null, delta: number): string | null {
  const lanes = layout.rows.filter((r): r is LaneRow => r.kind === 'lane');
  if (lanes.length === 0) return null;
  const i = key === null ? -1 : lanes.findIndex((l) => l.key === key);
  if (i < 0) return lanes[delta >= 0 ? 0 : lanes.length - 1]!.key;
  return lanes[Math.min(lanes.length - 1, Math.max(0, i + delta))]!.key;
}
