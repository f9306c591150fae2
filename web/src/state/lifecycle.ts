// Session lifecycle: open (parse) files, follow parsing progress, restore the
// last session on reload (?session=<id> or localStorage), unload, and the
// server health poll. Writes the signals of session.ts, selection.ts, ui.ts and fleet.ts.

import { batch } from '@preact/signals';
import { ApiError, api, isAbortError } from '../api/client';
import type { FileInfo, ParseSession } from '../api/types';
import { activeTab, isTabId } from './tabs';
import { cursorTime, selectedSignals } from './selection';
import { errorMessage, showError } from './ui';
import { serverStatus, serverVersion, session, sessionFiles, sessionId } from './session';
import { fleetDatabase } from './fleet';

const kLastSessionKey = 'plcscope.lastSession';
let watchAbort: AbortController | null = null;
let keepaliveTimer: ReturnType<typeof setInterval> | null = null;

/** Starts following session `id`: status polling until complete, keepalive. */
export async function openSession(id: string, opts: { quiet?: boolean } = {}): Promise<boolean> {
  watchAbort?.abort();
  const ctl = new AbortController();
  watchAbort = ctl;
  if (sessionId.peek() !== id) {
    batch(() => {
      sessionId.value = id;
      session.value = null;
      sessionFiles.value = [];
      selectedSignals.value = loadSelection(id);
      cursorTime.value = null;
    });
  }
  updateUrl();
  try {
    localStorage.setItem(kLastSessionKey, id);
  } catch {
    // Storage disabled: restore on reload will not work, nothing else breaks.
  }
  try {
    const first = await api.sessionStatus(id, ctl.signal);
    session.value = first;
    void loadFiles(first, ctl.signal);
    if (first.status !== 'complete' && first.status !== 'error') {
      await api.watchSession(id, (s) => (session.value = s), ctl.signal);
    }
    if (session.peek()?.status === 'error') {
      showError(session.peek()?.error ?? 'Parsing failed.');
    }
    startKeepalive(id);
    return true;
  } catch (e) {
    if (isAbortError(e)) return false;
    if (e instanceof ApiError && e.status === 404) {
      if (!opts.quiet) showError(`Session ${id} no longer exists: ${e.message}`);
      closeSession();
      return false;
    }
    showError(e);
    return false;
  }
}

async function loadFiles(s: ParseSession, signal: AbortSignal): Promise<void> {
  const ids = s.fileIds && s.fileIds.length > 0 ? s.fileIds : [s.fileId];
  const files: FileInfo[] = [];
  for (const fid of ids) {
    try {
      files.push(await api.file(fid, signal));
    } catch (e) {
      if (isAbortError(e)) return;
      files.push({ id: fid, name: fid, size: 0, uploadedAt: '', status: 'unknown' });
    }
  }
  if (sessionId.peek() === s.id) sessionFiles.value = files;
}

/** Parses the given files (one, or several merged) and opens the session. */
export async function parseAndOpen(fileIds: string[], view?: 'log' | 'home'): Promise<boolean> {
  try {
    errorMessage.value = null;
    const s = await api.parse(fileIds);
    session.value = s;
    const ok = openSession(s.id);
    if (view) activeTab.value = view;
    return await ok;
  } catch (e) {
    showError(e);
    return false;
  }
}

/** Forgets the open session in this page (server data stays). */
export function closeSession(): void {
  watchAbort?.abort();
  watchAbort = null;
  stopKeepalive();
  batch(() => {
    sessionId.value = null;
    session.value = null;
    sessionFiles.value = [];
    selectedSignals.value = [];
    cursorTime.value = null;
  });
  try {
    localStorage.removeItem(kLastSessionKey);
  } catch {
    // Nothing to forget.
  }
  updateUrl();
}

/** Unload: closes the session here and releases it on the server. */
export async function unloadSession(): Promise<void> {
  const id = sessionId.peek();
  closeSession();
  activeTab.value = 'home';
  if (id) {
    try {
      await api.deleteSession(id);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) showError(e);
    }
  }
}

function startKeepalive(id: string): void {
  stopKeepalive();
  keepaliveTimer = setInterval(() => {
    if (sessionId.peek() === id) api.keepalive(id).catch(() => undefined);
  }, 60_000);
}

function stopKeepalive(): void {
  if (keepaliveTimer) clearInterval(keepaliveTimer);
  keepaliveTimer = null;
}

function loadSelection(id: string): string[] {
  try {
    const s = localStorage.getItem(`plcscope.selection.${id}`);
    return s ? (JSON.parse(s) as string[]) : [];
  } catch {
    return [];
  }
}

/** Remembers the signal selection per session (restored on reload). */
export function saveSelection(): void {
  const id = sessionId.peek();
  if (!id) return;
  try {
    localStorage.setItem(`plcscope.selection.${id}`, JSON.stringify(selectedSignals.peek()));
  } catch {
    // Storage full: the selection is kept for this page only.
  }
}

/** Mirrors session id and view into the address bar (?session=&view=). */
export function updateUrl(): void {
  const u = new URL(location.href);
  const id = sessionId.peek();
  if (id) u.searchParams.set('session', id);
  else u.searchParams.delete('session');
  u.searchParams.set('view', activeTab.peek());
  if (u.href !== location.href) history.replaceState(null, '', u.href);
}

async function pollHealth(): Promise<void> {
  try {
    const h = await api.health(AbortSignal.timeout(4000));
    serverStatus.value = h.status === 'ok' ? 'ok' : 'down';
    serverVersion.value = h.version;
    fleetDatabase.value = h.fleet?.database ?? null;
  } catch {
    serverStatus.value = 'down';
  }
}

/** Called once at startup: health poll, restore the session from URL/storage. */
export function startApp(): void {
  void pollHealth();
  setInterval(() => void pollHealth(), 5000);
  const params = new URLSearchParams(location.search);
  const view = params.get('view');
  if (isTabId(view)) activeTab.value = view;
  let id = params.get('session');
  let fromUrl = true;
  if (!id) {
    fromUrl = false;
    try {
      id = localStorage.getItem(kLastSessionKey);
    } catch {
      id = null;
    }
  }
  if (id) void openSession(id, { quiet: !fromUrl });
  selectedSignals.subscribe(() => saveSelection());
  activeTab.subscribe(() => updateUrl());
}
