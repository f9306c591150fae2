// Session lifecycle: open (parse) files, follow parsing progress, restore the
// session on load (?session=<id>, else the last one in localStorage, else the
// session the server opened at startup, /api/health startupSessionId), the
// starter lanes of a session with no saved lanes, unload, and the server
// health poll. Owns the session, view, lanes and table-signal parameters of
// the URL (url_state.ts). Writes the signals of session.ts, selection.ts,
// ui.ts and fleet.ts.

import { batch } from '@preact/signals';
import { ApiError, api, isAbortError } from '../api/client';
import type { FileInfo, ParseSession } from '../api/types';
import { activeTab, isTabId } from './tabs';
import { catalog } from './catalog';
import { cursorTime, selectedSignals, tableSignals } from './selection';
import { loadStarterLanes } from './starter_lanes';
import { applyUrl, listParam, listenToHistory, pushUrlStep, registerUrlPart, replaceUrlNow, writeUrl } from './url_state';
import { errorMessage, showError } from './ui';
import { serverStatus, serverVersion, session, sessionFiles, sessionId } from './session';
import { fleetDatabase } from './fleet';

const kLastSessionKey = 'plcscope.lastSession';
/** Longest lane list written into the URL (longer lists stay in localStorage only). */
const kMaxUrlListChars = 3000;
let watchAbort: AbortController | null = null;
let keepaliveTimer: ReturnType<typeof setInterval> | null = null;
/** Lanes and table signals from a link, for the session it opens next. */
let urlLists: { lanes: string[] | null; table: string[] | null } = { lanes: null, table: null };
/** The session whose lanes are the starter lanes still to be chosen. */
let starterPending: string | null = null;

/** Starts following session `id`: status polling until complete, keepalive. */
export async function openSession(id: string, opts: { quiet?: boolean } = {}): Promise<boolean> {
  watchAbort?.abort();
  const ctl = new AbortController();
  watchAbort = ctl;
  if (sessionId.peek() !== id) {
    const saved = loadList(`plcscope.selection.${id}`);
    const lanes = urlLists.lanes ?? saved;
    const table = urlLists.table ?? loadList(`plcscope.tableSignals.${id}`) ?? [];
    urlLists = { lanes: null, table: null };
    starterPending = lanes === null ? id : null;
    batch(() => {
      sessionId.value = id;
      session.value = null;
      sessionFiles.value = [];
      selectedSignals.value = lanes ?? [];
      tableSignals.value = table;
      cursorTime.value = null;
    });
  }
  writeUrl('replace');
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
    tableSignals.value = [];
    cursorTime.value = null;
  });
  starterPending = null;
  try {
    localStorage.removeItem(kLastSessionKey);
  } catch {
    // Nothing to forget.
  }
  writeUrl('replace');
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

/** A saved list of keys, or null when none was saved. */
function loadList(key: string): string[] | null {
  try {
    const s = localStorage.getItem(key);
    const v: unknown = s ? JSON.parse(s) : null;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
  } catch {
    return null;
  }
}

function saveList(key: string, list: readonly string[]): void {
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    // Storage full: the list is kept for this page only.
  }
}

/** Remembers the lanes and the table's signal filter per session (restored on reload). */
export function saveSelection(): void {
  const id = sessionId.peek();
  if (!id) return;
  // Starter lanes not chosen yet: nothing was picked, so nothing is saved.
  if (starterPending !== id || selectedSignals.peek().length > 0) {
    starterPending = null;
    saveList(`plcscope.selection.${id}`, selectedSignals.peek());
  }
  saveList(`plcscope.tableSignals.${id}`, tableSignals.peek());
}

/** Mirrors the session, view, lanes and table signals into the address bar. */
export function updateUrl(): void {
  writeUrl('replace');
}

function joinedShort(list: readonly string[]): string | null {
  const s = list.join(',');
  return s.length <= kMaxUrlListChars ? s : null;
}

registerUrlPart({
  keys: ['session', 'view', 'lanes', 'sig'],
  write(p) {
    const id = sessionId.peek();
    if (id) p.set('session', id);
    p.set('view', activeTab.peek());
    if (!id) return;
    if (starterPending !== id || selectedSignals.peek().length > 0) {
      const lanes = joinedShort(selectedSignals.peek());
      if (lanes !== null) p.set('lanes', lanes);
    }
    const table = joinedShort(tableSignals.peek());
    if (table) p.set('sig', table);
  },
  apply(p) {
    const view = p.get('view');
    if (isTabId(view)) activeTab.value = view;
    const id = p.get('session');
    const lanes = listParam(p, 'lanes');
    const table = listParam(p, 'sig') ?? [];
    if (id && id !== sessionId.peek()) {
      urlLists = { lanes, table };
      void openSession(id);
    } else if (id) {
      batch(() => {
        if (lanes !== null) selectedSignals.value = lanes;
        tableSignals.value = table;
      });
    }
  },
});

// The starter lanes of a session with no saved lanes, once its catalog is in.
let starterAbort: AbortController | null = null;
catalog.subscribe((cat) => {
  const id = sessionId.peek();
  const s = session.peek();
  if (!cat || !id || cat.sessionId !== id || starterPending !== id || !s) return;
  starterAbort?.abort();
  const ctl = new AbortController();
  starterAbort = ctl;
  loadStarterLanes(api, id, cat.keys, cat.types, s.startTime, s.endTime, ctl.signal).then(
    (lanes) => {
      if (ctl.signal.aborted || sessionId.peek() !== id || starterPending !== id) return;
      if (selectedSignals.peek().length === 0 && lanes.length > 0) selectedSignals.value = lanes;
    },
    (e: unknown) => !isAbortError(e) && showError(e),
  );
});

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

/** The view whose history entry the address holds (a change pushes a new entry). */
let shownTab = activeTab.peek();

/**
 * Called once at startup: health poll; applies the URL (view, session, the
 * views' parameters); with no session in it, reopens the last one, else the
 * one the server opened at startup.
 */
export function startApp(): void {
  void pollHealth();
  setInterval(() => void pollHealth(), 5000);
  const params = new URLSearchParams(location.search);
  // An address with no view (`/`, or a link with only the session) opens in
  // the Workspace, the diagram over the table; Home if no session opens.
  if (!isTabId(params.get('view'))) activeTab.value = 'workspace';
  applyUrl(params);
  if (!params.get('session')) void openDefaultSession();
  // Picking lanes or table signals is a discrete step: the address has it at once.
  selectedSignals.subscribe(() => {
    saveSelection();
    replaceUrlNow();
  });
  tableSignals.subscribe(() => {
    saveSelection();
    replaceUrlNow();
  });
  shownTab = activeTab.peek();
  activeTab.subscribe((t) => {
    if (t === shownTab) return;
    shownTab = t;
    pushUrlStep();
  });
  listenToHistory();
}

/** No session opened at startup: the landing Workspace gives way to Home (same history entry). */
function landOnHome(): void {
  if (sessionId.peek() || activeTab.peek() !== 'workspace' || shownTab !== 'workspace') return;
  shownTab = 'home';
  activeTab.value = 'home';
  writeUrl('replace');
}

async function openDefaultSession(): Promise<void> {
  let last: string | null = null;
  try {
    last = localStorage.getItem(kLastSessionKey);
  } catch {
    last = null;
  }
  if (last && (await openSession(last, { quiet: true }))) return;
  try {
    const h = await api.health(AbortSignal.timeout(10_000));
    if (h.startupSessionId && !sessionId.peek()) await openSession(h.startupSessionId, { quiet: true });
  } catch {
    // The health poll reports an unreachable server.
  }
  landOnHome();
}
