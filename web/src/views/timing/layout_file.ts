// Lane layouts as the timing view saves and loads them: the lanes in order
// plus the view's display settings (collapsed device groups, lane height,
// each lane's display: radix, enum names, analog, colour, alias),
// on the server (docs/api.md "Lane layouts") or as a file that another
// person imports. Pure functions.

import type { LayoutSettings } from '../../api/types';
import { cleanDisplays, type LaneDisplay } from './lane_display';

/** What a layout restores in the timing view. */
export interface LaneSetup {
  lanes: string[];
  /** Devices whose group of lanes is collapsed. */
  collapsed: string[];
  /** Lane height in px, when the layout sets one. */
  laneHeight?: number;
  /** Each lane's display (lane_display.ts), by key; left out when every lane shows the defaults. */
  displays?: Record<string, LaneDisplay>;
}

const kFileKind = 'plcscope-layout';
const kFileVersion = 1;

/** The settings object stored with a layout. */
export function layoutSettings(s: LaneSetup): LayoutSettings {
  const out: LayoutSettings = { collapsed: [...s.collapsed] };
  if (s.laneHeight !== undefined) out.laneHeight = s.laneHeight;
  if (s.displays) {
    // Only the layout's own lanes.
    const lanes = new Set(s.lanes);
    const d = cleanDisplays(Object.fromEntries(Object.entries(s.displays).filter(([k]) => lanes.has(k))));
    if (Object.keys(d).length > 0) out.lanes = d;
  }
  return out;
}

/** A layout's lanes and settings as a LaneSetup; settings it does not know are ignored. */
export function setupOf(lanes: readonly string[], settings: LayoutSettings | undefined): LaneSetup {
  const out: LaneSetup = { lanes: lanes.filter((k) => typeof k === 'string' && k !== ''), collapsed: [] };
  const c = settings?.collapsed;
  if (Array.isArray(c)) out.collapsed = c.filter((d): d is string => typeof d === 'string');
  const h = settings?.laneHeight;
  if (typeof h === 'number' && Number.isFinite(h) && h >= 16 && h <= 400) out.laneHeight = h;
  const d = cleanDisplays(settings?.lanes);
  if (Object.keys(d).length > 0) out.displays = d;
  return out;
}

/** The text of a layout file (JSON, one layout). */
export function layoutFileText(name: string, s: LaneSetup): string {
  return `${JSON.stringify({ kind: kFileKind, version: kFileVersion, name, lanes: s.lanes, settings: layoutSettings(s) }, null, 2)}\n`;
}

/** A layout file read back: its name and setup, or an error sentence. */
export function parseLayoutFile(text: string): { name: string; setup: LaneSetup } | { error: string } {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return { error: 'The file is not JSON: not a plcscope layout.' };
  }
  if (typeof j !== 'object' || j === null || (j as { kind?: unknown }).kind !== kFileKind) {
    return { error: 'The file is not a plcscope layout (no "kind": "plcscope-layout").' };
  }
  const o = j as { version?: unknown; name?: unknown; lanes?: unknown; settings?: unknown };
  if (typeof o.version !== 'number' || o.version > kFileVersion) {
    return { error: `The layout file's version ${String(o.version)} is newer than this plcscope reads (${kFileVersion}).` };
  }
  if (!Array.isArray(o.lanes) || !o.lanes.every((k) => typeof k === 'string')) {
    return { error: 'The layout file has no list of lanes.' };
  }
  const settings = typeof o.settings === 'object' && o.settings !== null ? (o.settings as LayoutSettings) : undefined;
  return { name: typeof o.name === 'string' ? o.name : '', setup: setupOf(o.lanes as string[], settings) };
}

/** The lanes of a layout this session has, in order, and how many it has not. */
export function applicableLanes(lanes: readonly string[], known: ReadonlySet<string>): { lanes: string[]; missing: number } {
  const seen = new Set<string>();
  const out: string[] = [];
  let missing = 0;
  for (const k of lanes) {
    if (seen.has(k)) continue;
    seen.add(k);
    if (known.has(k)) out.push(k);
    else missing++;
  }
  return { lanes: out, missing };
}

/** A file name for a layout's download. */
export function layoutFileName(name: string): string {
  const safe = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '');
  return `${safe || 'layout'}.plcscope-layout.json`;
}
