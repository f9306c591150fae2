// The Workspace view's layout: the timing diagram on top and the log table
// below, on one screen, split by a drag handle. splitRatio is the diagram's
// share of the height; it is the `split` URL parameter while the Workspace
// shows (url_state.ts) and is remembered in storage for the next session.
// The pure parts (clamping, parsing) are exported for the unit tests.
// Module singleton; browser main thread only. docs/ui.md "Workspace".

import { effect, signal } from '@preact/signals';
import { loadJson, saveJson } from '../base/storage';
import { activeTab } from './tabs';
import { registerUrlPart, scheduleUrlUpdate } from './url_state';

/** The diagram's share of the height when nothing was chosen yet. */
export const kDefaultSplit = 0.56;
/** The ratio never leaves [kMinSplit, kMaxSplit], whatever the height. */
export const kMinSplit = 0.15;
export const kMaxSplit = 0.85;
/** Shortest diagram pane (toolbar, tools row, axis, one lane, slider) and table pane (toolbar, header, rows, status), px. */
export const kMinTopPx = 200;
export const kMinBottomPx = 150;

/**
 * The ratio kept in bounds: in [kMinSplit, kMaxSplit], and, when the split's
 * height is known, leaving each pane its shortest height (both cannot fit:
 * the middle). Not a number: the default. Rounded to 3 decimals (the URL's).
 */
export function clampSplit(ratio: number, totalPx = 0, minTopPx = kMinTopPx, minBottomPx = kMinBottomPx): number {
  let r = Number.isFinite(ratio) ? ratio : kDefaultSplit;
  r = Math.min(kMaxSplit, Math.max(kMinSplit, r));
  if (totalPx > 0) {
    const lo = minTopPx / totalPx;
    const hi = 1 - minBottomPx / totalPx;
    r = lo <= hi ? Math.min(hi, Math.max(lo, r)) : 0.5;
  }
  return Math.round(r * 1000) / 1000;
}

/** The `split` parameter: a ratio, or null when absent or not a number. */
export function parseSplit(s: string | null): number | null {
  if (s === null || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? clampSplit(n) : null;
}

export function formatSplit(r: number): string {
  return String(clampSplit(r));
}

export const splitRatio = signal<number>(clampSplit(loadJson<number>('plcscope.workspace.split', kDefaultSplit)));

effect(() => {
  saveJson('plcscope.workspace.split', splitRatio.value);
  scheduleUrlUpdate();
});

registerUrlPart({
  keys: ['split'],
  write(p) {
    if (activeTab.peek() === 'workspace') p.set('split', formatSplit(splitRatio.peek()));
  },
  apply(p) {
    const r = parseSplit(p.get('split'));
    if (r !== null) splitRatio.value = r;
  },
});
