// The plcscope HTTP API client: the ONLY module of the UI that performs network
// requests. Every call returns a typed result, accepts an AbortSignal, and
// turns a non-2xx answer into an ApiError carrying the server's sentence.
//
// Ownership: an Api instance holds only its base URL and fetch function; it is
// stateless and safe to share. The app uses the `api` singleton below; tests
// construct their own with a fetch of their choosing.

import type {
  ConditionSearchResult,
  DeviceInfo,
  EntriesPage,
  EntryQuery,
  ErrorsPage,
  FileInfo,
  FleetCycles,
  FleetFiles,
  FleetSearch,
  Health,
  Layout,
  LayoutList,
  LayoutRequest,
  ParseSession,
  SignalType,
  TimeTreeItem,
} from './types';

/** A failed request: `message` is the server's human sentence. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for the error a fetch throws when its AbortSignal fired. */
export function isAbortError(e: unknown): boolean {
  return (
    (e instanceof DOMException && e.name === 'AbortError') ||
    (e instanceof Error && e.name === 'AbortError')
  );
}

/** Query parameters for any /entries-family request (filters + sort). */
export function entryQueryParams(q: EntryQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.search) {
    p.set('search', q.search);
    if (q.regex) p.set('regex', 'true');
  }
  if ((q.search || q.exclude) && q.caseSensitive) p.set('caseSensitive', 'true');
  if (q.exclude) p.set('exclude', q.exclude);
  if (q.categories && q.categories.length > 0) p.set('category', q.categories.join(','));
  if (q.types && q.types.length > 0) p.set('type', q.types.join(','));
  if (q.signals && q.signals.length > 0) p.set('signals', q.signals.join(','));
  if (q.devices && q.devices.length > 0) p.set('devices', q.devices.join(','));
  if (q.start !== undefined && Number.isFinite(q.start)) p.set('start', String(q.start));
  if (q.end !== undefined && Number.isFinite(q.end)) p.set('end', String(q.end));
  if (q.changedOnly) p.set('changedOnly', 'true');
  if (q.sort && !(q.sort === 'timestamp' && (q.order ?? 'asc') === 'asc')) {
    p.set('sort', q.sort);
    p.set('order', q.order ?? 'asc');
  }
  return p;
}

