// Saved filter sets of the log table: the filters (search, regex, case,
// exclude, categories, types, time range, changes only) and the signal
// filter under a name, kept in this browser for every session (signal names
// repeat across the files of one line), and as JSON files. Pure; the menu
// keeps the list in localStorage.

import { kSignalTypes, type SignalType } from '../../api/types';
import type { FilterState } from './filters';

export const kFilterSetFormat = 'plcscope-filter-set';

export interface FilterSet {
  name: string;
  search: string;
  regex: boolean;
  caseSensitive: boolean;
  exclude: string;
  changedOnly: boolean;
  categories: string[];
  types: SignalType[];
  start: number | null;
  end: number | null;
  /** The signal filter (device::signal keys); empty: all signals. */
  signals: string[];
}

/** The set of the current filters and signal filter. */
export function setFromState(name: string, f: FilterState, signals: readonly string[]): FilterSet {
  return {
    name: name.trim(),
    search: f.search,
    regex: f.regex,
    caseSensitive: f.caseSensitive,
    exclude: f.exclude,
    changedOnly: f.changedOnly,
    categories: [...f.categories],
    types: [...f.types],
    start: f.start,
    end: f.end,
    signals: [...signals],
  };
}

/** The filters a set gives (Highlight mode stays as it is). */
export function filterOfSet(s: FilterSet, cur: FilterState): FilterState {
  return {
    search: s.search,
    regex: s.regex,
    caseSensitive: s.caseSensitive,
    exclude: s.exclude,
    changedOnly: s.changedOnly,
    highlight: cur.highlight,
    categories: [...s.categories],
    types: [...s.types],
    start: s.start,
    end: s.end,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strList = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...(v as string[])] : null);
const time = (v: unknown): number | null | undefined => (v === null || v === undefined ? null : typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A set read from stored or imported JSON; the reason when it does not read. */
export function readSet(x: unknown): { set: FilterSet } | { error: string } {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return { error: 'not a filter set (a JSON object)' };
  const o = x as Record<string, unknown>;
  const name = str(o.name)?.trim();
  if (!name) return { error: 'the set has no name' };
  const search = str(o.search ?? '');
  const exclude = str(o.exclude ?? '');
  const categories = strList(o.categories ?? []);
  const types = strList(o.types ?? []);
  const signals = strList(o.signals ?? []);
  const start = time(o.start);
  const end = time(o.end);
  if (search === null || exclude === null) return { error: 'search and exclude must be text' };
  if (!categories || !types || !signals) return { error: 'categories, types and signals must be lists of text' };
  const badType = types.find((t) => !(kSignalTypes as readonly string[]).includes(t));
  if (badType !== undefined) return { error: `unknown type “${badType}”` };
  if (start === undefined || end === undefined) return { error: 'start and end must be times in ms or null' };
  if (start !== null && end !== null && start > end) return { error: 'the time range ends before it starts' };
  return {
    set: {
      name,
      search,
      regex: o.regex === true,
      caseSensitive: o.caseSensitive === true,
      exclude,
      changedOnly: o.changedOnly === true,
      categories,
      types: types as SignalType[],
      start,
      end,
      signals,
    },
  };
}

/** The stored list, skipping entries that do not read. */
export function readSetList(x: unknown): FilterSet[] {
  if (!Array.isArray(x)) return [];
  const out: FilterSet[] = [];
  for (const item of x) {
    const r = readSet(item);
    if ('set' in r && !out.some((s) => s.name === r.set.name)) out.push(r.set);
  }
  return out;
}

/** Adds or replaces (same name) a set; sorted by name. */
export function upsertSet(list: readonly FilterSet[], s: FilterSet): FilterSet[] {
  return [...list.filter((x) => x.name !== s.name), s].sort((a, b) => a.name.localeCompare(b.name));
}

export function removeSet(list: readonly FilterSet[], name: string): FilterSet[] {
  return list.filter((x) => x.name !== name);
}

/** The JSON file of one set. */
export function setFileText(s: FilterSet): string {
  return JSON.stringify({ format: kFilterSetFormat, version: 1, ...s }, null, 2) + '\n';
}

/** A set from a file's text. */
export function parseSetFile(text: string): { set: FilterSet } | { error: string } {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return { error: 'the file is not JSON' };
  }
  if (!x || typeof x !== 'object' || (x as { format?: unknown }).format !== kFilterSetFormat) {
    return { error: `not a filter set file (format “${kFilterSetFormat}”)` };
  }
  return readSet(x);
}

/** A file name for the set: its name with unsafe characters replaced. */
export function setFileName(s: FilterSet): string {
  return `${s.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'filters'}.filters.json`;
}

/** One line about a set for the list: "search “x” · 2 categories · 5 signals". */
export function describeSet(s: FilterSet): string {
  const parts: string[] = [];
  if (s.search) parts.push(`${s.regex ? 'regex' : 'search'} “${s.search}”`);
  if (s.exclude) parts.push(`exclude “${s.exclude}”`);
  if (s.categories.length) parts.push(`${s.categories.length} categor${s.categories.length === 1 ? 'y' : 'ies'}`);
  if (s.types.length) parts.push(s.types.join(', '));
  if (s.start !== null || s.end !== null) parts.push('time range');
  if (s.changedOnly) parts.push('changes only');
  if (s.signals.length) parts.push(`${s.signals.length} signal${s.signals.length === 1 ? '' : 's'}`);
  return parts.join(' · ') || 'no filters';
}
