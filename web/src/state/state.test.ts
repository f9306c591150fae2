import { describe, expect, it } from 'vitest';
import type { ParseSession } from '../api/types';
import { addBookmark, adjacentBookmark, bookmarkKey, bookmarks, deleteBookmark, renameBookmark } from './bookmarks';
import { addSelectedSignals, removeSelectedSignals, selectedSignals } from './selection';
import { session, sessionFiles, sessionName } from './session';

const mk = (over: Partial<ParseSession>): ParseSession => ({
  id: 's',
  fileId: 'f1',
  status: 'complete',
  progress: 100,
  entryCount: 0,
  signalCount: 0,
  processingTimeMs: 0,
  startTime: 0,
  endTime: 0,
  parserName: '',
  errors: [],
  ...over,
});

describe('shared state', () => {
  it('names the session by file, or N files merged', () => {
    session.value = mk({ fileIds: ['b', 'a', 'c'] });
    expect(sessionName.value).toBe('3 files merged');
    sessionFiles.value = [{ id: 'f1', name: 'trace.log', size: 1, uploadedAt: '', status: 'ok' }];
    session.value = mk({});
    expect(sessionName.value).toBe('trace.log');
    sessionFiles.value = [];
  });

  it('keys bookmarks by the sorted file ids', () => {
    session.value = mk({ fileIds: ['b', 'a'] });
    expect(bookmarkKey.value).toBe('a+b');
    session.value = mk({ fileId: 'x' });
    expect(bookmarkKey.value).toBe('x');
  });

  it('adds, renames, deletes and walks bookmarks in time order', () => {
    session.value = mk({ fileId: 'bm-test' });
    const b2 = addBookmark(2000, 'two');
    const b1 = addBookmark(1000);
    expect(bookmarks.value.map((b) => b.time)).toEqual([1000, 2000]);
    expect(b1.name).toBe('Bookmark 2');
    renameBookmark(b1.id, 'one');
    expect(bookmarks.value[0]!.name).toBe('one');
    expect(adjacentBookmark(1500, 1)?.id).toBe(b2.id);
    expect(adjacentBookmark(1500, -1)?.id).toBe(b1.id);
    expect(adjacentBookmark(2000, 1)).toBeNull();
    deleteBookmark(b2.id);
    expect(bookmarks.value.map((b) => b.name)).toEqual(['one']);
  });

  it('adds selected signals in order without duplicates', () => {
    selectedSignals.value = ['a'];
    addSelectedSignals(['b', 'a', 'c', 'b']);
    expect(selectedSignals.value).toEqual(['a', 'b', 'c']);
    removeSelectedSignals(['a', 'c']);
    expect(selectedSignals.value).toEqual(['b']);
  });
});
