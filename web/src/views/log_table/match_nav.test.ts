import { describe, expect, test } from 'vitest';
import type { Entry } from '../../api/types';
import { alignRun, firstStep, matchLabel, positionIn, sameEntry, stepFrom } from './match_nav';

const e = (ms: number, sig: string, value: Entry['value'] = true): Entry => ({
  deviceId: 'D',
  signalName: sig,
  timestamp: new Date(ms).toISOString(),
  value,
  signalType: typeof value === 'boolean' ? 'boolean' : 'string',
});

describe('alignRun', () => {
  test('matches of one millisecond line up with their rows', () => {
    const rows = [e(5, 'A'), e(5, 'ERR1'), e(5, 'B'), e(5, 'ERR2'), e(5, 'ERR1')];
    expect(alignRun([e(5, 'ERR1'), e(5, 'ERR2'), e(5, 'ERR1')], rows)).toEqual([1, 3, 4]);
  });
  test('equal entries take equal rows in order, not the first one twice', () => {
    const rows = [e(5, 'X'), e(5, 'X'), e(5, 'Y'), e(5, 'X')];
    expect(alignRun([e(5, 'X'), e(5, 'X'), e(5, 'X')], rows)).toEqual([0, 1, 3]);
  });
  test('a match beyond the rows given is null', () => {
    expect(alignRun([e(5, 'A'), e(5, 'B')], [e(5, 'A')])).toBeNull();
    expect(alignRun([], [])).toEqual([]);
  });
  test('sameEntry looks at the value, category and source', () => {
    expect(sameEntry(e(1, 'A', 'x'), e(1, 'A', 'x'))).toBe(true);
    expect(sameEntry(e(1, 'A', 'x'), e(1, 'A', 'y'))).toBe(false);
    expect(sameEntry({ ...e(1, 'A'), category: 'C' }, e(1, 'A'))).toBe(false);
    expect(sameEntry({ ...e(1, 'A'), sourceId: 's1' }, { ...e(1, 'A'), sourceId: 's2' })).toBe(false);
  });
});

describe('stepFrom', () => {
  // Matches 4, 5, 6 of 10 are at rows 20, 22, 25 (one millisecond).
  const run = { firstMatch: 4, rows: [20, 22, 25] };
  test('next within the run, after the selected row', () => {
    expect(stepFrom(run, 20, 1, 10)).toEqual({ match: 5, row: 22 });
    expect(stepFrom(run, 21, 1, 10)).toEqual({ match: 5, row: 22 });
    expect(stepFrom(run, 19, 1, 10)).toEqual({ match: 4, row: 20 });
  });
  test('next beyond the run is the match after it, to locate', () => {
    expect(stepFrom(run, 25, 1, 10)).toEqual({ match: 7 });
    expect(stepFrom({ firstMatch: 7, rows: [30, 31, 32] }, 32, 1, 10)).toBeNull();
  });
  test('previous within the run and before it', () => {
    expect(stepFrom(run, 25, -1, 10)).toEqual({ match: 5, row: 22 });
    expect(stepFrom(run, 23, -1, 10)).toEqual({ match: 5, row: 22 });
    expect(stepFrom(run, 20, -1, 10)).toEqual({ match: 3 });
    expect(stepFrom({ firstMatch: 0, rows: [3] }, 3, -1, 10)).toBeNull();
  });
  test('a millisecond with no match: the neighbours by index', () => {
    const none = { firstMatch: 4, rows: [] };
    expect(stepFrom(none, 21, 1, 10)).toEqual({ match: 4 });
    expect(stepFrom(none, 21, -1, 10)).toEqual({ match: 3 });
    // After the last match's time.
    const end = { firstMatch: 10, rows: [] };
    expect(stepFrom(end, 99, 1, 10)).toBeNull();
    expect(stepFrom(end, 99, -1, 10)).toEqual({ match: 9 });
  });
  test('from no selection: first or last', () => {
    expect(firstStep(1, 10)).toEqual({ match: 0 });
    expect(firstStep(-1, 10)).toEqual({ match: 9 });
    expect(firstStep(1, 0)).toBeNull();
  });
});

describe('positionIn and the label', () => {
  const run = { firstMatch: 4, rows: [20, 22, 25] };
  test('k of a match row, none off one', () => {
    expect(positionIn(run, 22)).toEqual({ k: 6, upTo: 6 });
    expect(positionIn(run, 21)).toEqual({ k: null, upTo: 5 });
    expect(positionIn(run, 10)).toEqual({ k: null, upTo: 4 });
  });
  test('label', () => {
    expect(matchLabel(3, 1200)).toBe('3 / 1,200');
    expect(matchLabel(null, 12)).toBe('– / 12');
    expect(matchLabel(null, 0)).toBe('0 matches');
    expect(matchLabel(null, null)).toBe('… matches');
  });
});
