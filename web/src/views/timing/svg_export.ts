// The timing diagram as an SVG document: the names column, the time axis and
// the lanes of the visible part over the visible window, in vectors (rects,
// paths, lines, text). The lane shapes come from the renderer's own shape
// code (renderer.ts laneShapes) run on the lane models of the last drawn
// frame, so the picture is the one on screen. Text widths are estimated for
// the monospace font unless the caller measures them. Pure.

import type { SignalType } from '../../api/types';
import type { TimingTheme } from './colors';
import { fitLabel, laneShapes, makeLanePaths, tintTheme, type LaneDraw, type LaneLabel, type LanePaths, type PathSink } from './renderer';
import type { Tick } from './ticks';
import type { TimeRange } from './viewport';

export interface SceneLane extends LaneDraw {
  readonly name: string;
  readonly device: string;
}

export interface SceneGroup {
  readonly device: string;
  readonly lanes: number;
  readonly collapsed: boolean;
  readonly top: number;
  readonly height: number;
}

// What one frame showed (tops relative to the top of the visible lanes).
export interface Scene {
  readonly view: TimeRange;
  readonly plotWidth: number;
  readonly lanesHeight: number;
  readonly axisHeight: number;
  readonly lanes: readonly SceneLane[];
  readonly groups: readonly SceneGroup[];
  readonly ticks: readonly Tick[];
  readonly minorStepMs: number;
  readonly cursor: number | null;
  readonly measure: { readonly a: number; readonly b: number } | null;
  readonly bookmarks: readonly { readonly time: number; readonly name: string }[];
}

export interface SvgOptions {
  readonly namesWidth: number;
  /** The document's <title> (session and window). */
  readonly title?: string;
  /** Width of a lane label in px (default: 0.6 em per character of 11.5 px). */
  readonly textWidth?: (s: string) => number;
}

// The type tags of the lane names (as widgets/signal_sidebar.tsx shows them).
export const kTypeTag: Record<SignalType, string> = { boolean: 'bool', integer: 'int', float: 'float', string: 'str' };
export const kTypeColor: Record<SignalType, string> = { boolean: '#1f7a4d', integer: '#2f5fb3', float: '#8a4fbf', string: '#a35d00' };
const kMono = 'ui-monospace, "SF Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
const kSans = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

export function estimateTextWidth(s: string): number {
  return s.length * 6.9;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

// Coordinates to 2 decimals: exact enough for any zoom, short files.
function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A PathSink that writes SVG path data. */
export class SvgPath implements PathSink {
  private readonly parts: string[] = [];
  rect(x: number, y: number, w: number, h: number): void {
    if (!(w > 0) || !(h > 0)) return;
    this.parts.push(`M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}z`);
  }
  moveTo(x: number, y: number): void {
    this.parts.push(`M${n(x)} ${n(y)}`);
  }
  lineTo(x: number, y: number): void {
    this.parts.push(`L${n(x)} ${n(y)}`);
  }
  closePath(): void {
    this.parts.push('Z');
  }
  empty(): boolean {
    return this.parts.length === 0;
  }
  d(): string {
    return this.parts.join('');
  }
}

// Splits a CSS color into an SVG color and an opacity (rgba() is not SVG 1.1).
function paint(c: string): { color: string; opacity: number | null } {
  const m = /^rgba\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)$/.exec(c);
  if (!m) return { color: c, opacity: null };
  return { color: `rgb(${m[1]}, ${m[2]}, ${m[3]})`, opacity: Number(m[4]) };
}

function fillAttr(c: string): string {
  const p = paint(c);
  return p.opacity === null ? `fill="${p.color}"` : `fill="${p.color}" fill-opacity="${p.opacity}"`;
}

function strokeAttr(c: string): string {
  const p = paint(c);
  return p.opacity === null ? `stroke="${p.color}"` : `stroke="${p.color}" stroke-opacity="${p.opacity}"`;
}

function rect(x: number, y: number, w: number, h: number, color: string, extra = ''): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${fillAttr(color)}${extra ? ' ' + extra : ''}/>`;
}

function vline(x: number, y0: number, y1: number, color: string, width: number, dash?: string): string {
  const xs = n(Math.round(x) + 0.5);
  return `<line x1="${xs}" y1="${n(y0)}" x2="${xs}" y2="${n(y1)}" ${strokeAttr(color)} stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

function text(x: number, y: number, s: string, attrs: string): string {
  return `<text x="${n(x)}" y="${n(y)}" ${attrs}>${escapeXml(s)}</text>`;
}

