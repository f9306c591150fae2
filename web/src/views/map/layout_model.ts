// The map's drawing model: layout objects (compat MapObject, text fields as
// in the XML) turned into shapes with numeric geometry, grouped by unit, and
// the pan/zoom transform math. Pure functions; no DOM.

import type { MapLayout, MapObject } from '../../api/map_api';

export type ShapeKind = 'belt' | 'diverter' | 'port' | 'arrow' | 'label' | 'line' | 'other';

export interface Shape {
  name: string;
  kind: ShapeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  unitId: string;
  text: string;
  /** Flow direction, a compass angle in degrees (0 = up, 90 = right, clockwise), or null. */
  angle: number | null;
  foreColor: string;
  lineThick: number;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface MapModel {
  shapes: Shape[];
  /** Shape indices of each unit id. */
  units: Map<string, number[]>;
  bounds: Bounds;
}

/** "120, 40" → [120, 40]; also "120 40"; null when not two numbers. */
export function parsePair(s: string | undefined): [number, number] | null {
  if (!s) return null;
  const parts = s.split(/[,\s]+/).filter((p) => p !== '');
  if (parts.length !== 2) return null;
  const a = Number(parts[0]);
  const b = Number(parts[1]);
  return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
}

/** "Angle_90" → 90 (any case; a bare number works too). */
export function parseAngle(s: string | undefined): number | null {
  if (!s) return null;
  const m = /^\s*(?:angle_)?(-?\d+(?:\.\d+)?)\s*$/i.exec(s);
  return m ? Number(m[1]) : null;
}

/** The kind of a .NET widget class name ("…Widgets.WidgetBelt, Assembly"). */
export function classify(type: string): ShapeKind {
  const cls = (type.split(',')[0] ?? '').split('.').pop()?.toLowerCase() ?? '';
  if (cls.includes('arrow')) return 'arrow';
  if (cls.includes('diverter') || cls.includes('turntable') || cls.includes('switch')) return 'diverter';
  if (cls.includes('port') || cls.includes('stocker') || cls.includes('station')) return 'port';
  if (cls.includes('belt') || cls.includes('conveyor') || cls.includes('cnv')) return 'belt';
  if (cls.includes('label') || cls.includes('text')) return 'label';
  if (cls.includes('line')) return 'line';
  return 'other';
}

export function buildModel(layout: MapLayout): MapModel {
  const shapes: Shape[] = [];
  const units = new Map<string, number[]>();
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const o of Object.values(layout.objects ?? {}) as MapObject[]) {
    const loc = parsePair(o.location);
    const size = parsePair(o.size);
    if (!loc && !size) continue;  // group objects without geometry
    const [x, y] = loc ?? [0, 0];
    const [w, h] = size ?? [20, 20];
    let kind = classify(o.type ?? '');
    if (kind === 'other' && o.unitId) kind = 'belt';
    const s: Shape = {
      name: o.name,
      kind,
      x,
      y,
      w,
      h,
      unitId: o.unitId ?? '',
      text: o.text ?? '',
      angle: parseAngle(o.flowDirection),
      foreColor: o.foreColor ?? '',
      lineThick: Number(o.lineThick) || 1,
    };
    if (s.unitId) {
      const list = units.get(s.unitId);
      if (list) list.push(shapes.length);
      else units.set(s.unitId, [shapes.length]);
    }
    shapes.push(s);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  if (shapes.length === 0) return { shapes, units, bounds: { x0: 0, y0: 0, x1: 100, y1: 100 } };
  return { shapes, units, bounds: { x0, y0, x1, y1 } };
}

/** Screen = world * scale + (tx, ty). */
export interface ViewTransform {
  scale: number;
  tx: number;
  ty: number;
}

export const kMinScale = 0.02;
export const kMaxScale = 40;

/** The transform that shows `b` centered in a view of w × h with a margin. */
export function fitTransform(b: Bounds, w: number, h: number, margin = 20): ViewTransform {
  const bw = Math.max(1, b.x1 - b.x0);
  const bh = Math.max(1, b.y1 - b.y0);
  const scale = clamp(Math.min((w - 2 * margin) / bw, (h - 2 * margin) / bh), kMinScale, kMaxScale);
  return {
    scale,
    tx: (w - bw * scale) / 2 - b.x0 * scale,
    ty: (h - bh * scale) / 2 - b.y0 * scale,
  };
}

/** Zooms by `factor` keeping the world point under screen (px, py) fixed. */
export function zoomAt(t: ViewTransform, factor: number, px: number, py: number): ViewTransform {
  const scale = clamp(t.scale * factor, kMinScale, kMaxScale);
  const k = scale / t.scale;
  return { scale, tx: px - (px - t.tx) * k, ty: py - (py - t.ty) * k };
}

export function panBy(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: t.scale, tx: t.tx + dx, ty: t.ty + dy };
}

/** Keeps the scale and puts world point (wx, wy) at the center of a w × h view. */
export function centerOn(t: ViewTransform, wx: number, wy: number, w: number, h: number): ViewTransform {
  return { scale: t.scale, tx: w / 2 - wx * t.scale, ty: h / 2 - wy * t.scale };
}

export function screenToWorld(t: ViewTransform, px: number, py: number): [number, number] {
  return [(px - t.tx) / t.scale, (py - t.ty) / t.scale];
}

/** Center of a unit (the mean of its shapes' centers), or null. */
export function unitCenter(m: MapModel, unitId: string): [number, number] | null {
  const idx = m.units.get(unitId);
  if (!idx || idx.length === 0) return null;
  let sx = 0;
  let sy = 0;
  for (const i of idx) {
    const s = m.shapes[i]!;
    sx += s.x + s.w / 2;
    sy += s.y + s.h / 2;
  }
  return [sx / idx.length, sy / idx.length];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