/** A stable string key of a query, for caches. */
export function entryQueryKey(q: EntryQuery): string {
  return entryQueryParams(q).toString();
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
  /** The body is gzip data of the named file: sent with Content-Encoding: gzip. */
  gzip?: boolean;
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiOptions {
  baseUrl?: string;
  fetch?: FetchFn;
}

export class Api {
  private readonly base: string;
  private readonly fetchFn: FetchFn;

  constructor(opts: ApiOptions = {}) {
    this.base = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.fetchFn = opts.fetch ?? ((i, init) => globalThis.fetch(i, init));
  }

  /** Absolute or relative URL of an API path with query parameters. */
  url(path: string, params?: URLSearchParams): string {
    const qs = params && [...params.keys()].length > 0 ? `?${params.toString()}` : '';
    return `${this.base}/api${path}${qs}`;
  }

  private async request(
    method: string,
    path: string,
    opts: { params?: URLSearchParams; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const init: RequestInit = { method, signal: opts.signal };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    const res = await this.fetchFn(this.url(path, opts.params), init);
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  private async json<T>(
    method: string,
    path: string,
    opts: { params?: URLSearchParams; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const res = await this.request(method, path, opts);
    return (await res.json()) as T;
  }

  health(signal?: AbortSignal): Promise<Health> {
    return this.json('GET', '/health', { signal });
  }

  // ---- files ----

  recentFiles(signal?: AbortSignal): Promise<FileInfo[]> {
    return this.json<FileInfo[] | null>('GET', '/files/recent', { signal }).then((f) => f ?? []);
  }

  file(id: string, signal?: AbortSignal): Promise<FileInfo> {
    return this.json('GET', `/files/${enc(id)}`, { signal });
  }

  renameFile(id: string, name: string, signal?: AbortSignal): Promise<FileInfo> {
    return this.json('PUT', `/files/${enc(id)}`, { body: { name }, signal });
  }

  async deleteFile(id: string, signal?: AbortSignal): Promise<void> {
    await this.request('DELETE', `/files/${enc(id)}`, { signal });
  }

  /** Uploads small text as JSON {name, data: base64}. */
  uploadText(name: string, text: string, signal?: AbortSignal): Promise<FileInfo> {
    return this.json('POST', '/files/upload', { body: { name, data: toBase64(text) }, signal });
  }

  /**
   * Streams a raw body to POST /files/upload?name=. Uses XMLHttpRequest where
   * it exists (upload progress events); otherwise fetch (no progress).
   */
  uploadRaw(name: string, body: Blob, opts: UploadOptions = {}): Promise<FileInfo> {
    const url = this.url('/files/upload', new URLSearchParams({ name }));
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (opts.gzip) headers['Content-Encoding'] = 'gzip';
    if (typeof XMLHttpRequest === 'undefined') {
      return this.fetchFn(url, { method: 'POST', body, headers, signal: opts.signal }).then(
        async (res) => {
          if (!res.ok) throw await errorFromResponse(res);
          return (await res.json()) as FileInfo;
        },
      );
    }
    return new Promise<FileInfo>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => opts.onProgress?.({ loaded: e.loaded, total: e.total });
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve(JSON.parse(xhr.responseText) as FileInfo);
          } catch {
            reject(new ApiError('The server sent an unreadable answer.', xhr.status, 'BAD_RESPONSE'));
          }
        } else {
          reject(errorFromText(xhr.status, xhr.statusText, xhr.responseText));
        }
      };
      xhr.onerror = () => reject(new ApiError('The upload failed: the connection was lost.', 0, 'NETWORK'));
      xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
      if (opts.signal) {
        if (opts.signal.aborted) return xhr.abort();
        opts.signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(body);
    });
  }

  // ---- parse sessions ----

  parse(fileIds: string[], signal?: AbortSignal, format?: string): Promise<ParseSession> {
    const body: Record<string, unknown> =
      fileIds.length === 1 ? { fileId: fileIds[0] } : { fileIds };
    if (format) body.format = format;
    return this.json('POST', '/parse', { body, signal });
  }

  sessionStatus(id: string, signal?: AbortSignal): Promise<ParseSession> {
    return this.json('GET', `/parse/${enc(id)}/status`, { signal });
  }

  async keepalive(id: string, signal?: AbortSignal): Promise<void> {
    await this.request('POST', `/parse/${enc(id)}/keepalive`, { signal });
  }

  async deleteSession(id: string, signal?: AbortSignal): Promise<void> {
    await this.request('DELETE', `/parse/${enc(id)}`, { signal });
  }

  /**
   * Follows a session until it is complete or in error, calling onUpdate with
   * every state; resolves with the final one. Listens to the server's SSE
   * progress stream (reacts the moment parsing ends) and falls back to
   * polling /status when the stream is unavailable or ends early.
   */
  async watchSession(
    id: string,
    onUpdate: (s: ParseSession) => void,
    signal?: AbortSignal,
    intervalMs = 100,
  ): Promise<ParseSession> {
    try {
      const res = await this.request('GET', `/parse/${enc(id)}/progress`, { signal });
      let last: ParseSession | null = null;
      for await (const data of sseEvents(res, signal)) {
        last = JSON.parse(data) as ParseSession;
        onUpdate(last);
        if (last.status === 'complete' || last.status === 'error') return last;
      }
    } catch (e) {
      if (isAbortError(e) || (e instanceof ApiError && e.status === 404)) throw e;
      // The stream failed: poll instead.
    }
    for (;;) {
      const s = await this.sessionStatus(id, signal);
      onUpdate(s);
      if (s.status === 'complete' || s.status === 'error') return s;
      await sleep(intervalMs, signal);
    }
  }

  entries(
    id: string,
    q: EntryQuery,
    page: number,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<EntriesPage> {
    const p = entryQueryParams(q);
    p.set('page', String(page));
    p.set('pageSize', String(pageSize));
    return this.json('GET', `/parse/${enc(id)}/entries`, { params: p, signal });
  }

  signals(id: string, signal?: AbortSignal): Promise<string[]> {
    return this.json('GET', `/parse/${enc(id)}/signals`, { signal });
  }

  signalTypes(id: string, signal?: AbortSignal): Promise<Record<string, SignalType>> {
    return this.json('GET', `/parse/${enc(id)}/signal-types`, { signal });
  }

  categories(id: string, signal?: AbortSignal): Promise<string[]> {
    return this.json<string[] | null>('GET', `/parse/${enc(id)}/categories`, { signal }).then(
      (c) => c ?? [],
    );
  }

  devices(id: string, signal?: AbortSignal): Promise<DeviceInfo[]> {
    return this.json('GET', `/parse/${enc(id)}/devices`, { signal });
  }

  /** 0-based index of the first row at or after ts under q, or -1. */
  indexOfTime(id: string, ts: number, q: EntryQuery, signal?: AbortSignal): Promise<number> {
    const p = entryQueryParams(q);
    p.set('ts', String(ts));
    return this.json<{ index: number }>('GET', `/parse/${enc(id)}/index-of-time`, {
      params: p,
      signal,
    }).then((r) => r.index);
  }

  timeTree(id: string, q: EntryQuery, signal?: AbortSignal): Promise<TimeTreeItem[]> {
    const p = entryQueryParams({ ...q, sort: undefined, order: undefined });
    return this.json<TimeTreeItem[] | null>('GET', `/parse/${enc(id)}/time-tree`, {
      params: p,
      signal,
    }).then((t) => t ?? []);
  }

  errors(id: string, page: number, pageSize: number, signal?: AbortSignal): Promise<ErrorsPage> {
    const p = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    return this.json<Partial<ErrorsPage>>('GET', `/parse/${enc(id)}/errors`, {
      params: p,
      signal,
    }).then((r) => ({
      errors: r.errors ?? [],
      total: r.total ?? r.errors?.length ?? 0,
      errorCount: r.errorCount ?? r.total ?? r.errors?.length ?? 0,
      page: r.page ?? page,
      pageSize: r.pageSize ?? pageSize,
      countsByReason: r.countsByReason ?? {},
    }));
  }

  /** Per signal key, the latest sample at or before ts. */
  atTime(id: string, ts: number, signals: string[] | undefined, signal?: AbortSignal) {
    const p = new URLSearchParams({ timestamp: String(ts) });
    if (signals && signals.length > 0) p.set('signals', signals.join(','));
    return this.json<import('./types').Entry[]>('GET', `/parse/${enc(id)}/at-time`, {
      params: p,
      signal,
    });
  }

  /** URL of the streamed export of every row matching q (for a download link). */
  exportUrl(id: string, q: EntryQuery, format: 'csv' | 'jsonl' = 'csv'): string {
    const p = entryQueryParams(q);
    p.set('format', format);
    return this.url(`/parse/${enc(id)}/export`, p);
  }

  /**
   * Where a multi-signal condition holds: the intervals around `at` and the
   * count over the whole session; with a window, the intervals overlapping it.
   */
  condition(
    id: string,
    q: { condition: string; at: number; windowStart?: number; windowEnd?: number; windowLimit?: number },
    signal?: AbortSignal,
  ): Promise<ConditionSearchResult> {
    const p = new URLSearchParams({ condition: q.condition, at: String(q.at) });
    if (q.windowStart !== undefined && q.windowEnd !== undefined) {
      p.set('windowStart', String(q.windowStart));
      p.set('windowEnd', String(q.windowEnd));
      if (q.windowLimit !== undefined) p.set('windowLimit', String(q.windowLimit));
    }
    return this.json('GET', `/parse/${enc(id)}/condition`, { params: p, signal });
  }

  /** URL of the VCD download of `signals` over [start, end] ms (for a download link). */
  vcdUrl(id: string, signals: string[], start: number, end: number): string {
    const p = new URLSearchParams({ signals: signals.join(','), start: String(start), end: String(end) });
    return this.url(`/parse/${enc(id)}/export.vcd`, p);
  }

  // ---- lane layouts (shared by everyone who opens the session) ----

  layouts(id: string, signal?: AbortSignal): Promise<LayoutList> {
    return this.json('GET', `/parse/${enc(id)}/layouts`, { signal });
  }

  layout(id: string, name: string, signal?: AbortSignal): Promise<Layout> {
    return this.json('GET', `/parse/${enc(id)}/layouts/${enc(name)}`, { signal });
  }

  /** Saves `layout` under `name`, replacing one of that name. */
  saveLayout(id: string, name: string, layout: LayoutRequest, signal?: AbortSignal): Promise<Layout> {
    return this.json('PUT', `/parse/${enc(id)}/layouts/${enc(name)}`, { body: layout, signal });
  }

  async deleteLayout(id: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.request('DELETE', `/parse/${enc(id)}/layouts/${enc(name)}`, { signal });
  }

  // ---- fleet (serve --clickhouse) ----

  fleetFiles(signal?: AbortSignal): Promise<FleetFiles> {
    return this.json('GET', '/fleet/files', { signal });
  }

  /** One signal ("name" on every device, or "device::name"), optionally one value, across the fleet. */
  fleetSearch(q: { signal: string; value?: string; limit?: number }, signal?: AbortSignal): Promise<FleetSearch> {
    const p = new URLSearchParams({ signal: q.signal });
    if (q.value !== undefined && q.value !== '') p.set('value', q.value);
    if (q.limit !== undefined) p.set('limit', String(q.limit));
    return this.json('GET', '/fleet/search', { params: p, signal });
  }

  /** Cycle times of one signal's value, per device across the fleet. */
  fleetCycles(q: { signal: string; value: string }, signal?: AbortSignal): Promise<FleetCycles> {
    const p = new URLSearchParams({ signal: q.signal, value: q.value });
    return this.json('GET', '/fleet/cycles', { params: p, signal });
  }

  /**
   * Generic JSON request for endpoints without a typed wrapper yet (e.g. the
   * timing diagram's /waveform). Prefer adding a typed method.
   */
  call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.json<T>(method, path, { body, signal });
  }
}

/**
 * The `data:` payloads of a Server-Sent Events response, one per event
 * (multi-line data joined by newlines), until the stream ends.
 */
export async function* sseEvents(res: Response, signal?: AbortSignal): AsyncGenerator<string> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      if (done) break;
      buf += value.replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
        if (data.length > 0) yield data.join('\n');
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/** Text as base64 of its UTF-8 bytes (the `data` of JSON uploads); the one encoder of the UI. */
export function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // The body could not be read; the status line still says what happened.
  }
  return errorFromText(res.status, res.statusText, text);
}

/** Builds an ApiError from an error body {"error", "code"}, or the status line. */
export function errorFromText(status: number, statusText: string, body: string): ApiError {
  try {
    const j = JSON.parse(body) as { error?: unknown; code?: unknown };
    if (typeof j.error === 'string' && j.error.length > 0) {
      return new ApiError(j.error, status, typeof j.code === 'string' ? j.code : 'ERROR');
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  const trimmed = body.trim();
  const msg =
    trimmed.length > 0 && trimmed.length < 300 && !trimmed.startsWith('<')
      ? trimmed
      : `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`;
  return new ApiError(msg, status, 'HTTP_' + status);
}

/** The app's shared client (same origin). */
export const api = new Api();
