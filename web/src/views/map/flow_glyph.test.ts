import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MapLayout, MapObject } from '../../api/map_api';
import { buildModel, type Shape } from './layout_model';
import {
  arrowBox,
  boxesOverlap,
  flowGlyphs,
  flowVector,
  glyphAt,
  glyphBounds,
  placeFlowGlyph,
  segmentHitsBox,
  textBoxes,
  textWidth,
  unitTextBox,
  type Segment,
} from './flow_glyph';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Reads a layout XML as the server does for the demo (docs/formats.md §7): every Object with its child fields. */
function readLayout(xml: string): MapLayout {
  const objects: Record<string, MapObject> = {};
  const field = (body: string, tag: string) => {
    const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
    return m ? m[1]!.trim() : '';
  };
  const open = /<Object\b([^>]*)>/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = open.exec(xml))) {
    const attrs = m[1]!;
    const rest = xml.slice(open.lastIndex);
    const end = rest.search(/<Object\b|<\/Object>/);
    const body = end < 0 ? rest : rest.slice(0, end);
    const name = /name="([^"]*)"/.exec(attrs)?.[1] ?? `group_${n++}`;
    objects[name] = {
      name,
      type: /type="([^"]*)"/.exec(attrs)?.[1] ?? '',
      text: field(body, 'Text'),
      size: field(body, 'Size'),
      location: field(body, 'Location'),
      unitId: field(body, 'UnitId'),
      lineThick: field(body, 'LineThick'),
      flowDirection: field(body, 'FlowDirection'),
      foreColor: field(body, 'ForeColor'),
      endCap: field(body, 'EndCap'),
      startCap: field(body, 'StartCap'),
      dashStyle: field(body, 'DashStyle'),
    };
  }
  return { objects };
}

const demo = buildModel(readLayout(readFileSync(join(repo, 'demo', 'layout.xml'), 'utf8')));

function belt(x: number, y: number, w: number, h: number, angle: number | null, text: string): Shape {
  return { name: 'b', kind: 'belt', x, y, w, h, unitId: 'U-1', text, angle, foreColor: '', lineThick: 1 };
}

/** The old placement: the chevron at the unit's center. */
function centered(s: Shape): Segment[] {
  const [ux, uy] = flowVector(s.angle!);
  return glyphAt(s.x + s.w / 2, s.y + s.h / 2, ux, uy).segments;
}

describe('segment and box tests', () => {
  const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
  it('finds crossings, touches and misses', () => {
    expect(segmentHitsBox([[-5, 5], [15, 5]], box)).toBe(true);  // straight through
    expect(segmentHitsBox([[2, 2], [3, 3]], box)).toBe(true);  // inside
    expect(segmentHitsBox([[-5, -5], [15, 15]], box)).toBe(true);  // diagonal
    expect(segmentHitsBox([[-5, 11], [15, 11]], box)).toBe(false);  // below
    expect(segmentHitsBox([[11, -5], [20, 5]], box)).toBe(false);  // beside
    expect(segmentHitsBox([[-5, 4], [3, 12]], box)).toBe(true);  // cuts the corner
    expect(segmentHitsBox([[-5, 6], [3, 15]], box)).toBe(false);  // passes the corner
  });
  it('over-estimates text widths by character class', () => {
    expect(textWidth('101', 7)).toBeCloseTo(3 * 0.66 * 7);
    expect(textWidth('LIFT 201', 7)).toBeGreaterThan(textWidth('lift 201', 7));
  });
});

