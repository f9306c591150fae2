// The log table's filter toolbar state and its translation into the API's
// EntryQuery. Pure; the view holds a FilterState in a signal.

import { kSignalTypes, type EntryQuery, type SignalType, type SortKey, type SortOrder } from '../../api/types';

export interface FilterState {
  search: string;
  regex: boolean;
  caseSensitive: boolean;
  exclude: string;
  changedOnly: boolean;
  /** Show every row and mark the search matches instead of filtering. */
  highlight: boolean;
  categories: string[];
  types: SignalType[];
  /** Time range in ms, inclusive; null = open. */
  start: number | null;
  end: number | null;
}

export const kEmptyFilter: FilterState = {
  search: '',
  regex: false,
  caseSensitive: false,
  exclude: '',
  changedOnly: false,
  highlight: false,
  categories: [],
  types: [],
  start: null,
  end: null,
};

export interface SortState {
  key: SortKey;
  order: SortOrder;
}

export const kDefaultSort: SortState = { key: 'timestamp', order: 'asc' };

/** Header click: same column toggles the order, another column sorts ascending. */
export function nextSort(cur: SortState, key: SortKey): SortState {
  return cur.key === key ? { key, order: cur.order === 'asc' ? 'desc' : 'asc' } : { key, order: 'asc' };
}

/** Max length of a signals= list before falling back to whole devices. */
export const kMaxSignalParamChars = 6000;

/**
 * The signal part of the query from the sidebar selection: `signals` keys, or
 * `devices` when every selected signal belongs to a fully selected device and
 * the key list would make the URL too long.
 */
export function signalFilter(
  selected: readonly string[],
  deviceSignals?: ReadonlyMap<string, readonly string[]>,
): Pick<EntryQuery, 'signals' | 'devices'> {
  if (selected.length === 0) return {};
  const joinedLength = selected.reduce((n, k) => n + k.length + 1, 0);
  if (joinedLength <= kMaxSignalParamChars || !deviceSignals) return { signals: [...selected] };
  const sel = new Set(selected);
  const devices: string[] = [];
  for (const [dev, keys] of deviceSignals) {
    const n = keys.reduce((c, k) => c + (sel.has(k) ? 1 : 0), 0);
    if (n === 0) continue;
    if (n !== keys.length) return { signals: [...selected] };
    devices.push(dev);
  }
  return { devices };
}

/** The EntryQuery of the table: filters, sort and the signal selection. */
export function toEntryQuery(
  f: FilterState,
  sort: SortState,
  signals: Pick<EntryQuery, 'signals' | 'devices'> = {},
): EntryQuery {
  const q: EntryQuery = { ...signals };
  const search = f.search.trim() === '' ? '' : f.search;
  if (search && !f.highlight) {
    q.search = search;
    if (f.regex) q.regex = true;
  }
  if (f.exclude) q.exclude = f.exclude;
  if ((q.search || q.exclude) && f.caseSensitive) q.caseSensitive = true;
  if (f.categories.length > 0) q.categories = [...f.categories];
  if (f.types.length > 0) q.types = [...f.types];
  if (f.start !== null) q.start = f.start;
  if (f.end !== null) q.end = f.end;
  if (f.changedOnly) q.changedOnly = true;
  if (sort.key !== 'timestamp' || sort.order !== 'asc') {
    q.sort = sort.key;
    q.order = sort.order;
  }
  return q;
}

/** True when any filter narrows the rows (the count shows "x of y"). */
export function isFiltering(q: EntryQuery): boolean {
  return !!(
    q.search ||
    q.exclude ||
    q.categories?.length ||
    q.types?.length ||
    q.signals?.length ||
    q.devices?.length ||
    q.start !== undefined ||
    q.end !== undefined ||
    q.changedOnly
  );
}

/**
 * A matcher that finds the search's matches inside a cell text, for marking.
 * Returns null when there is nothing to mark; throws SyntaxError on a regex
 * JavaScript cannot compile (the server's RE2 may still accept it).
 */
export function makeHighlighter(f: FilterState): RegExp | null {
  if (!f.search) return null;
  const flags = f.caseSensitive ? 'g' : 'gi';
  if (f.regex) return new RegExp(f.search, flags);
  return new RegExp(f.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
}

/** Splits text into [plain, match, plain, match, …] parts for <mark>. */
export function splitMatches(text: string, re: RegExp | null): { text: string; match: boolean }[] {
  if (!re || text === '') return [{ text, match: false }];
  const out: { text: string; match: boolean }[] = [];
  re.lastIndex = 0;
  let last = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const m = re.exec(text);
    if (!m) break;
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push({ text: text.slice(last, m.index), match: false });
    out.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out.length > 0 ? out : [{ text, match: false }];
}

// ---- URL parameters (state/url_state.ts) ----

/** Every parameter filterToParams may write. */
export const kFilterParams = ['q', 're', 'cs', 'ex', 'chg', 'hl', 'cat', 'type', 'from', 'to', 'sort', 'order'] as const;

const kSortKeys: readonly SortKey[] = ['timestamp', 'deviceId', 'signalName', 'category', 'value', 'type'];

/** Adds the filters and sort that differ from the defaults: q re cs ex chg hl cat (repeated) type from to sort order. */
export function filterToParams(f: FilterState, s: SortState, p: URLSearchParams): void {
  if (f.search) p.set('q', f.search);
  if (f.regex) p.set('re', '1');
  if (f.caseSensitive) p.set('cs', '1');
  if (f.exclude) p.set('ex', f.exclude);
  if (f.changedOnly) p.set('chg', '1');
  if (f.highlight) p.set('hl', '1');
  for (const c of f.categories) p.append('cat', c);
  if (f.types.length > 0) p.set('type', f.types.join(','));
  if (f.start !== null) p.set('from', String(f.start));
  if (f.end !== null) p.set('to', String(f.end));
  if (s.key !== kDefaultSort.key || s.order !== kDefaultSort.order) {
    p.set('sort', s.key);
    p.set('order', s.order);
  }
}

function num(p: URLSearchParams, key: string): number | null {
  const v = p.get(key);
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The filters a link holds (unknown values are dropped). */
export function filterFromParams(p: URLSearchParams): FilterState {
  return {
    search: p.get('q') ?? '',
    regex: p.get('re') === '1',
    caseSensitive: p.get('cs') === '1',
    exclude: p.get('ex') ?? '',
    changedOnly: p.get('chg') === '1',
    highlight: p.get('hl') === '1',
    categories: p.getAll('cat'),
    types: (p.get('type') ?? '').split(',').filter((t): t is SignalType => (kSignalTypes as readonly string[]).includes(t)),
    start: num(p, 'from'),
    end: num(p, 'to'),
  };
}

export function sortFromParams(p: URLSearchParams): SortState {
  const key = p.get('sort') as SortKey | null;
  if (!key || !kSortKeys.includes(key)) return kDefaultSort;
  return { key, order: p.get('order') === 'desc' ? 'desc' : 'asc' };
}
