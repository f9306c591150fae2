import { describe, expect, it } from 'vitest';
import type { SignalType } from '../../api/types';
import type { WaveSignal, WaveValue } from '../../api/waveform';
import { timingTheme } from './colors';
import { LaneModel, buildLane } from './lane_model';
import { buildSvg, escapeXml, exportFileName, SvgPath, type Scene, type SceneLane } from './svg_export';
import { chooseTicks } from './ticks';
import { valueFormat } from './lane_display';
import type { Piece } from './wave_cache';

const T = Date.UTC(2025, 8, 22, 13, 0, 0);
const bounds = { min: T, max: T + 100_000 };
const view = { start: T, end: T + 10_000 };
const theme = timingTheme(false);

function piece(type: SignalType, initial: WaveValue, t: number[], v: WaveValue[], start = T, end = T + 10_000): Piece {
  const data: WaveSignal = { key: 'd::s', type, initial, changes: { t: Float64Array.from(t), v }, columns: null };
  return { clipStart: start, clipEnd: end, tileStart: start, colMs: (end - start) / 1024, data, level: 0 };
}

function lane(key: string, type: SignalType, top: number, pieces: Piece[], index: number, width = 1000): SceneLane {
  const m = new LaneModel();
  buildLane(m, pieces, view, width, bounds, type === 'float', 0);
  const i = key.lastIndexOf('::');
  return { key, name: key.slice(i + 2), device: key.slice(0, i), type, top, height: 60, model: m, focused: false, index };
}

function scene(lanes: SceneLane[], extra: Partial<Scene> = {}): Scene {
  const ticks = chooseTicks(view.start, view.end, 1000, 110);
  return {
    view,
    plotWidth: 1000,
    lanesHeight: 60 * lanes.length,
    axisHeight: 34,
    lanes,
    groups: [],
    ticks: ticks.ticks,
    minorStepMs: ticks.minorStepMs,
    cursor: null,
    measure: null,
    bookmarks: [],
    ...extra,
  };
}

// Well-formed XML: every tag closed in order, attributes quoted, text escaped.
function checkXml(s: string): { tags: Map<string, number> } {
  const stack: string[] = [];
  const tags = new Map<string, number>();
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+=(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([<>])/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[5]) throw new Error(`stray '${m[5]}' at ${m.index}: ${s.slice(m.index - 40, m.index + 40)}`);
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      tags.set(name!, (tags.get(name!) ?? 0) + 1);
      if (!self) stack.push(name!);
    }
  }
  expect(stack).toEqual([]);
  return { tags };
}

function paths(svg: string, kind: string): string[] {
  return [...svg.matchAll(new RegExp(`<path d="([^"]*)"[^>]*data-kind="${kind}"`, 'g'))].map((m) => m[1]!);
}

describe('SvgPath', () => {
  it('writes rects, moves and lines with 2 decimals and skips empty rects', () => {
    const p = new SvgPath();
    p.rect(1.234, 2, 10, 3);
    p.rect(5, 5, 0, 4);
    p.moveTo(0, 1 / 3);
    p.lineTo(-0.001, 7);
    p.closePath();
    expect(p.d()).toBe('M1.23 2h10v3h-10zM0 0.33L0 7Z');
  });
});

