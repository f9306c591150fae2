import { describe, expect, it } from 'vitest';
import { entryQueryParams } from '../../api/client';
import {
  filterFromParams,
  filterToParams,
  kDefaultSort,
  kEmptyFilter,
  makeHighlighter,
  nextSort,
  signalFilter,
  sortFromParams,
  splitMatches,
  toEntryQuery,
} from './filters';

describe('filter → query', () => {
  it('empty filter, default sort: no parameters', () => {
    expect(entryQueryParams(toEntryQuery(kEmptyFilter, kDefaultSort)).toString()).toBe('');
  });

  it('maps toolbar state to parameters', () => {
    const q = toEntryQuery(
      { ...kEmptyFilter, search: 'Err.*', regex: true, caseSensitive: true, exclude: 'debug', changedOnly: true, categories: ['IO'], types: ['string'], start: 10, end: 20 },
      { key: 'signalName', order: 'desc' },
      { signals: ['d::s'] },
    );
    expect(Object.fromEntries(entryQueryParams(q))).toEqual({
      search: 'Err.*',
      regex: 'true',
      caseSensitive: 'true',
      exclude: 'debug',
      category: 'IO',
      type: 'string',
      signals: 'd::s',
      start: '10',
      end: '20',
      changedOnly: 'true',
      sort: 'signalName',
      order: 'desc',
    });
  });

  it('highlight mode keeps all rows: the search is not sent', () => {
    const q = toEntryQuery({ ...kEmptyFilter, search: 'x', highlight: true, exclude: 'y' }, kDefaultSort);
    expect(q.search).toBeUndefined();
    expect(q.exclude).toBe('y');
  });

  it('whitespace-only search is no search', () => {
    expect(toEntryQuery({ ...kEmptyFilter, search: '   ' }, kDefaultSort).search).toBeUndefined();
  });

  it('descending time sort is sent', () => {
    expect(entryQueryParams(toEntryQuery(kEmptyFilter, { key: 'timestamp', order: 'desc' })).toString()).toBe('sort=timestamp&order=desc');
  });
});

describe('sort toggling', () => {
  it('toggles the same column and resets on another', () => {
    const a = nextSort(kDefaultSort, 'timestamp');
    expect(a).toEqual({ key: 'timestamp', order: 'desc' });
    expect(nextSort(a, 'timestamp')).toEqual({ key: 'timestamp', order: 'asc' });
    expect(nextSort(a, 'value')).toEqual({ key: 'value', order: 'asc' });
  });
});

describe('signal filter', () => {
  const devs = new Map([
    ['A', ['A::x', 'A::y']],
    ['B', ['B::z']],
  ]);
  it('sends keys when short', () => {
    expect(signalFilter(['A::x'], devs)).toEqual({ signals: ['A::x'] });
    expect(signalFilter([], devs)).toEqual({});
  });
  it('falls back to whole devices for long lists', () => {
    const many = new Map([['D', Array.from({ length: 400 }, (_, i) => `D::signal_number_${i}`)]]);
    const sel = many.get('D')!;
    expect(signalFilter(sel, many)).toEqual({ devices: ['D'] });
    expect(signalFilter(sel.slice(1), many).signals?.length).toBe(399);
  });
});

describe('match marking', () => {
  it('marks substrings case-insensitively, escaping regex characters', () => {
    const re = makeHighlighter({ ...kEmptyFilter, search: 'a.b' });
    expect(splitMatches('xA.Bya+b', re)).toEqual([
      { text: 'x', match: false },
      { text: 'A.B', match: true },
      { text: 'ya+b', match: false },
    ]);
  });
  it('marks regex matches, honouring case', () => {
    const re = makeHighlighter({ ...kEmptyFilter, search: 'o+', regex: true, caseSensitive: true });
    expect(splitMatches('fOo boo', re).filter((p) => p.match).map((p) => p.text)).toEqual(['o', 'oo']);
  });
  it('survives empty matches', () => {
    const re = makeHighlighter({ ...kEmptyFilter, search: 'x*', regex: true });
    expect(splitMatches('abxc', re)).toEqual([
      { text: 'ab', match: false },
      { text: 'x', match: true },
      { text: 'c', match: false },
    ]);
  });
  it('throws on a bad JS regex', () => {
    expect(() => makeHighlighter({ ...kEmptyFilter, search: '(', regex: true })).toThrow();
  });
});

describe('URL parameters', () => {
  it('round-trips every filter and the sort', () => {
    const f = { ...kEmptyFilter, search: 'a,b', regex: true, caseSensitive: true, exclude: 'x', changedOnly: true, highlight: true, categories: ['c 1', 'c,2'], types: ['integer' as const], start: 5, end: 9 };
    const p = new URLSearchParams();
    filterToParams(f, { key: 'value', order: 'desc' }, p);
    const back = new URLSearchParams(p.toString());
    expect(filterFromParams(back)).toEqual(f);
    expect(sortFromParams(back)).toEqual({ key: 'value', order: 'desc' });
    const empty = new URLSearchParams();
    filterToParams(kEmptyFilter, { key: 'timestamp', order: 'asc' }, empty);
    expect(empty.toString()).toBe('');
    expect(sortFromParams(new URLSearchParams('sort=bogus'))).toEqual({ key: 'timestamp', order: 'asc' });
  });
});
