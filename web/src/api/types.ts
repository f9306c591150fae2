// Typed shapes of the plcscope HTTP API, the JSON of docs/openapi.json (see
// docs/http.md). Shapes marked (compat) there are mirrored exactly; optional
// fields are ones the server may add or omit. src/api/contract.test.ts checks
// every interface here against its schema in the document: change both.

export type SignalType = 'boolean' | 'integer' | 'float' | 'string';
export const kSignalTypes: readonly SignalType[] = ['boolean', 'integer', 'float', 'string'];

/** One sample (compat). `timestamp` is RFC 3339 UTC with milliseconds. */
export interface Entry {
  deviceId: string;
  signalName: string;
  timestamp: string;
  value: boolean | number | string;
  signalType: SignalType;
  category?: string;
  sourceId?: string;
}

/**
 * How session queries report floats (query parameter `floats`, docs/api.md
 * "Float values"): 'string' types float signals "string" with the number's
 * text as value, for clients that know only boolean/integer/string.
 */
export type FloatsMode = 'number' | 'string';

/** One carrier move of GET /api/map/carrier-log/entries (compat: `timestamp` in ms). */
export interface CarrierLogEntry {
  carrierId: string;
  unitId: string;
  location: string;
  timestamp: number;
  ts: number;
}

/** `total`: every entry of the carrier session (compat); `count`: the moves over all pages. */
export interface CarrierLogEntries {
  entries: CarrierLogEntry[];
  total: number;
  count: number;
}

/** One JSON frame of GET /api/ws/uploads, the old client's upload protocol (docs/http.md). */
export interface WsUploadMessage {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
  timestamp: number;
}

export interface EntriesPage {
  entries: Entry[];
  page: number;
  pageSize: number;
  total: number;
}

export interface FileInfo {
  id: string;
  name: string;
  size: number;
  uploadedAt: string;
  status: string;
  /** "xxh3:<16 hex digits>" of the stored bytes; absent until known. */
  contentHash?: string;
}

export interface ParseError {
  line: number;
  content: string;
  reason: string;
  /** The file of a merged session the line is from. */
  sourceId?: string;
}

export type SessionStatus = 'pending' | 'parsing' | 'complete' | 'error';

/** A parse session (compat), plus optional extras the server may send. */
export interface ParseSession {
  id: string;
  fileId: string;
  fileIds?: string[];
  status: SessionStatus;
  progress: number;
  entryCount: number;
  signalCount: number;
  processingTimeMs: number;
  /** Opened from a stored result (the same content parsed before): processingTimeMs is that parse's. */
  reopened?: boolean;
  startTime: number;
  endTime: number;
  parserName: string;
  errors: ParseError[];
  errorCount?: number;
  errorCounts?: Record<string, number>;
  deviceCount?: number;
  bytesRead?: number;
  bytesTotal?: number;
  duplicatesDropped?: number;
  files?: SessionFileDetail[];
  /** Why the parse failed (status "error"). */
  error?: string;
}

export interface SessionFileDetail {
  fileId?: string;
  name: string;
  format: string;
  size: number;
  lines: number;
  samples: number;
  errorCount: number;
  /** Decompressed bytes parsed. */
  bytesRead?: number;
}

export interface ErrorsPage {
  errors: ParseError[];
  /** Errors with details kept (the first 1,000). */
  total: number;
  /** All errors counted. */
  errorCount: number;
  page: number;
  pageSize: number;
  countsByReason: Record<string, number>;
}

export interface DeviceInfo {
  id: string;
  path: string;
  signalCount: number;
}

export interface TimeTreeItem {
  date: string;
  hour: number;
  minute: number;
  ts: number;
}

export interface Health {
  status: string;
  version: string;
  /** The session opened from the command line or the demo log. */
  startupSessionId?: string;
  /** Present with `serve --clickhouse`: the ClickHouse backend's database. */
  fleet?: { database: string };
}

