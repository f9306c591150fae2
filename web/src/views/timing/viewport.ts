// Viewport math of the timing diagram: which time range is shown on how many
// pixels, and every navigation step (zoom at a point, pan, presets, fit, go
// to start/end, center on a time). Values are immutable; every operation
// returns a new, clamped viewport. Times are ms since the epoch.

export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

// The session's data range; views may show a margin around it.
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

// The smallest span we show. API times are doubles of ~1.7e12 ms whose
// resolution is ~0.24 µs; below ~100 µs a view would snap visibly.
export const kMinSpanMs = 0.1;
// How far past the data a view may go, as a fraction of the data span.
export const kEdgeMargin = 0.05;

export const kZoomPresetsMs: readonly { label: string; ms: number }[] = [
  { label: '1 s', ms: 1000 },
  { label: '10 s', ms: 10_000 },
  { label: '1 min', ms: 60_000 },
  { label: '10 min', ms: 600_000 },
  { label: '1 h', ms: 3_600_000 },
];

export function span(v: TimeRange): number {
  return v.end - v.start;
}

export function timeToX(v: TimeRange, width: number, t: number): number {
  return ((t - v.start) / (v.end - v.start)) * width;
}

export function xToTime(v: TimeRange, width: number, x: number): number {
  return v.start + (x / width) * (v.end - v.start);
}

function margin(b: Bounds): number {
  return Math.max((b.max - b.min) * kEdgeMargin, kMinSpanMs);
}

function maxSpan(b: Bounds): number {
  return b.max - b.min + 2 * margin(b);
}

// Keeps the span within [kMinSpanMs, data span + margins] and the range
// within the data plus margins. A view wider than allowed is centered.
export function clampView(v: TimeRange, b: Bounds): TimeRange {
  const m = margin(b);
  const lo = b.min - m;
  const hi = b.max + m;
  let s = Math.min(Math.max(span(v), kMinSpanMs), maxSpan(b));
  if (!Number.isFinite(s)) s = maxSpan(b);
  let start = v.start;
  if (!Number.isFinite(start)) start = b.min;
  if (start < lo) start = lo;
  if (start + s > hi) start = hi - s;
  return { start, end: start + s };
}

// Zooms by `factor` (< 1 zooms in) keeping the time under pixel `x` fixed.
export function zoomAt(v: TimeRange, width: number, x: number, factor: number, b: Bounds): TimeRange {
  const anchor = xToTime(v, width, x);
  const frac = width > 0 ? x / width : 0.5;
  const s = Math.min(Math.max(span(v) * factor, kMinSpanMs), maxSpan(b));
  const start = anchor - frac * s;
  return clampView({ start, end: start + s }, b);
}

// Zoom factor for a wheel delta (pixels): 100 px of wheel = 1.5x.
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(1.5, deltaY / 100);
}

export function panByTime(v: TimeRange, dt: number, b: Bounds): TimeRange {
  return clampView({ start: v.start + dt, end: v.end + dt }, b);
}

// Pans by `dx` pixels: positive dx moves the content right (earlier times).
export function panByPixels(v: TimeRange, width: number, dx: number, b: Bounds): TimeRange {
  return panByTime(v, (-dx / width) * span(v), b);
}

// Shows `ms` around the current center.
export function zoomToSpan(v: TimeRange, ms: number, b: Bounds): TimeRange {
  const c = (v.start + v.end) / 2;
  return clampView({ start: c - ms / 2, end: c + ms / 2 }, b);
}

export function fitAll(b: Bounds): TimeRange {
  const m = Math.max((b.max - b.min) * 0.01, kMinSpanMs / 2);
  return clampView({ start: b.min - m, end: b.max + m }, b);
}

export function goToStart(v: TimeRange, b: Bounds): TimeRange {
  const s = span(v);
  const start = b.min - s * 0.02;
  return clampView({ start, end: start + s }, b);
}

export function goToEnd(v: TimeRange, b: Bounds): TimeRange {
  const s = span(v);
  const end = b.max + s * 0.02;
  return clampView({ start: end - s, end }, b);
}

// Keeps the span and puts `t` in the middle.
export function centerOn(v: TimeRange, t: number, b: Bounds): TimeRange {
  const s = span(v);
  return clampView({ start: t - s / 2, end: t + s / 2 }, b);
}

// Pans only when `t` is outside the view (or within `edgeFrac` of its edges).
export function revealTime(v: TimeRange, t: number, b: Bounds, edgeFrac = 0.05): TimeRange {
  const s = span(v);
  if (t >= v.start + s * edgeFrac && t <= v.end - s * edgeFrac) return v;
  return centerOn(v, t, b);
}

// Shows [a, b] (in any order) with a small margin on each side.
export function zoomToRange(a: number, c: number, b: Bounds): TimeRange {
  const lo = Math.min(a, c);
  const hi = Math.max(a, c);
  const m = Math.max((hi - lo) * 0.02, kMinSpanMs / 2);
  return clampView({ start: lo - m, end: hi + m }, b);
}

// Slider position (0..1) of a view over the data, and back.
export function sliderFraction(v: TimeRange, b: Bounds): number {
  const full = maxSpan(b) - span(v);
  if (full <= 0) return 0;
  return Math.min(1, Math.max(0, (v.start - (b.min - margin(b))) / full));
}

export function viewAtSliderFraction(v: TimeRange, f: number, b: Bounds): TimeRange {
  const full = maxSpan(b) - span(v);
  const start = b.min - margin(b) + Math.max(0, full) * f;
  return clampView({ start, end: start + span(v) }, b);
}
