// Bookmarks of the open file(s): named times, kept in localStorage under the
// session's sorted file ids so they come back when the same files are opened
// again. Preact signals, module singletons.

import { computed, effect, signal } from '@preact/signals';
import { loadJson, saveJson } from '../base/storage';
import { session } from './session';

export interface Bookmark {
  id: string;
  time: number;
  name: string;
}

/** Key under which a session's bookmarks are stored: its sorted file ids. */
export const bookmarkKey = computed<string | null>(() => {
  const s = session.value;
  if (!s) return null;
  const ids = s.fileIds && s.fileIds.length > 0 ? [...s.fileIds].sort() : [s.fileId];
  return ids.join('+');
});

/** Bookmarks of the open session's file(s), sorted by time. */
export const bookmarks = signal<Bookmark[]>([]);
effect(() => {
  const k = bookmarkKey.value;
  bookmarks.value = k ? loadJson<Bookmark[]>(`plcscope.bookmarks.${k}`, []) : [];
});

function storeBookmarks(list: Bookmark[]): void {
  const sorted = [...list].sort((a, b) => a.time - b.time);
  bookmarks.value = sorted;
  const k = bookmarkKey.value;
  if (k) saveJson(`plcscope.bookmarks.${k}`, sorted);
}

export function addBookmark(time: number, name?: string): Bookmark {
  const b: Bookmark = {
    id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    time,
    name: name ?? `Bookmark ${bookmarks.value.length + 1}`,
  };
  storeBookmarks([...bookmarks.value, b]);
  return b;
}

export function renameBookmark(id: string, name: string): void {
  storeBookmarks(bookmarks.value.map((b) => (b.id === id ? { ...b, name } : b)));
}

export function deleteBookmark(id: string): void {
  storeBookmarks(bookmarks.value.filter((b) => b.id !== id));
}

/** The next (dir = 1) or previous (dir = -1) bookmark from time t. */
export function adjacentBookmark(t: number, dir: 1 | -1): Bookmark | null {
  const list = bookmarks.value;
  if (dir > 0) return list.find((b) => b.time > t) ?? null;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.time < t) return list[i]!;
  return null;
}
