// The view state in the address bar, so that reload, Back/Forward and a
// copied link open the same view: every part of the page that owns some of
// it (the session and view in lifecycle.ts, the log table's filters and
// selection, the timing diagram's window and cursor) registers a UrlPart
// that writes its query parameters and applies them back. A view switch
// pushes a history entry; other changes replace the current one (debounced).
// Module singleton; browser main thread only. docs/ui.md "Links and history".

import { debounced } from '../base/debounce';

export interface UrlPart {
  /** The parameters this part owns (others in the address are kept as they are). */
  keys: readonly string[];
  /** Adds this part's parameters to p (the current state, or what is still pending). */
  write(p: URLSearchParams): void;
  /** Applies parameters from a link, a reload or Back/Forward. */
  apply(p: URLSearchParams): void;
}

const parts: UrlPart[] = [];
let applying = 0;
// Changes reach the address 300 ms after the last one, and at most 1 s after
// the first one still waiting (a moving cursor does not hold the address back).
const pending = debounced(() => writeUrl('replace'), 300, 1000);

export function registerUrlPart(part: UrlPart): void {
  parts.push(part);
}

/** True while parameters are being applied (their echo must not be written back). */
export function isApplyingUrl(): boolean {
  return applying > 0;
}

/**
 * The query string of the current state: the parts' parameters in
 * registration order, then those of `search` that no part owns (written by
 * other code, such as the diagram's markers).
 */
export function currentQuery(search = typeof location === 'undefined' ? '' : location.search): string {
  const p = new URLSearchParams();
  for (const part of parts) part.write(p);
  const owned = new Set(parts.flatMap((x) => x.keys));
  for (const [k, v] of new URLSearchParams(search)) if (!owned.has(k)) p.append(k, v);
  return p.toString();
}

/** Writes the state into the address bar now: a new history entry, or the current one replaced. */
export function writeUrl(mode: 'push' | 'replace'): void {
  if (typeof history === 'undefined' || typeof location === 'undefined') return;
  pending.cancel();
  const q = currentQuery();
  const href = `${location.pathname}${q ? `?${q}` : ''}${location.hash}`;
  if (href === `${location.pathname}${location.search}${location.hash}`) return;
  if (mode === 'push') history.pushState(null, '', href);
  else history.replaceState(null, '', href);
}

/** A state change that is not a step of its own: replaces the entry after a pause. */
export function scheduleUrlUpdate(): void {
  if (applying > 0 || typeof history === 'undefined') return;
  pending.request();
}

/**
 * A discrete change (lanes or the table's signals picked): into the address
 * at once, so a reload or a copied link right after it has it. Not while a
 * link is being applied (its own parameters are the state).
 */
export function replaceUrlNow(): void {
  if (applying > 0) return;
  writeUrl('replace');
}

/** A step the Back button should return from (a view switch): flushes and pushes. */
export function pushUrlStep(): void {
  if (applying > 0) return;
  writeUrl('push');
}

/** Applies parameters to every part (what a link or a history step holds). */
export function applyUrl(p: URLSearchParams): void {
  applying++;
  try {
    for (const part of parts) part.apply(p);
  } finally {
    applying--;
  }
}

/** Back/Forward: applies the entry's parameters. Call once at startup. */
export function listenToHistory(): void {
  window.addEventListener('popstate', () => {
    pending.cancel();
    applyUrl(new URLSearchParams(location.search));
  });
}

/** A finite number parameter, or null. */
export function numParam(p: URLSearchParams, key: string): number | null {
  const s = p.get(key);
  if (s === null || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A comma-separated list parameter: null when absent, [] when empty. */
export function listParam(p: URLSearchParams, key: string): string[] | null {
  const s = p.get(key);
  if (s === null) return null;
  return s === '' ? [] : s.split(',');
}
