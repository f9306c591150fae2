// The log table's model: filters, sort, column layout, selection, color
// rules, and the PageCache of the current query. Module singletons (one log
// table per page); the view components read and write these signals. The
// filters, sort and selected row are also URL parameters (state/url_state.ts).

import { batch, computed, effect, signal } from '@preact/signals';
import { ApiError, api, entryQueryKey, isAbortError } from '../../api/client';
import type { Entry, EntryQuery } from '../../api/types';
import { catalog } from '../../state/catalog';
import { cursorTime, syncEnabled, tableSignals } from '../../state/selection';
import { numParam, registerUrlPart, scheduleUrlUpdate } from '../../state/url_state';
import { loadJson, saveJson } from '../../base/storage';
import { session, sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { kDefaultColorRules, type ColorRule } from './color_rules';
import { loadLayout, saveLayout, type ColumnLayout } from './columns';
import {
  filterFromParams,
  filterToParams,
  kFilterParams,
  kDefaultSort,
  kEmptyFilter,
  signalFilter,
  sortFromParams,
  toEntryQuery,
  type FilterState,
  type SortState,
} from './filters';
import { PageCache } from './page_cache';
import { kEmptySelection, selectOnly, selectedIndices, type Selection } from './selection';

export const kPageSize = 200;
export const kRowHeight = 22;
/** Most rows copied or sent to the timing diagram at once. */
export const kMaxCollectRows = 100_000;

export const filter = signal<FilterState>(kEmptyFilter);
export const sort = signal<SortState>(kDefaultSort);
export const layout = signal<ColumnLayout>(loadLayout());
effect(() => saveLayout(layout.value));
export const selection = signal<Selection>(kEmptySelection);
export const colorRules = signal<ColorRule[]>(loadJson('plcscope.logTable.colors', kDefaultColorRules));
effect(() => saveJson('plcscope.logTable.colors', colorRules.value));

/** Device → its signal keys, for the devices= fallback of big selections. */
const deviceSignals = computed(() => {
  const m = new Map<string, string[]>();
  for (const g of catalog.value?.groups ?? []) m.set(g.device, g.signals.map((s) => s.key));
  return m;
});

/** The query of the table: filters + sort + the sidebar's signals (the table's own, not the diagram's lanes). */
export const query = computed<EntryQuery>(() =>
  toEntryQuery(filter.value, sort.value, signalFilter(tableSignals.value, deviceSignals.value)),
);

/** The rows' source: session + query; a change of key resets the cache. */
export const queryKey = computed<string | null>(() => {
  const id = sessionId.value;
  const s = session.value;
  if (!id || !s || s.id !== id || s.status !== 'complete') return null;
  return `${id}|${entryQueryKey(query.value)}`;
});

export const cache = signal<PageCache | null>(null);
/** Bumped whenever a page arrives: the grid re-renders from the cache. */
export const cacheVersion = signal(0);
/** Row count under the current query, null until the first page answers. */
export const total = signal<number | null>(null);
/** The server's sentence for a bad filter (e.g. an invalid regex). */
export const queryError = signal<string | null>(null);
/** A request to scroll: row index and how to place it; seq makes each unique. */
export const scrollRequest = signal<{ row: number; align: 'center' | 'nearest'; seq: number } | null>(null);

let scrollSeq = 0;
export function requestScroll(row: number, align: 'center' | 'nearest' = 'center'): void {
  scrollRequest.value = { row, align, seq: ++scrollSeq };
}

effect(() => {
  const key = queryKey.value;
  const q = query.peek();
  const id = sessionId.peek();
  cache.peek()?.dispose();
  if (!key || !id) {
    batch(() => {
      cache.value = null;
      total.value = null;
      selection.value = kEmptySelection;
    });
    return;
  }
  const c: PageCache = new PageCache(
    (page, size, sig) => api.entries(id, q, page, size, sig),
    kPageSize,
    () => {
      if (cache.peek() !== c) return;
      batch(() => {
        total.value = c.total;
        if (c.error) {
          if (c.error instanceof ApiError && c.error.status === 400) {
            queryError.value = c.error.message;
            total.value = 0;
          } else {
            showError(c.error);
          }
        } else {
          queryError.value = null;
        }
        cacheVersion.value++;
      });
    },
  );
  const row = pendingRow;
  pendingRow = null;
  batch(() => {
    cache.value = c;
    total.value = null;
    queryError.value = null;
    selection.value = row === null ? kEmptySelection : selectOnly(row);
  });
  c.want([row === null ? 0 : Math.floor(row / kPageSize)]);
  if (row !== null) requestScroll(row, 'center');
});

// ---- the URL (filters, sort, selected row) ----

/** A selected row from a link, applied when the rows of its query are there. */
let pendingRow: number | null = null;

registerUrlPart({
  keys: [...kFilterParams, 'row'],
  write(p) {
    filterToParams(filter.peek(), sort.peek(), p);
    const row = pendingRow ?? selection.peek().focus;
    if (row !== null) p.set('row', String(row));
  },
  apply(p) {
    const row = numParam(p, 'row');
    pendingRow = row !== null && row >= 0 ? Math.floor(row) : null;
    batch(() => {
      filter.value = filterFromParams(p);
      sort.value = sortFromParams(p);
    });
    // Same query as before (Back within one view): select the row now.
    const c = cache.peek();
    if (pendingRow !== null && c && queryKey.peek()) {
      selection.value = selectOnly(pendingRow);
      requestScroll(pendingRow, 'center');
      pendingRow = null;
    }
  },
});

effect(() => {
  void filter.value;
  void sort.value;
  void selection.value.focus;
  scheduleUrlUpdate();
});

/**
 * Entries of the given row indices (ascending), from the cache where loaded,
 * else fetched in pages of 1000. Throws when the query changed meanwhile.
 */
export async function fetchRows(indices: readonly number[], signal?: AbortSignal): Promise<Entry[]> {
  const c = cache.peek();
  const id = sessionId.peek();
  if (!c || !id) return [];
  const q = query.peek();
  const out = new Array<Entry | undefined>(indices.length);
  const missingPages = new Map<number, number[]>();
  indices.forEach((row, k) => {
    const e = c.row(row);
    if (e) out[k] = e;
    else {
      const p = Math.floor(row / 1000);
      const list = missingPages.get(p) ?? [];
      list.push(k);
      missingPages.set(p, list);
    }
  });
  for (const [p, ks] of missingPages) {
    const page = await api.entries(id, q, p + 1, 1000, signal);
    if (cache.peek() !== c) throw new DOMException('The query changed', 'AbortError');
    for (const k of ks) out[k] = page.entries[indices[k]! - p * 1000];
  }
  return out.filter((e): e is Entry => e !== undefined);
}

/** The selected rows' entries, at most kMaxCollectRows. */
export function selectedEntries(signal?: AbortSignal): Promise<Entry[]> {
  return fetchRows(selectedIndices(selection.peek(), kMaxCollectRows), signal);
}

/** The row selected by following another view's cursor (its time is not published back). */
let followed: { cache: PageCache | null; row: number } | null = null;

/** True when `row` of cache `c` was selected by following the shared cursor, not by the user. */
export function isFollowedRow(c: PageCache | null, row: number): boolean {
  return followed !== null && followed.cache === c && followed.row === row;
}

/**
 * Jumps to the first row at or after ts under the current query; selects it.
 * `follow`: the jump follows another view's cursor, which stays where it is.
 */
export async function jumpToTime(ts: number, signal?: AbortSignal, follow = false): Promise<number> {
  const id = sessionId.peek();
  if (!id) return -1;
  try {
    const idx = await api.indexOfTime(id, ts, query.peek(), signal);
    if (idx >= 0) {
      followed = follow ? { cache: cache.peek(), row: idx } : null;
      selection.value = selectOnly(idx);
      requestScroll(idx, 'center');
    }
    return idx;
  } catch (e) {
    if (!isAbortError(e)) showError(e);
    return -1;
  }
}

// ---- sync with the other views (state.cursorTime) ----

let ownCursor: number | null = null;

/** The table selected a row at time t: moves the shared cursor (Sync on). */
export function publishCursor(t: number): void {
  if (!syncEnabled.peek() || !Number.isFinite(t)) return;
  ownCursor = t;
  cursorTime.value = t;
}

effect(() => {
  const t = cursorTime.value;
  if (t === null || t === ownCursor || !syncEnabled.peek() || !queryKey.peek()) return;
  ownCursor = t;
  void jumpToTime(t, undefined, true);
});
