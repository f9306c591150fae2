// Row selection of the log table as sorted, disjoint, inclusive index ranges,
// so "select all" on 12 M rows costs one range. Pure functions; the view keeps
// the current Selection in a signal and replaces it on every change.

export interface Selection {
  /** Sorted, disjoint, non-adjacent inclusive ranges [lo, hi]. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** Where a Shift range starts. */
  anchor: number | null;
  /** The row with keyboard focus (moved by arrows). */
  focus: number | null;
}

export const kEmptySelection: Selection = { ranges: [], anchor: null, focus: null };

export function selectOnly(i: number): Selection {
  return { ranges: [[i, i]], anchor: i, focus: i };
}

/** Normalizes ranges: sorts, merges overlapping and adjacent ones. */
export function normalize(ranges: ReadonlyArray<readonly [number, number]>): [number, number][] {
  const sorted = ranges
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function isSelected(s: Selection, i: number): boolean {
  let lo = 0;
  let hi = s.ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = s.ranges[mid]!;
    if (i < r[0]) hi = mid - 1;
    else if (i > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

export function selectedCount(s: Selection): number {
  let n = 0;
  for (const [a, b] of s.ranges) n += b - a + 1;
  return n;
}

/** Ctrl+click: toggles row i, keeps the rest. */
export function toggle(s: Selection, i: number): Selection {
  if (!isSelected(s, i)) {
    return { ranges: normalize([...s.ranges, [i, i]]), anchor: i, focus: i };
  }
  const out: [number, number][] = [];
  for (const [a, b] of s.ranges) {
    if (i < a || i > b) out.push([a, b]);
    else {
      if (a <= i - 1) out.push([a, i - 1]);
      if (i + 1 <= b) out.push([i + 1, b]);
    }
  }
  return { ranges: out, anchor: i, focus: i };
}

/** Shift+click: the range from the anchor to i (additive with Ctrl). */
export function extendTo(s: Selection, i: number, additive = false): Selection {
  const anchor = s.anchor ?? i;
  const range: [number, number] = [Math.min(anchor, i), Math.max(anchor, i)];
  return {
    ranges: additive ? normalize([...s.ranges, range]) : [range],
    anchor,
    focus: i,
  };
}

/**
 * Keyboard move of the focus by delta rows (or to an absolute row when
 * `to` is given); Shift extends from the anchor.
 */
export function moveFocus(
  s: Selection,
  rowCount: number,
  opts: { delta?: number; to?: number; extend: boolean },
): Selection {
  if (rowCount <= 0) return kEmptySelection;
  const from = s.focus ?? -1;
  let target = opts.to ?? from + (opts.delta ?? 0);
  if (s.focus === null && opts.to === undefined) target = (opts.delta ?? 0) < 0 ? rowCount - 1 : 0;
  target = Math.max(0, Math.min(rowCount - 1, target));
  return opts.extend ? extendTo(s, target) : selectOnly(target);
}

export function selectAll(rowCount: number): Selection {
  if (rowCount <= 0) return kEmptySelection;
  return { ranges: [[0, rowCount - 1]], anchor: 0, focus: rowCount - 1 };
}

/** Selected indices in ascending order, at most `limit` of them. */
export function selectedIndices(s: Selection, limit = Infinity): number[] {
  const out: number[] = [];
  for (const [a, b] of s.ranges) {
    for (let i = a; i <= b; i++) {
      if (out.length >= limit) return out;
      out.push(i);
    }
  }
  return out;
}
