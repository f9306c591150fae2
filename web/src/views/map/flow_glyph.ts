// Where a unit's flow chevron goes so that it never crosses the unit's text:
// the text sits at the unit's center, the chevron at the downstream end of
// the unit (or beside the text across the flow when the unit is short), and
// no chevron at all when neither fits inside the unit. Also the boxes of
// label texts and the segment/box tests the map's checks use. Pure; no DOM.

import type { Bounds, MapModel, Shape } from './layout_model';

/** The unit text's font size (map.css .mv-unit-text) and its baseline below the unit's center. */
export const kUnitTextPx = 7;
export const kUnitTextBaseline = 3;
/** The label text's font size (map.css .mv-label). */
export const kLabelTextPx = 11;

/** Half the chevron's side (it spans 2·kGlyphHalf along and across the flow). */
const kGlyphHalf = 3;
/** Space kept between the chevron and the text, and the unit's edge. */
const kGap = 2;

export type Point = [number, number];
export type Segment = [Point, Point];

/** A chevron: its center and the two strokes of the ">" pointing along the flow. */
export interface FlowGlyph {
  cx: number;
  cy: number;
  segments: Segment[];
}

/**
 * Width of `text` at `px` font size, over-estimated on purpose (the widest
 * common sans-serif glyphs per class: capitals and digits of DejaVu Sans),
 * so that a chevron kept off this box is kept off the drawn text.
 */
export function textWidth(text: string, px: number): number {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.34;
    else if (/[MWmw@%]/.test(ch)) em += 1.0;
    else if (/[A-Z]/.test(ch)) em += 0.78;
    else if (/[0-9]/.test(ch)) em += 0.66;
    else if (/[a-z]/.test(ch)) em += 0.64;
    else em += 0.7;
  }
  return em * px;
}

/** The box of a text drawn with its baseline at y, anchored at x ('middle' or 'start'). */
export function textBox(text: string, px: number, x: number, baseline: number, anchor: 'middle' | 'start'): Bounds {
  const w = textWidth(text, px);
  const x0 = anchor === 'middle' ? x - w / 2 : x;
  return { x0, y0: baseline - 0.95 * px, x1: x0 + w, y1: baseline + 0.3 * px };
}

/** The text a unit shows first (its layout text, else its unit id). */
export function unitText(s: Shape): string {
  return s.text || s.unitId;
}

/** The box of a unit's text (centered on the unit), or null when it has none. */
export function unitTextBox(s: Shape): Bounds | null {
  const t = unitText(s);
  if (!t) return null;
  return textBox(t, kUnitTextPx, s.x + s.w / 2, s.y + s.h / 2 + kUnitTextBaseline, 'middle');
}

/** The box of a label shape's text (map_canvas: start-anchored at x, baseline at the center). */
export function labelTextBox(s: Shape): Bounds | null {
  if (!s.text) return null;
  return textBox(s.text, kLabelTextPx, s.x, s.y + s.h / 2, 'start');
}

/** The unit vector of a compass angle (0 up, 90 right, clockwise; y grows down). */
export function flowVector(angle: number): Point {
  const r = (angle * Math.PI) / 180;
  const dx = Math.sin(r);
  const dy = -Math.cos(r);
  return [Math.abs(dx) < 1e-9 ? 0 : dx, Math.abs(dy) < 1e-9 ? 0 : dy];
}

/** The chevron centered at (cx, cy) pointing along (ux, uy). */
export function glyphAt(cx: number, cy: number, ux: number, uy: number): FlowGlyph {
  const h = kGlyphHalf;
  // Across the flow: (−uy, ux). The tip is h ahead, the two tails h behind and h to each side.
  const tip: Point = [cx + ux * h, cy + uy * h];
  const a: Point = [cx - ux * h - uy * h, cy - uy * h + ux * h];
  const b: Point = [cx - ux * h + uy * h, cy - uy * h - ux * h];
  return { cx, cy, segments: [[a, tip], [tip, b]] };
}

