import { describe, expect, test } from 'vitest';
import { kEmptyFilter, type FilterState } from './filters';
import {
  describeSet,
  filterOfSet,
  parseSetFile,
  readSet,
  readSetList,
  removeSet,
  setFileName,
  setFileText,
  setFromState,
  upsertSet,
} from './filter_sets';

const f: FilterState = {
  ...kEmptyFilter,
  search: 'JAM|ALARM',
  regex: true,
  caseSensitive: true,
  exclude: 'RESET',
  changedOnly: true,
  highlight: true,
  categories: ['INPUT', ''],
  types: ['boolean'],
  start: 1000,
  end: 2000,
};

describe('filter sets', () => {
  test('a set keeps every filter and the signals; applying keeps the Highlight mode', () => {
    const s = setFromState('  Jams  ', f, ['DEV-1::I_JAM']);
    expect(s.name).toBe('Jams');
    expect(s.signals).toEqual(['DEV-1::I_JAM']);
    expect(filterOfSet(s, { ...kEmptyFilter, highlight: false })).toEqual({ ...f, highlight: false });
    expect(filterOfSet(s, { ...kEmptyFilter, highlight: true })).toEqual(f);
  });

  test('a file round-trips; other files and bad fields are refused with a reason', () => {
    const s = setFromState('Line 1 / jams', f, ['A::B']);
    expect(parseSetFile(setFileText(s))).toEqual({ set: s });
    expect(setFileName(s)).toBe('Line_1_jams.filters.json');
    expect(parseSetFile('{')).toEqual({ error: 'the file is not JSON' });
    expect(parseSetFile('{"name":"x"}')).toHaveProperty('error', expect.stringContaining('not a filter set file'));
    const bad = (patch: object) => readSet({ ...JSON.parse(setFileText(s)), ...patch });
    expect(bad({ name: ' ' })).toEqual({ error: 'the set has no name' });
    expect(bad({ types: ['bool'] })).toEqual({ error: 'unknown type “bool”' });
    expect(bad({ signals: 'A::B' })).toHaveProperty('error');
    expect(bad({ start: '1000' })).toHaveProperty('error');
    expect(bad({ start: 3000 })).toEqual({ error: 'the time range ends before it starts' });
    // Missing optional fields read as empty.
    expect(readSet({ name: 'only' })).toEqual({
      set: { name: 'only', search: '', regex: false, caseSensitive: false, exclude: '', changedOnly: false, categories: [], types: [], start: null, end: null, signals: [] },
    });
  });

  test('the list: replace by name, sorted, delete, bad stored entries skipped', () => {
    const a = setFromState('b', f, []);
    const b = setFromState('a', kEmptyFilter, []);
    let list = upsertSet(upsertSet([], a), b);
    expect(list.map((s) => s.name)).toEqual(['a', 'b']);
    list = upsertSet(list, { ...b, search: 'x' });
    expect(list).toHaveLength(2);
    expect(list[0]!.search).toBe('x');
    expect(removeSet(list, 'a').map((s) => s.name)).toEqual(['b']);
    expect(readSetList([a, { name: 3 }, a, 'x']).map((s) => s.name)).toEqual(['b']);
    expect(readSetList(null)).toEqual([]);
  });

  test('description', () => {
    expect(describeSet(setFromState('x', f, ['A::B', 'A::C']))).toBe(
      'regex “JAM|ALARM” · exclude “RESET” · 2 categories · boolean · time range · changes only · 2 signals',
    );
    expect(describeSet(setFromState('x', kEmptyFilter, []))).toBe('no filters');
  });
});