describe('buildSvg', () => {
  it('is a well-formed SVG with the names column, the axis and one wave per lane', () => {
    const motor = lane('CNV-01::Motor_Run', 'boolean', 0, [piece('boolean', 0, [T + 2000, T + 6000], [1, 0])], 0);
    const state = lane('CNV-01::State', 'integer', 60, [piece('integer', 3, [T + 5000], [4])], 1);
    const svg = buildSvg(scene([motor, state], { cursor: T + 5000 }), theme, { namesWidth: 230, title: 'demo.log: 13:00' });
    const { tags } = checkXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1230" height="154"')).toBe(true);
    expect(svg).toContain('<title>demo.log: 13:00</title>');
    expect(svg).toContain('data-key="CNV-01::Motor_Run">Motor_Run</text>');
    expect(svg).toContain('data-key="CNV-01::State">State</text>');
    expect(tags.get('text')!).toBeGreaterThan(6);
    // The high level from 2 s to 6 s (x 200..600 of 1000): the shaded fill
    // and the edges at x 200 and 600, as the renderer draws them.
    const high = paths(svg, 'high');
    expect(high).toHaveLength(1);
    expect(high[0]).toMatch(/^M200 \d+(\.\d+)?h400v/);
    const wave = paths(svg, 'wave')[0]!;
    expect(wave).toContain('M199 ');
    expect(wave).toContain('M599 ');
    // State: two value boxes (3, then 4 from x 500), labelled.
    expect(paths(svg, 'box').length).toBe(2);
    expect(svg).toMatch(/>3<\/text>/);
    expect(svg).toMatch(/>4<\/text>/);
    // The cursor at 5 s: x 500 in the lanes group.
    expect(svg).toMatch(/<line x1="500.5" y1="0" x2="500.5" y2="120" stroke="#2f7de1" stroke-width="1.5"\/>/);
    // The axis labels of the ticks.
    expect(svg).toMatch(/>13:00:0[2-8](\.000)?<\/text>/);
  });

  it('escapes names and values, elides a label too long for its box and drops it when nothing fits', () => {
    const s = lane('A&B::<odd "name">', 'string', 0, [piece('string', 'a-very-long-state-name-that-cannot-fit', [T + 600, T + 700], ['x<y', 'tail'])], 0);
    const svg = buildSvg(scene([s]), theme, { namesWidth: 230, textWidth: (t) => t.length * 7 });
    checkXml(svg);
    expect(svg).toContain('>&lt;odd &quot;name&quot;&gt;</text>');
    expect(svg).toContain('data-key="A&amp;B::&lt;odd &quot;name&quot;&gt;"');
    // 0..60 px: the long text elided; 60..70 px (10 px): no label; the tail (930 px) whole.
    expect(svg).toMatch(/>a-very-…<\/text>|>a-very-long…<\/text>|>a-very…<\/text>|>a-ver…<\/text>|>a-v…<\/text>/);
    expect(svg).not.toContain('x&lt;y</text>');
    expect(svg).toContain('>tail</text>');
  });

  it('draws not-loaded spans hatched, dense bands, float lines and the measured range', () => {
    const f = lane('D::Temp', 'float', 0, [piece('float', 1.5, [T + 1000, T + 3000], [2.5, 0.5], T, T + 5000)], 0);
    const svg = buildSvg(scene([f], { measure: { a: T + 1000, b: T + 2000 } }), theme, { namesWidth: 200 });
    checkXml(svg);
    // Loaded only to 5 s: x 500..1000 is a gap.
    expect(paths(svg, 'gap')[0]).toMatch(/^M500 1h50\dv58/);
    expect(svg).toContain('fill="url(#gap)"');
    expect(paths(svg, 'analog')).toHaveLength(1);
    // The measured range: 100..200 px, tinted, rgba split into an SVG colour and opacity.
    expect(svg).toContain('<rect x="100" y="0" width="100" height="60" fill="rgb(47, 125, 225)" fill-opacity="0.1"/>');
    expect(svg).not.toContain('rgba(');
  });

  it('keeps group headers in the names column', () => {
    const a = lane('PORT-301::PORT_MODE', 'string', 22, [piece('string', 'AUTO', [], [])], 0);
    const svg = buildSvg(scene([a], { lanesHeight: 82, groups: [{ device: 'PORT-301', lanes: 1, collapsed: false, top: 0, height: 22 }] }), theme, { namesWidth: 230 });
    checkXml(svg);
    expect(svg).toContain('data-device="PORT-301">PORT-301</text>');
  });
});

describe('exportFileName and escapeXml', () => {
  it('names the file by session and window start', () => {
    expect(exportFileName('line 3/trace.log.gz', view, 'svg')).toBe('plcscope-line_3_trace-20250922-130000.svg');
    expect(exportFileName('', view, 'png')).toBe('plcscope-20250922-130000.png');
    expect(escapeXml(`<a b="c">&'`)).toBe('&lt;a b=&quot;c&quot;&gt;&amp;&apos;');
  });
});

describe('lane displays in the SVG', () => {
  it('draws an integer lane in its radix and colour, and as an analog line when asked', () => {
    const counter = (): Piece => piece('integer', 10, [T + 2_000, T + 6_000], [255, -1]);
    const boxes: SceneLane = { ...lane('CNV-03::Counter', 'integer', 0, [counter()], 0), format: valueFormat('integer', { radix: 'hex' }), color: '#d6334a' };
    const m = new LaneModel();
    buildLane(m, [counter()], view, 1000, bounds, true, 0);
    const line: SceneLane = { ...lane('CNV-03::Counter2', 'integer', 60, [counter()], 1), model: m, analog: true, color: '#15964f' };
    const svg = buildSvg(scene([boxes, line]), theme, { namesWidth: 200 });
    checkXml(svg);
    expect(svg).toContain('>0xA<');
    expect(svg).toContain('>0xFF<');
    expect(svg).toContain('>0xFFFFFFFFFFFFFFFF<');
    expect(svg).not.toContain('>255<');
    // The boxes of the red lane are one tint of red; the analog lane is a green line.
    expect(svg).toContain('fill="#f3c2c9" data-kind="box"');
    expect(svg).toMatch(/stroke="#15964f" stroke-width="1.25" stroke-linejoin="round" data-kind="analog"/);
    // The analog lane has no value boxes of its own: its values are a line, not labels.
    expect((svg.match(/data-kind="box"/g) ?? []).length).toBe(1);
  });
});
