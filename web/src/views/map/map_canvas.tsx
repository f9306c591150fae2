// The map's SVG drawing. The static layer (every shape of the layout) is
// rendered by Preact once per layout; per frame only the unit fills, the
// unit texts and the carrier badges change, and those are written straight
// to the DOM by applyFrame() — so a frame costs O(units) attribute writes,
// not a virtual-DOM diff of the whole map. Not shared; one per map view.

import { memo } from 'preact/compat';
import type { MapModel, Shape } from './layout_model';
import type { UnitPaint } from './colors';
import { flowGlyphs, glyphPath, kUnitTextBaseline, type FlowGlyph } from './flow_glyph';

/**
 * Flow directions are compass angles (Angle_0 up, Angle_90 right, Angle_180
 * down, Angle_270 left, as the layout designer writes them); the glyphs are
 * drawn pointing right, so they turn by angle - 90.
 */
export function screenRotation(angle: number): number {
  return angle - 90;
}

/** `glyph`: the unit's flow chevron, placed off its text and the arrows (flow_glyph.ts). */
function ShapeEl({ s, i, glyph }: { s: Shape; i: number; glyph: FlowGlyph | undefined }) {
  const cx = s.x + s.w / 2;
  const cy = s.y + s.h / 2;
  if (s.kind === 'arrow') {
    const len = Math.max(s.w, s.h);
    const hw = Math.min(s.w, s.h) / 2;
    // An arrow pointing right, rotated by the flow direction about its center.
    const d = `M${cx - len / 2} ${cy - hw / 3}h${len * 0.6}v${-hw / 1.5}l${len * 0.4} ${hw}l${-len * 0.4} ${hw}v${-hw / 1.5}h${-len * 0.6}z`;
    return <path d={d} class="mv-arrow" transform={s.angle !== null ? `rotate(${screenRotation(s.angle)} ${cx} ${cy})` : undefined} />;
  }
  if (s.kind === 'label') {
    return (
      <text x={s.x} y={cy} class="mv-label" style={s.foreColor ? { fill: s.foreColor } : undefined}>
        {s.text}
      </text>
    );
  }
  if (s.kind === 'line') {
    return <line x1={s.x} y1={s.y} x2={s.x + s.w} y2={s.y + s.h} class="mv-line" stroke-width={s.lineThick} />;
  }
  return (
    <g class={`mv-shape mv-${s.kind}`} data-unit={s.unitId || undefined} data-i={i}>
      <rect x={s.x} y={s.y} width={s.w} height={s.h} rx={s.kind === 'port' ? 3 : 1} />
      {glyph && <path class="mv-flow" d={glyphPath(glyph)} />}
      {(s.text || s.unitId) && (
        <text x={cx} y={cy + kUnitTextBaseline} class="mv-unit-text">
          {s.text || s.unitId}
        </text>
      )}
    </g>
  );
}

/** The static layer: drawn once per model. */
export const StaticLayer = memo(function StaticLayer({ model }: { model: MapModel }) {
  const glyphs = flowGlyphs(model);
  return (
    <g class="mv-static">
      {model.shapes.map((s, i) => (
        <ShapeEl key={s.name} s={s} i={i} glyph={glyphs.get(i)} />
      ))}
    </g>
  );
});

/** Per-unit DOM handles collected once after the static layer renders. */
export interface UnitHandles {
  rects: Map<string, SVGRectElement[]>;
  texts: Map<string, SVGTextElement[]>;
  /** The last paint written, to skip unchanged units. */
  last: Map<string, string>;
}

export function collectHandles(root: SVGGElement): UnitHandles {
  const rects = new Map<string, SVGRectElement[]>();
  const texts = new Map<string, SVGTextElement[]>();
  for (const g of root.querySelectorAll<SVGGElement>('g[data-unit]')) {
    const id = g.dataset.unit!;
    const r = g.querySelector('rect');
    const t = g.querySelector<SVGTextElement>('text.mv-unit-text');
    if (r) (rects.get(id) ?? rects.set(id, []).get(id)!).push(r);
    if (t) {
      t.dataset.orig = t.textContent ?? '';
      (texts.get(id) ?? texts.set(id, []).get(id)!).push(t);
    }
  }
  return { rects, texts, last: new Map() };
}

/** Writes one frame's paint; returns the number of units whose paint changed. */
export function applyPaint(h: UnitHandles, paint: Map<string, UnitPaint>, selected: string | null): number {
  let changed = 0;
  for (const [id, p] of paint) {
    const key = `${p.fill}|${p.text}|${p.textColor}|${id === selected ? 1 : 0}`;
    if (h.last.get(id) === key) continue;
    h.last.set(id, key);
    changed++;
    for (const r of h.rects.get(id) ?? []) {
      r.style.fill = p.fill;
      r.classList.toggle('mv-selected', id === selected);
    }
    for (const t of h.texts.get(id) ?? []) {
      t.textContent = p.text || t.dataset.orig || id;
      t.style.fill = p.textColor || '';
    }
  }
  return changed;
}