export function glyphBounds(g: FlowGlyph): Bounds {
  const xs = g.segments.flatMap(([p, q]) => [p[0], q[0]]);
  const ys = g.segments.flatMap(([p, q]) => [p[1], q[1]]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** The SVG path of a chevron. */
export function glyphPath(g: FlowGlyph): string {
  const [a, tip] = g.segments[0]!;
  const b = g.segments[1]![1];
  const n = (v: number) => String(Math.round(v * 100) / 100);
  return `M${n(a[0])} ${n(a[1])}L${n(tip[0])} ${n(tip[1])}L${n(b[0])} ${n(b[1])}`;
}

export function inflate(b: Bounds, d: number): Bounds {
  return { x0: b.x0 - d, y0: b.y0 - d, x1: b.x1 + d, y1: b.y1 + d };
}

export function boxesOverlap(a: Bounds, b: Bounds): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

function inside(inner: Bounds, outer: Bounds): boolean {
  return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

/** True when segment p–q touches the box's interior or edge (Liang–Barsky clipping). */
export function segmentHitsBox([p, q]: Segment, b: Bounds): boolean {
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  let t0 = 0;
  let t1 = 1;
  const clip = (num: number, den: number): boolean => {
    // Keeps the part of the segment where den·t ≤ num.
    if (den === 0) return num >= 0;
    const t = num / den;
    if (den > 0) {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    } else {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    }
    return true;
  };
  return clip(b.x1 - p[0], dx) && clip(p[0] - b.x0, -dx) && clip(b.y1 - p[1], dy) && clip(p[1] - b.y0, -dy) && t0 <= t1;
}

/**
 * The chevron of a unit with a flow direction: at the downstream end of the
 * unit, moved back toward the text as far as needed to clear `obstacles`
 * (the arrows drawn between units, which often overlap a unit's ends); else
 * the same from the upstream end; else beside its text across the flow (the
 * side with more room first). The first place that lies inside the unit and
 * keeps kGap off the text and the obstacles wins. Null when the unit has no
 * flow direction or nothing fits (a unit too small): then no chevron is drawn.
 */
export function placeFlowGlyph(s: Shape, obstacles: readonly Bounds[] = []): FlowGlyph | null {
  if (s.angle === null || s.kind === 'port' || s.kind === 'arrow' || s.kind === 'label' || s.kind === 'line') return null;
  const [ux, uy] = flowVector(s.angle);
  const cx = s.x + s.w / 2;
  const cy = s.y + s.h / 2;
  const rect: Bounds = { x0: s.x, y0: s.y, x1: s.x + s.w, y1: s.y + s.h };
  const room = inflate(rect, -kGap);
  const text = unitTextBox(s);
  const keepOff = [...(text ? [inflate(text, kGap)] : []), ...obstacles.map((o) => inflate(o, kGap))];
  const fits = (g: FlowGlyph) => {
    const gb = glyphBounds(g);
    return inside(gb, room) && !keepOff.some((k) => boxesOverlap(gb, k));
  };
  // Half the unit's length along the flow, less the chevron and a gap.
  const along = (Math.abs(ux) * s.w + Math.abs(uy) * s.h) / 2 - kGlyphHalf - kGap;
  for (const dir of [1, -1]) {
    for (let d = along; d > 0; d -= 1) {
      const g = glyphAt(cx + dir * ux * d, cy + dir * uy * d, ux, uy);
      if (fits(g)) return g;
    }
  }
  if (!text) return null;
  // Across the flow, just clear of the text box on either side.
  const px = -uy;
  const py = ux;
  const textHalfAcross = (Math.abs(px) * (text.x1 - text.x0)) / 2 + (Math.abs(py) * (text.y1 - text.y0)) / 2;
  const textMid: Point = [(text.x0 + text.x1) / 2, (text.y0 + text.y1) / 2];
  const off = textHalfAcross + kGap + kGlyphHalf + 0.5;
  const sides: Point[] = [
    [textMid[0] + px * off, textMid[1] + py * off],
    [textMid[0] - px * off, textMid[1] - py * off],
  ];
  // The side farther from the unit's edge first.
  const spare = (p: Point) => Math.min(p[0] - rect.x0, rect.x1 - p[0], p[1] - rect.y0, rect.y1 - p[1]);
  sides.sort((a, b) => spare(b) - spare(a));
  for (const [gx, gy] of sides) {
    const g = glyphAt(gx, gy, ux, uy);
    if (fits(g)) return g;
  }
  return null;
}

/** The box of an arrow shape as map_canvas.tsx draws it (its glyph turned about its center). */
export function arrowBox(s: Shape): Bounds {
  const len = Math.max(s.w, s.h);
  const across = Math.min(s.w, s.h);
  const cx = s.x + s.w / 2;
  const cy = s.y + s.h / 2;
  const [ux, uy] = flowVector(s.angle ?? 90);
  const hx = (Math.abs(ux) * len + Math.abs(uy) * across) / 2;
  const hy = (Math.abs(uy) * len + Math.abs(ux) * across) / 2;
  return { x0: cx - hx, y0: cy - hy, x1: cx + hx, y1: cy + hy };
}

/** The chevron of every unit shape of the model that gets one, by shape index. */
export function flowGlyphs(m: MapModel): Map<number, FlowGlyph> {
  const arrows = m.shapes.filter((s) => s.kind === 'arrow').map(arrowBox);
  const out = new Map<number, FlowGlyph>();
  m.shapes.forEach((s, i) => {
    const near = arrows.filter((a) => boxesOverlap(a, { x0: s.x, y0: s.y, x1: s.x + s.w, y1: s.y + s.h }));
    const g = placeFlowGlyph(s, near);
    if (g) out.set(i, g);
  });
  return out;
}

/** Every text box drawn on the map: the units' texts and the label shapes'. */
export function textBoxes(m: MapModel): { name: string; box: Bounds }[] {
  const out: { name: string; box: Bounds }[] = [];
  for (const s of m.shapes) {
    const b = s.kind === 'label' ? labelTextBox(s) : s.kind === 'arrow' || s.kind === 'line' ? null : unitTextBox(s);
    if (b) out.push({ name: s.name, box: b });
  }
  return out;
}
