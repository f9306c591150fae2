// Next / previous search match in Highlight mode (as lnav's n / N and
// klogg's F3): the pure parts. The table shows every row (the "all" order);
// the search alone gives the "match" order, a subsequence of it. Rows of
// one millisecond are a run in both orders: a match's row is found by lining
// up the run's matches with the run's rows (equal entries are equal matches,
// so the first equal row is the right one).

import type { Entry } from '../../api/types';
import { timestampMs } from '../../base/format';

/** Same entry content (what the search looks at, and its time and source). */
export function sameEntry(a: Entry, b: Entry): boolean {
  return (
    a.timestamp === b.timestamp &&
    a.deviceId === b.deviceId &&
    a.signalName === b.signalName &&
    a.value === b.value &&
    a.signalType === b.signalType &&
    (a.category ?? '') === (b.category ?? '') &&
    (a.sourceId ?? '') === (b.sourceId ?? '')
  );
}

/** The millisecond of an entry (the unit of index-of-time). */
export function entryMs(e: Entry): number {
  return Math.floor(timestampMs(e.timestamp));
}

/**
 * Lines up the matches of one run with the run's rows (both in table order,
 * from the run's start): the row offset of each match, or null when a match
 * has no row left (the rows given do not reach far enough).
 */
export function alignRun(matches: readonly Entry[], rows: readonly Entry[]): number[] | null {
  const out: number[] = [];
  let r = 0;
  for (const m of matches) {
    while (r < rows.length && !sameEntry(rows[r]!, m)) r++;
    if (r >= rows.length) return null;
    out.push(r++);
  }
  return out;
}

/** The matches of one run: the first's match index and each one's row (ascending). */
export interface MatchRun {
  firstMatch: number;
  rows: readonly number[];
}

/** Where the selected row stands among the matches: 1-based k when it is one, and matches at or before it. */
export function positionIn(run: MatchRun, row: number): { k: number | null; upTo: number } {
  let upTo = run.firstMatch;
  let k: number | null = null;
  for (let i = 0; i < run.rows.length; i++) {
    if (run.rows[i]! <= row) upTo = run.firstMatch + i + 1;
    if (run.rows[i] === row) k = run.firstMatch + i + 1;
  }
  return { k, upTo };
}

/**
 * The step from the selected row (in the run of its millisecond) to the next
 * (dir 1) or previous (dir -1) match: a match of the same run with its row,
 * or the match index beyond the run (its row still to locate), or null when
 * there is none. `total`: the matches under the filters.
 */
export function stepFrom(
  run: MatchRun,
  row: number,
  dir: 1 | -1,
  total: number,
): { match: number; row?: number } | null {
  if (dir === 1) {
    const i = run.rows.findIndex((r) => r > row);
    if (i >= 0) return { match: run.firstMatch + i, row: run.rows[i]! };
    const j = run.firstMatch + run.rows.length;
    return j < total ? { match: j } : null;
  }
  for (let i = run.rows.length - 1; i >= 0; i--) {
    if (run.rows[i]! < row) return { match: run.firstMatch + i, row: run.rows[i]! };
  }
  const j = run.firstMatch - 1;
  return j >= 0 && j < total ? { match: j } : null;
}

/** The first (dir 1) or last match, from no selection. */
export function firstStep(dir: 1 | -1, total: number): { match: number } | null {
  if (total <= 0) return null;
  return { match: dir === 1 ? 0 : total - 1 };
}

/** "k / N", "– / N" off a match, "0 matches". */
export function matchLabel(k: number | null, total: number | null): string {
  if (total === null) return '… matches';
  if (total === 0) return '0 matches';
  return `${k === null ? '–' : k.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
}