/** The SVG document of a scene. */
export function buildSvg(scene: Scene, theme: TimingTheme, opt: SvgOptions): string {
  const nw = opt.namesWidth;
  const pw = scene.plotWidth;
  const ah = scene.axisHeight;
  const lh = scene.lanesHeight;
  const W = nw + pw;
  const H = ah + lh;
  const width = opt.textWidth ?? estimateTextWidth;
  const tx = (t: number): number => ((t - scene.view.start) / (scene.view.end - scene.view.start)) * pw;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n(W)}" height="${n(H)}" viewBox="0 0 ${n(W)} ${n(H)}">`);
  if (opt.title) out.push(`<title>${escapeXml(opt.title)}</title>`);
  out.push(
    '<defs>',
    `<clipPath id="plot"><rect x="0" y="0" width="${n(pw)}" height="${n(lh)}"/></clipPath>`,
    `<clipPath id="names"><rect x="0" y="0" width="${n(nw - 1)}" height="${n(lh)}"/></clipPath>`,
    `<pattern id="gap" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 8L8 0" ${strokeAttr(theme.gap)} stroke-width="2"/></pattern>`,
    '</defs>',
  );
  out.push(rect(0, 0, W, H, theme.background));

  // The time axis.
  out.push(`<g transform="translate(${n(nw)} 0)" data-part="axis">`);
  out.push(rect(0, 0, pw, ah, theme.axisBg));
  out.push(`<line x1="0" y1="${n(ah - 0.5)}" x2="${n(pw)}" y2="${n(ah - 0.5)}" ${strokeAttr(theme.separator)} stroke-width="1"/>`);
  const v = scene.view;
  if (scene.minorStepMs > 0 && (v.end - v.start) / scene.minorStepMs < pw / 3) {
    const minor = new SvgPath();
    for (let k = Math.ceil(v.start / scene.minorStepMs); k * scene.minorStepMs <= v.end; k++) {
      const x = Math.round(tx(k * scene.minorStepMs)) + 0.5;
      minor.moveTo(x, ah - 4);
      minor.lineTo(x, ah);
    }
    if (!minor.empty()) out.push(`<path d="${minor.d()}" fill="none" ${strokeAttr(theme.muted)} stroke-opacity="0.6" stroke-width="1"/>`);
  }
  const major = new SvgPath();
  for (const t of scene.ticks) {
    const x = Math.round(tx(t.t)) + 0.5;
    major.moveTo(x, ah - 9);
    major.lineTo(x, ah);
    if (x + 4 + t.label.length * 6 <= pw) {
      out.push(text(x + 4, ah - 16, t.label, `font-family='${kSans}' font-size="11"${t.major ? ' font-weight="600"' : ''} ${fillAttr(theme.text)} dominant-baseline="middle"`));
    }
  }
  if (!major.empty()) out.push(`<path d="${major.d()}" fill="none" ${strokeAttr(theme.text)} stroke-width="1"/>`);
  for (const b of scene.bookmarks) {
    const x = tx(b.time);
    if (x < 0 || x > pw) continue;
    out.push(vline(x, 2, ah, theme.bookmark, 1.5));
    out.push(`<path d="M${n(Math.round(x) + 0.5)} 2L${n(Math.round(x) + 9)} 5.5L${n(Math.round(x) + 0.5)} 9Z" ${fillAttr(theme.bookmark)}/>`);
    out.push(text(Math.round(x) + 11, 6, b.name, `font-family='${kSans}' font-size="10.5" font-weight="600" ${fillAttr(theme.bookmark)} dominant-baseline="middle"`));
  }
  out.push('</g>');
  out.push(`<rect x="0" y="0" width="${n(nw)}" height="${n(ah)}" ${fillAttr(theme.axisBg)}/>`);
  out.push(`<line x1="0" y1="${n(ah - 0.5)}" x2="${n(nw)}" y2="${n(ah - 0.5)}" ${strokeAttr(theme.separator)} stroke-width="1"/>`);

  // The names column.
  out.push(`<g transform="translate(0 ${n(ah)})" clip-path="url(#names)" data-part="names">`);
  for (const g of scene.groups) {
    out.push(rect(0, g.top, nw, g.height, theme.groupBg));
    const y = g.top + g.height / 2;
    out.push(text(8, y, g.collapsed ? '▸' : '▾', `font-family='${kSans}' font-size="11" ${fillAttr(theme.muted)} dominant-baseline="middle"`));
    out.push(text(22, y, g.device || '(no device)', `font-family='${kSans}' font-size="11.5" font-weight="600" ${fillAttr(theme.text)} dominant-baseline="middle" data-device="${escapeXml(g.device)}"`));
    out.push(text(nw - 8, y, String(g.lanes), `font-family='${kSans}' font-size="11" ${fillAttr(theme.muted)} text-anchor="end" dominant-baseline="middle"`));
  }
  for (const l of scene.lanes) {
    if (l.focused) out.push(rect(0, l.top, nw, l.height, theme.laneFocus));
    else if (l.index % 2 === 1) out.push(rect(0, l.top, nw, l.height, theme.laneAlt));
    const y = l.top + l.height / 2;
    const tag = kTypeTag[l.type];
    const tagW = tag.length * 6 + 8;
    out.push(`<rect x="8" y="${n(y - 7)}" width="${tagW}" height="14" rx="3" ${fillAttr(theme.axisBg)} ${strokeAttr(theme.separator)}/>`);
    out.push(text(8 + tagW / 2, y + 0.5, tag, `font-family='${kSans}' font-size="10" fill="${kTypeColor[l.type]}" text-anchor="middle" dominant-baseline="middle"`));
    out.push(text(14 + tagW, y + 0.5, l.name, `font-family='${kMono}' font-size="12" ${fillAttr(theme.text)} dominant-baseline="middle" data-key="${escapeXml(l.key)}"`));
    out.push(rect(0, Math.round(l.top + l.height) - 1, nw, 1, theme.separator));
  }
  out.push('</g>');
  out.push(rect(nw - 1, 0, 1, H, theme.separator));

  // The lanes.
  out.push(`<g transform="translate(${n(nw)} ${n(ah)})" clip-path="url(#plot)" data-part="lanes">`);
  for (const l of scene.lanes) {
    if (l.focused) out.push(rect(0, l.top, pw, l.height, theme.laneFocus));
    else if (l.index % 2 === 1) out.push(rect(0, l.top, pw, l.height, theme.laneAlt));
  }
  for (const g of scene.groups) out.push(rect(0, g.top, pw, g.height, theme.groupBg));
  const grid = new SvgPath();
  for (const t of scene.ticks) grid.rect(Math.round(tx(t.t)), 0, 1, lh);
  if (!grid.empty()) out.push(`<path d="${grid.d()}" ${fillAttr(theme.grid)}/>`);
  const seps = new SvgPath();
  for (const l of scene.lanes) seps.rect(0, Math.round(l.top + l.height) - 1, pw, 1);
  if (!seps.empty()) out.push(`<path d="${seps.d()}" ${fillAttr(theme.separator)}/>`);

  const p = makeLanePaths(theme, () => new SvgPath());
  const labels: LaneLabel[] = [];
  laneShapes(scene.lanes, pw, theme, p, labels);
  const fill = (path: SvgPath, attrs: string, kind: string): void => {
    if (!path.empty()) out.push(`<path d="${path.d()}" ${attrs} data-kind="${kind}"/>`);
  };
  fill(p.gap, 'fill="url(#gap)"', 'gap');
  const fillAll = (q: LanePaths<SvgPath>, th: TimingTheme): void => {
    fill(q.waveFill, fillAttr(th.waveFill), 'high');
    fill(q.boxOutline, fillAttr(th.boxStroke), 'box-outline');
    q.boxes.forEach((path, i) => fill(path, fillAttr(th.boxFills[i]!), 'box'));
    fill(q.busy, fillAttr(th.busy), 'busy');
    fill(q.envelope, fillAttr(th.envelope), 'envelope');
    fill(q.dense, fillAttr(th.dense), 'dense');
    fill(q.wave, fillAttr(th.wave), 'wave');
    fill(q.analog, `fill="none" ${strokeAttr(th.analog)} stroke-width="1.25" stroke-linejoin="round"`, 'analog');
    fill(q.none, fillAttr(th.none), 'none');
  };
  fillAll(p, theme);
  for (const [c, q] of p.tints) fillAll(q, tintTheme(theme, c));
  for (const lb of labels) {
    const s = fitLabel(lb.text, lb.maxW, width);
    if (s !== null) out.push(text(lb.x, lb.y, s, `font-family='${kMono}' font-size="11.5" ${fillAttr(theme.boxText)} dominant-baseline="middle"`));
  }
  if (scene.measure) {
    const a = tx(Math.min(scene.measure.a, scene.measure.b));
    const b = tx(Math.max(scene.measure.a, scene.measure.b));
    out.push(rect(a, 0, Math.max(1, b - a), lh, theme.measure));
    out.push(vline(a, 0, lh, theme.measureEdge, 1, '4 3'));
    out.push(vline(b, 0, lh, theme.measureEdge, 1, '4 3'));
  }
  for (const b of scene.bookmarks) {
    const x = tx(b.time);
    if (x >= -1 && x <= pw + 1) out.push(vline(x, 0, lh, theme.bookmark, 1, '2 3'));
  }
  if (scene.cursor !== null) {
    const x = tx(scene.cursor);
    if (x >= -1 && x <= pw + 1) out.push(vline(x, 0, lh, theme.cursor, 1.5));
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** "plcscope-<name>-<window start, UTC>.<ext>", safe on every file system. */
export function exportFileName(name: string, view: TimeRange, ext: string): string {
  const base = name.replace(/(\.(log|txt|csv|gz|zst))+$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  const d = new Date(Math.floor(view.start));
  const p = (v: number, w = 2): string => String(v).padStart(w, '0');
  const stamp = Number.isFinite(d.getTime())
    ? `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
    : 'window';
  return `plcscope-${base ? base + '-' : ''}${stamp}.${ext}`;
}