describe('flow chevrons keep off the unit texts', () => {
  it('a belt flowing right gets its chevron at its right end, off the text', () => {
    const s = belt(0, 0, 120, 40, 90, '101');
    const g = placeFlowGlyph(s)!;
    expect(g.cx).toBeGreaterThan(100);
    expect(g.cy).toBe(20);
    // Pointing right: the tip is the rightmost point.
    expect(g.segments[0]![1][0]).toBe(glyphBounds(g).x1);
    for (const seg of g.segments) expect(segmentHitsBox(seg, unitTextBox(s)!)).toBe(false);
  });
  it('flowing left, up and down: the downstream end', () => {
    expect(placeFlowGlyph(belt(0, 0, 90, 30, 270, 'R101'))!.cx).toBeLessThan(15);
    expect(placeFlowGlyph(belt(0, 0, 40, 120, 0, 'UP'))!.cy).toBeLessThan(15);
    expect(placeFlowGlyph(belt(0, 0, 40, 120, 180, 'DN'))!.cy).toBeGreaterThan(105);
  });
  it('a short unit gets it beside the text across the flow; a tiny one none', () => {
    const s = belt(0, 0, 30, 40, 90, 'LONG TEXT HERE');
    const g = placeFlowGlyph(s)!;
    expect(g).not.toBeNull();
    expect(boxesOverlap(glyphBounds(g), unitTextBox(s)!)).toBe(false);
    expect(Math.abs(g.cy - 20)).toBeGreaterThan(3);
    expect(placeFlowGlyph(belt(0, 0, 30, 12, 90, 'LONG TEXT HERE'))).toBeNull();
    expect(placeFlowGlyph(belt(0, 0, 120, 40, null, '101'))).toBeNull();
  });

  it('reads the demo layout', () => {
    expect(demo.units.size).toBeGreaterThanOrEqual(17);
    expect(demo.shapes.filter((s) => s.kind === 'arrow').length).toBeGreaterThanOrEqual(15);
    expect(textBoxes(demo).map((t) => t.name)).toContain('Label_Reader');
  });

  it('on the demo layout, where the chevrons were (the unit centers) they crossed the texts', () => {
    const flowing = demo.shapes.filter((s) => s.angle !== null && s.kind !== 'port' && s.kind !== 'arrow');
    expect(flowing.length).toBeGreaterThanOrEqual(15);
    for (const s of flowing) expect(centered(s).some((seg) => segmentHitsBox(seg, unitTextBox(s)!))).toBe(true);
  });

  it('a chevron moves back from the downstream end to clear an arrow over the end of the unit', () => {
    const s = belt(0, 0, 120, 40, 90, '101');
    const arrow = { x0: 117, y0: 10, x1: 141, y1: 30 };
    const g = placeFlowGlyph(s, [arrow])!;
    expect(glyphBounds(g).x1).toBeLessThan(117);
    expect(g.cx).toBeGreaterThan(100);
  });

  it('on the demo layout no chevron or flow arrow segment meets any text box, and no chevron an arrow', () => {
    const texts = textBoxes(demo);
    const glyphs = flowGlyphs(demo);
    const segments: { name: string; seg: Segment }[] = [];
    const arrows = demo.shapes.filter((s) => s.kind === 'arrow').map((s) => ({ name: s.name, box: arrowBox(s) }));
    for (const { name, box: b } of arrows) {
      // The arrow glyph (map_canvas.tsx) fills its box: its edges and diagonal stand for it.
      const [p, q, r, t]: [number, number][] = [[b.x0, b.y0], [b.x1, b.y0], [b.x1, b.y1], [b.x0, b.y1]];
      for (const seg of [[p, q], [q, r], [r, t], [t, p], [p, r]] as Segment[]) segments.push({ name, seg });
    }
    demo.shapes.forEach((s, i) => {
      const g = glyphs.get(i);
      if (s.angle !== null && s.kind !== 'port' && s.kind !== 'arrow') expect(g, `${s.name} has a chevron`).toBeDefined();
      for (const seg of g?.segments ?? []) segments.push({ name: s.name, seg });
      if (g) for (const a of arrows) expect(boxesOverlap(glyphBounds(g), a.box), `${s.name} chevron × ${a.name}`).toBe(false);
    });
    const hits: string[] = [];
    for (const { name, seg } of segments) for (const t of texts) if (segmentHitsBox(seg, t.box)) hits.push(`${name} × ${t.name}`);
    expect(hits).toEqual([]);
  });
});