/** GET /api/ready: 200 when ready, 503 while the startup session is still being opened. */
export interface Readiness {
  ready: boolean;
  /** Why not yet ready. */
  reason?: string;
  startupSessionId?: string;
  /** pending, parsing, complete or error. */
  startupStatus?: string;
  /** 0..100 */
  progress?: number;
}

export type SortKey = 'timestamp' | 'deviceId' | 'signalName' | 'category' | 'value' | 'type';
export type SortOrder = 'asc' | 'desc';

/**
 * Filter and sort of an /entries-family request. Every field is optional; an
 * absent field means "no constraint". Converted to query parameters by
 * entryQueryParams() in client.ts.
 */
export interface EntryQuery {
  search?: string;
  regex?: boolean;
  caseSensitive?: boolean;
  exclude?: string;
  categories?: string[];
  types?: SignalType[];
  signals?: string[];
  devices?: string[];
  start?: number;
  end?: number;
  changedOnly?: boolean;
  sort?: SortKey;
  order?: SortOrder;
}

/** An interval where a condition holds (ms). `open`: still true at the session's end. */
export interface ConditionInterval {
  start: number;
  end: number;
  open: boolean;
}

/** GET /api/parse/:id/condition: where a multi-signal condition holds. */
export interface ConditionSearchResult {
  condition: string;
  /** The key of each term's signal, in term order. */
  signals: string[];
  at: number;
  /** Intervals where the condition holds over the whole session. */
  count: number;
  /** Of them, those starting before `at`: `prev` is interval number `before` (1-based). */
  before: number;
  next: ConditionInterval | null;
  prev: ConditionInterval | null;
  current: ConditionInterval | null;
  /** With windowStart/windowEnd: the intervals overlapping the window. */
  window?: ConditionInterval[];
  windowTruncated?: boolean;
  samplesRead: number;
  elapsedMs: number;
}

/** The UI's display settings for a layout's lanes, kept by the server as sent (at most 256 KiB). */
export type LayoutSettings = Record<string, unknown>;

/** A session's named lane layout (GET/PUT /api/parse/:id/layouts/:name), shared by everyone who opens the session. */
export interface Layout {
  name: string;
  /** Signal keys (device::signal) in lane order. */
  lanes: string[];
  settings: LayoutSettings;
  /** ms since the Unix epoch. */
  updatedAt: number;
}

/** PUT /api/parse/:id/layouts/:name. */
export interface LayoutRequest {
  lanes: string[];
  settings?: LayoutSettings;
}

/** One entry of GET /api/parse/:id/layouts. */
export interface LayoutSummary {
  name: string;
  updatedAt: number;
  laneCount: number;
}

/** GET /api/parse/:id/layouts: the session's layouts, by name. */
export interface LayoutList {
  layouts: LayoutSummary[];
}

/** GET /api/fleet/files: the files of the ClickHouse cluster (serve --clickhouse). */
export interface FleetFiles {
  database: string;
  files: FleetFile[];
}

export interface FleetFile {
  /** The file's content hash (16 hex digits). */
  id: string;
  name: string;
  size: number;
  format: string;
  entryCount: number;
  signalCount: number;
  deviceCount: number;
  errorCount: number;
  startTime: number;
  endTime: number;
  /** ms */
  pushedAt: number;
}

/** GET /api/fleet/search: one signal (or value) across every pushed file. */
export interface FleetSearch {
  hits: FleetHit[];
  truncated: boolean;
}

/** GET /api/fleet/cycles: the cycle times of one signal's value, per device. */
export interface FleetCycles {
  signal: string;
  value: string;
  devices: FleetDeviceCycles[];
}

export interface FleetDeviceCycles {
  deviceId: string;
  /** Files the device has at least one cycle in. */
  files: number;
  count: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  stddevMs: number;
  p50Ms: number;
  p95Ms: number;
}

export interface FleetHit {
  fileId: string;
  deviceId: string;
  signalName: string;
  timestamp: number;
  value: string;
  signalType: string;
}
