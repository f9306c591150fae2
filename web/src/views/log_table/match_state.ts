// Next / previous match in Highlight mode, over the existing API: the match
// count is `total` of /entries with the search applied; a match's row in the
// table is found with index-of-time on both orders and the run of equal
// milliseconds lined up (match_nav.ts). Sorted by time (ascending) only: in
// another order index-of-time does not place a time.

import { computed, effect, signal } from '@preact/signals';
import { api, isAbortError } from '../../api/client';
import type { Entry, EntryQuery } from '../../api/types';
import { sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { alignRun, entryMs, firstStep, positionIn, stepFrom, type MatchRun } from './match_nav';
import { cache, filter, query, queryKey, requestScroll, selection, sort, fetchRows } from './table_state';
import { selectOnly } from './selection';

const kScanPage = 200;
/** Most rows of one millisecond looked through to line up its matches. */
const kMaxRun = 20_000;

/** The table's query with the search applied (null: no search in Highlight mode). */
export const searchQuery = computed<EntryQuery | null>(() => {
  const f = filter.value;
  if (!f.highlight || f.search.trim() === '') return null;
  const q: EntryQuery = { ...query.value, search: f.search };
  if (f.regex) q.regex = true;
  if (f.caseSensitive) q.caseSensitive = true;
  return q;
});

/** searchQuery when the table is sorted by time (ascending): the steps need it. */
export const matchQuery = computed<EntryQuery | null>(() =>
  sort.value.key === 'timestamp' && sort.value.order === 'asc' ? searchQuery.value : null,
);

/** True in Highlight mode with a search (the match tools show). */
export const matchToolsShown = computed(() => filter.value.highlight && filter.value.search.trim() !== '');

/** Matches over the whole session under the other filters; null while counting or off. */
export const matchTotal = signal<number | null>(null);
/** 1-based index of the selected row among the matches, null when it is not one. */
export const matchK = signal<number | null>(null);
let countCtl: AbortController | null = null;

effect(() => {
  const key = queryKey.value;
  const mq = matchQuery.value;
  const id = sessionId.peek();
  countCtl?.abort();
  matchTotal.value = null;
  if (!key || !mq || !id) return;
  const ctl = new AbortController();
  countCtl = ctl;
  api.entries(id, mq, 1, 1, ctl.signal).then(
    (r) => {
      if (countCtl === ctl) matchTotal.value = r.total;
    },
    (e: unknown) => {
      if (countCtl === ctl && !isAbortError(e)) matchTotal.value = 0;
    },
  );
});

/** Entries of a query from index `start` on, while `keep` holds, at most `max`. */
async function scan(id: string, q: EntryQuery, start: number, keep: (e: Entry) => boolean, max: number, sig: AbortSignal): Promise<Entry[]> {
  const out: Entry[] = [];
  let page = Math.floor(start / kScanPage);
  let skip = start - page * kScanPage;
  for (;;) {
    const r = await api.entries(id, q, page + 1, kScanPage, sig);
    for (const e of r.entries.slice(skip)) {
      if (!keep(e) || out.length >= max) return out;
      out.push(e);
    }
    if (r.entries.length < kScanPage || (page + 1) * kScanPage >= r.total) return out;
    page++;
    skip = 0;
  }
}

/** The matches of millisecond t and their rows in the table. */
async function runAt(id: string, mq: EntryQuery, aq: EntryQuery, t: number, total: number, sig: AbortSignal): Promise<MatchRun> {
  const m0 = await api.indexOfTime(id, t, mq, sig);
  if (m0 < 0) return { firstMatch: total, rows: [] };
  const sameMs = (e: Entry) => entryMs(e) === t;
  const matches = await scan(id, mq, m0, sameMs, kMaxRun, sig);
  if (matches.length === 0) return { firstMatch: m0, rows: [] };
  const r0 = await api.indexOfTime(id, t, aq, sig);
  if (r0 < 0) throw new Error('A match is missing from the table');
  const rows = await scan(id, aq, r0, sameMs, kMaxRun, sig);
  const offs = alignRun(matches, rows);
  if (!offs) throw new Error(`Too many rows at ${new Date(t).toISOString()} to find the match`);
  return { firstMatch: m0, rows: offs.map((o) => r0 + o) };
}

/** The table row of match j. */
async function locate(id: string, mq: EntryQuery, aq: EntryQuery, j: number, total: number, sig: AbortSignal): Promise<number> {
  const page = await api.entries(id, mq, Math.floor(j / kScanPage) + 1, kScanPage, sig);
  const e = page.entries[j % kScanPage];
  if (!e) throw new Error('The match is gone (the session changed)');
  const run = await runAt(id, mq, aq, entryMs(e), total, sig);
  const row = run.rows[j - run.firstMatch];
  if (row === undefined) throw new Error('The match is missing from the table');
  return row;
}

/** Steps run one after another: three quick presses move three matches. */
let stepChain: Promise<unknown> = Promise.resolve();
let positionCtl: AbortController | null = null;
/** The row whose k is known (set by a step), so the position effect skips it. */
let known: { row: number; k: number; mq: EntryQuery } | null = null;

/** The match count once known (a step right after the search changed waits for it), null after 10 s. */
function counted(): Promise<number | null> {
  if (matchTotal.peek() !== null) return Promise.resolve(matchTotal.peek());
  return new Promise((resolve) => {
    let unsub = () => {};
    const t = setTimeout(() => {
      unsub();
      resolve(null);
    }, 10_000);
    unsub = matchTotal.subscribe((n) => {
      if (n === null) return;
      clearTimeout(t);
      queueMicrotask(() => unsub());
      resolve(n);
    });
  });
}

/**
 * Moves the selection to the next (dir 1) or previous (-1) match after /
 * before the selected row (from none: the first / last), scrolled into view.
 * Resolves with a sentence when there is no such match.
 */
let pendingSteps = 0;

export function stepMatch(dir: 1 | -1): Promise<string | null> {
  return queued(() => stepOnce(dir));
}

/** Selects the first match at or after time ts (the density strip's click). */
export function jumpToMatchAt(ts: number): Promise<string | null> {
  return queued(() => stepOnce(1, ts));
}

function queued(f: () => Promise<string | null>): Promise<string | null> {
  if (pendingSteps >= 8) return Promise.resolve(null); // a held key: no endless queue
  pendingSteps++;
  const run = stepChain.then(f).finally(() => pendingSteps--);
  stepChain = run.catch(() => undefined);
  return run;
}

/** One step from the selection, or (`at`) to the first match at or after a time. */
async function stepOnce(dir: 1 | -1, at?: number): Promise<string | null> {
  const id = sessionId.peek();
  const mq = matchQuery.peek();
  const key = queryKey.peek();
  if (!id || !mq || !key) return null;
  const total = await counted();
  if (total === null || matchQuery.peek() !== mq) return null;
  if (total === 0) return 'No row matches the search.';
  const ctl = new AbortController();
  const aq = query.peek();
  const c = cache.peek();
  try {
    const focus = selection.peek().focus;
    let target: { match: number; row?: number } | null;
    if (at !== undefined) {
      const j = await api.indexOfTime(id, at, mq, ctl.signal);
      target = j >= 0 ? { match: j } : null;
    } else if (focus === null) {
      target = firstStep(dir, total);
    } else {
      const [e] = await fetchRows([focus], ctl.signal);
      if (!e) return null;
      target = stepFrom(await runAt(id, mq, aq, entryMs(e), total, ctl.signal), focus, dir, total);
    }
    if (!target) return at !== undefined || dir === 1 ? 'No later match.' : 'No earlier match.';
    const row = target.row ?? (await locate(id, mq, aq, target.match, total, ctl.signal));
    if (cache.peek() !== c || matchQuery.peek() !== mq) return null;
    known = { row, k: target.match + 1, mq };
    matchK.value = target.match + 1;
    selection.value = selectOnly(row);
    requestScroll(row, 'nearest');
    return null;
  } catch (e) {
    if (!isAbortError(e)) showError(e);
    return null;
  }
}

// k of a row the user selected: where it stands among the matches.
effect(() => {
  const focus = selection.value.focus;
  const key = queryKey.value;
  const mq = matchQuery.value;
  const total = matchTotal.value;
  const id = sessionId.peek();
  positionCtl?.abort();
  if (focus === null || !key || !mq || !id || total === null) {
    matchK.value = null;
    return;
  }
  if (known && known.row === focus && known.mq === mq) {
    matchK.value = known.k;
    return;
  }
  matchK.value = null;
  const ctl = new AbortController();
  positionCtl = ctl;
  const aq = query.peek();
  void (async () => {
    try {
      const [e] = await fetchRows([focus], ctl.signal);
      if (!e || ctl.signal.aborted) return;
      const run = await runAt(id, mq, aq, entryMs(e), total, ctl.signal);
      if (!ctl.signal.aborted) matchK.value = positionIn(run, focus).k;
    } catch (err) {
      if (!isAbortError(err) && !ctl.signal.aborted) matchK.value = null;
    }
  })();
});
