// Virtual scrolling math for tables of any row count.
//
// A browser cannot hold an element 12 M rows tall (Chromium caps element
// heights near 33.5 M px, and scroll precision degrades long before), so the
// scroller's spacer is at most kMaxScrollHeight px tall and the scroll range
// maps linearly onto the "virtual" content range:
//
//   virtualTop = scrollTop / scrollRange * virtualRange
//   scrollRange  = spacerHeight - viewportHeight
//   virtualRange = rowCount * rowHeight - viewportHeight
//
// so scrollTop 0 shows row 0 and the end of the scrollbar shows the last row
// exactly at the bottom. When the content fits under the cap the mapping is
// the identity. Wheel and keyboard move virtualTop in content pixels (fine
// steps) and write scrollTop back through scrollFromVirtual().

export const kMaxScrollHeight = 8_000_000;

export interface ScrollModel {
  rowCount: number;
  rowHeight: number;
  viewportHeight: number;
  maxScrollHeight?: number;
}

export function contentHeight(m: ScrollModel): number {
  return m.rowCount * m.rowHeight;
}

/** Height of the spacer element inside the scroller. */
export function spacerHeight(m: ScrollModel): number {
  return Math.min(contentHeight(m), m.maxScrollHeight ?? kMaxScrollHeight);
}

export function virtualRange(m: ScrollModel): number {
  return Math.max(0, contentHeight(m) - m.viewportHeight);
}

export function scrollRange(m: ScrollModel): number {
  return Math.max(0, spacerHeight(m) - m.viewportHeight);
}

/** True when the scrollbar is scaled (content taller than the cap). */
export function isScaled(m: ScrollModel): boolean {
  return contentHeight(m) > (m.maxScrollHeight ?? kMaxScrollHeight);
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function clampVirtual(m: ScrollModel, v: number): number {
  return clamp(v, 0, virtualRange(m));
}

/** Content offset (px) shown at the top for a scroller scrollTop. */
export function virtualFromScroll(m: ScrollModel, scrollTop: number): number {
  const sr = scrollRange(m);
  const vr = virtualRange(m);
  if (sr <= 0 || vr <= 0) return 0;
  const st = clamp(scrollTop, 0, sr);
  if (st >= sr) return vr;
  if (!isScaled(m)) return clamp(st, 0, vr);
  return (st / sr) * vr;
}

/** The scrollTop that shows content offset v. */
export function scrollFromVirtual(m: ScrollModel, v: number): number {
  const sr = scrollRange(m);
  const vr = virtualRange(m);
  if (sr <= 0 || vr <= 0) return 0;
  const cv = clamp(v, 0, vr);
  if (!isScaled(m)) return cv;
  return (cv / vr) * sr;
}

export interface VisibleRows {
  /** Index of the first (partially) visible row. */
  first: number;
  /** Number of rows to render from `first` (covers the viewport). */
  count: number;
  /** Pixels of row `first` hidden above the viewport top. */
  offset: number;
}

export function visibleRows(m: ScrollModel, v: number): VisibleRows {
  if (m.rowCount <= 0 || m.viewportHeight <= 0) return { first: 0, count: 0, offset: 0 };
  const cv = clampVirtual(m, v);
  const first = Math.min(m.rowCount - 1, Math.floor(cv / m.rowHeight));
  const offset = cv - first * m.rowHeight;
  const count = Math.min(m.rowCount - first, Math.ceil((offset + m.viewportHeight) / m.rowHeight));
  return { first, count, offset };
}

/** Rows that fit entirely in the viewport (for PgUp/PgDn). */
export function pageRows(m: ScrollModel): number {
  return Math.max(1, Math.floor(m.viewportHeight / m.rowHeight));
}

/** The virtual offset that puts row i at the top of the viewport. */
export function virtualForRowAtTop(m: ScrollModel, i: number): number {
  return clampVirtual(m, i * m.rowHeight);
}

/** The smallest move of v that makes row i fully visible. */
export function ensureRowVisible(m: ScrollModel, v: number, i: number): number {
  const top = i * m.rowHeight;
  const bottom = top + m.rowHeight;
  let nv = v;
  if (top < nv) nv = top;
  else if (bottom > nv + m.viewportHeight) nv = bottom - m.viewportHeight;
  return clampVirtual(m, nv);
}

/** Virtual offset that shows row i roughly centered (for jumps). */
export function virtualForRowCentered(m: ScrollModel, i: number): number {
  return clampVirtual(m, i * m.rowHeight - (m.viewportHeight - m.rowHeight) / 2);
}

/** 0-based page indices (of pageSize rows) covering rows [first, last]. */
export function pagesForRows(first: number, last: number, pageSize: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}
