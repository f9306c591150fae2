// Pure logic of the signal sidebar and the catalog: signal keys "device::signal" grouped by
// device, filtered by a search (substring or regex over device or signal)
// and a type, and tri-state selection of groups. No DOM; unit-tested.

import type { SignalType } from '../api/types';

export interface SignalItem {
  key: string;
  device: string;
  name: string;
  type: SignalType | undefined;
}

export interface DeviceGroup {
  device: string;
  signals: SignalItem[];
}

/** Splits "device::signal" at the last "::". */
export function splitKey(key: string): { device: string; name: string } {
  const i = key.lastIndexOf('::');
  return i < 0 ? { device: '', name: key } : { device: key.slice(0, i), name: key.slice(i + 2) };
}

/** Groups keys by device; devices and signals sorted by name. */
export function groupByDevice(
  keys: readonly string[],
  types: Readonly<Record<string, SignalType>>,
): DeviceGroup[] {
  const map = new Map<string, SignalItem[]>();
  for (const key of keys) {
    const { device, name } = splitKey(key);
    let list = map.get(device);
    if (!list) map.set(device, (list = []));
    list.push({ key, device, name, type: types[key] });
  }
  const groups = [...map].map(([device, signals]) => ({
    device,
    signals: signals.sort((a, b) => cmp(a.name, b.name)),
  }));
  return groups.sort((a, b) => cmp(a.device, b.device));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TreeFilter {
  query: string;
  regex: boolean;
  type: SignalType | '';
}

/**
 * Builds the matcher of a search: a RegExp (case-insensitive) when regex is
 * on, else a lower-cased substring test. Throws SyntaxError on a bad regex.
 */
export function makeMatcher(query: string, regex: boolean): (s: string) => boolean {
  if (!query) return () => true;
  if (regex) {
    const re = new RegExp(query, 'i');
    return (s) => re.test(s);
  }
  const q = query.toLowerCase();
  return (s) => s.toLowerCase().includes(q);
}

/**
 * The groups and signals passing the filter. A device whose name matches
 * keeps all its signals (of the type); otherwise only matching signals stay.
 */
export function filterGroups(groups: readonly DeviceGroup[], f: TreeFilter): DeviceGroup[] {
  const match = makeMatcher(f.query, f.regex);
  const out: DeviceGroup[] = [];
  for (const g of groups) {
    const deviceHit = f.query !== '' && match(g.device);
    const signals = g.signals.filter(
      (s) => (f.type === '' || s.type === f.type) && (deviceHit || match(s.name) || match(s.key)),
    );
    if (signals.length > 0) out.push({ device: g.device, signals });
  }
  return out;
}

export type TriState = 'none' | 'some' | 'all';

export function groupState(g: DeviceGroup, selected: ReadonlySet<string>): { state: TriState; count: number } {
  let count = 0;
  for (const s of g.signals) if (selected.has(s.key)) count++;
  return { state: count === 0 ? 'none' : count === g.signals.length ? 'all' : 'some', count };
}

/**
 * Sets keys on or off in an ordered selection: added keys go to the end in
 * the given order; the order of the others is kept.
 */
export function setKeys(selected: readonly string[], keys: readonly string[], on: boolean): string[] {
  if (on) {
    const have = new Set(selected);
    return [...selected, ...keys.filter((k) => !have.has(k) && (have.add(k), true))];
  }
  const drop = new Set(keys);
  return selected.filter((k) => !drop.has(k));
}
