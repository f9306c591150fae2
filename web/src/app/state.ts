// Global UI state shared by every view, held in Preact signals.
//
// Ownership: module singletons; views read and write them directly. Not
// persisted except where a function below says so (localStorage). The
// timing diagram, the log table and the map all use these, so keep their
// meaning stable:
//   sessionId        the open parse session (also in the URL as ?session=)
//   session          its latest ParseSession answer (status, progress, counts)
//   selectedSignals  ordered list of signal keys "device::signal"; the order
//                    is the timing diagram's lane order; the log table filters
//                    by it; the signal sidebar edits it
//   cursorTime       the shared time cursor (ms since epoch) that views
//                    follow when syncEnabled is on
//   hoverTime        time of the row/point under the mouse (a transient mark)

import { computed, effect, signal } from '@preact/signals';
import type { FileInfo, ParseSession } from '../api/types';

export type Theme = 'light' | 'dark';

export const theme = signal<Theme>(loadJson<Theme>('plcscope.theme', 'light'));
effect(() => saveJson('plcscope.theme', theme.value));

export type ServerStatus = 'unknown' | 'ok' | 'down';
export const serverStatus = signal<ServerStatus>('unknown');
export const serverVersion = signal<string>('');

export const sessionId = signal<string | null>(null);
export const session = signal<ParseSession | null>(null);
/** FileInfo of each file of the open session, in session order. */
export const sessionFiles = signal<FileInfo[]>([]);

export const sessionName = computed<string>(() => {
  const files = sessionFiles.value;
  if (files.length > 1) return `${files.length} files merged`;
  if (files.length === 1) return files[0]!.name;
  const s = session.value;
  if (s && s.fileIds && s.fileIds.length > 1) return `${s.fileIds.length} files merged`;
  return s ? s.fileId : '';
});

export const isMerged = computed<boolean>(() => (session.value?.fileIds?.length ?? 1) > 1);
export const isParsing = computed<boolean>(() => {
  const st = session.value?.status;
  return st === 'parsing' || st === 'pending';
});

export const selectedSignals = signal<string[]>([]);
export const syncEnabled = signal<boolean>(loadJson<boolean>('plcscope.sync', true));
effect(() => saveJson('plcscope.sync', syncEnabled.value));
export const cursorTime = signal<number | null>(null);
export const hoverTime = signal<number | null>(null);

/** The dismissible error banner: the server's sentence, or null. */
export const errorMessage = signal<string | null>(null);
export function showError(e: unknown): void {
  if (e instanceof Error && e.name === 'AbortError') return;
  errorMessage.value = e instanceof Error ? e.message : String(e);
}

/** Adds signal keys to the selection (keeps order, no duplicates). */
export function addSelectedSignals(keys: Iterable<string>): void {
  const cur = selectedSignals.value;
  const have = new Set(cur);
  const add: string[] = [];
  for (const k of keys) {
    if (!have.has(k)) {
      have.add(k);
      add.push(k);
    }
  }
  if (add.length > 0) selectedSignals.value = [...cur, ...add];
}

export function removeSelectedSignals(keys: Iterable<string>): void {
  const drop = new Set(keys);
  selectedSignals.value = selectedSignals.value.filter((k) => !drop.has(k));
}

// ---- bookmarks, kept per file ----

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

// ---- small persistence helpers ----

export function loadJson<T>(key: string, fallback: T): T {
  try {
    const s = globalThis.localStorage?.getItem(key);
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the setting lives for this page only.
  }
}
