// The pure parts of the timing view's analyzer tools (tools_bar.tsx): the
// step to take from a condition-search answer, its status text, a term built
// from a lane and its value, the VCD window, and the A/B markers' readout.
// The search itself runs in the server (GET /api/parse/:id/condition).

import type { ConditionInterval, ConditionSearchResult, SignalType } from '../../api/types';
import type { WaveValue } from '../../api/waveform';
import type { Bounds, TimeRange } from './viewport';

export type Direction = 1 | -1;

/** Where a next / previous step lands: the interval, its 1-based number among `count`. */
export interface ConditionStep {
  target: ConditionInterval | null;
  index: number;
  count: number;
}

/** The interval to jump to for `dir` (next = first starting after `at`, previous = last before it). */
export function conditionStep(r: ConditionSearchResult, dir: Direction): ConditionStep {
  // `before` counts starts strictly before `at`; an interval starting exactly
  // at `at` (the cursor sits on the one found last time) comes before `next` too.
  const atStart = r.current !== null && r.current.start === r.at ? 1 : 0;
  if (dir > 0) return { target: r.next, index: r.next ? r.before + atStart + 1 : 0, count: r.count };
  return { target: r.prev, index: r.prev ? r.before : 0, count: r.count };
}

/** The readout beside the search box: "3 / 120", or why nothing was found. */
export function conditionStatus(s: ConditionStep, dir: Direction): string {
  const all = s.count.toLocaleString('en-US');
  if (s.count === 0) return 'never holds';
  if (!s.target) return dir > 0 ? `none after the cursor (${all} in all)` : `none before the cursor (${all} in all)`;
  return `${s.index.toLocaleString('en-US')} / ${all}`;
}

/** A value as a condition literal: booleans ON/OFF, numbers as they are, other text quoted when needed. */
export function conditionLiteral(v: WaveValue | string, type: SignalType): string {
  if (v === null) return '""';
  if (type === 'boolean') return v === 1 || (typeof v === 'string' && /^(1|true|on|yes|high)$/i.test(v.trim())) ? 'ON' : 'OFF';
  const s = String(v);
  if ((type === 'integer' || type === 'float') && s !== '') return s;
  return /^[^\s=!<>()&|"'\\]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A signal key as a condition name (quoted when it holds a space or an operator character). */
export function conditionName(key: string): string {
  return /^[^\s=!<>()&|"'\\]+$/.test(key) ? key : `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `cond && key = value`: the focused lane's value at the cursor added as a term. */
export function appendTerm(cond: string, key: string, v: WaveValue | string, type: SignalType): string {
  const term = `${conditionName(key)} = ${conditionLiteral(v, type)}`;
  const c = cond.trim();
  return c ? `${c} && ${term}` : term;
}

/** The VCD export's window: the view, inside the session. */
export function vcdWindow(view: TimeRange, bounds: Bounds): { start: number; end: number } {
  const start = Math.max(bounds.min, Math.min(view.start, view.end));
  const end = Math.min(bounds.max, Math.max(view.start, view.end));
  return { start, end: Math.max(start, end) };
}

/** The A/B markers' measure range (a <= b), or null while one is missing. */
export function markerRange(a: number | null, b: number | null): { a: number; b: number } | null {
  if (a === null || b === null) return null;
  return { a: Math.min(a, b), b: Math.max(a, b) };
}

/** Sum of per-lane edge counts. */
export function totalEdges(counts: ReadonlyMap<string, number> | null): number {
  let n = 0;
  if (counts) for (const c of counts.values()) n += c;
  return n;
}

export interface Markers {
  a: number | null;
  b: number | null;
}

/** The markers of an address (`?markA=&markB=`, ms since the epoch); null when it has neither. */
export function markersFromSearch(search: string): Markers | null {
  const p = new URLSearchParams(search);
  const read = (k: string): number | null => {
    const v = p.get(k);
    if (v === null || v.trim() === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const m = { a: read('markA'), b: read('markB') };
  return m.a === null && m.b === null ? null : m;
}

/** The address with the markers in it (or without them when unset); other parameters are kept. */
export function markersIntoHref(href: string, m: Markers): string {
  const u = new URL(href);
  for (const [k, v] of [['markA', m.a], ['markB', m.b]] as const) {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, String(v));
  }
  return u.href;
}
