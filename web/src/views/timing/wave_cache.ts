// The timing diagram's waveform cache. It holds per-signal tiles (tiles.ts)
// fetched from the server, fetches ahead of the view (three view widths at
// the view's level), cancels requests the view no longer needs, and answers
// drawing queries synchronously from what it holds, falling back to coarser
// or finer levels while the right one loads. Drawing never waits for the
// network: pieces() never fetches.
//
// Owned by one timing view; single-threaded (browser main thread).

import type { WaveRequest, WaveResponse, WaveSignal } from '../../api/waveform';
import {
  columnMs,
  kTileColumns,
  levelFor,
  prefetchRange,
  tileKey,
  tileRange,
  tilesCovering,
} from './tiles';
import type { Bounds, TimeRange } from './viewport';

export type WaveFetcher = (req: WaveRequest, signal: AbortSignal) => Promise<WaveResponse>;

// A part of a lane drawable from one cached tile: the tile's data, valid for
// [clipStart, clipEnd) (the tile's own range or a part of it).
export interface Piece {
  readonly clipStart: number;
  readonly clipEnd: number;
  readonly tileStart: number;
  readonly colMs: number;
  readonly data: WaveSignal;
  readonly level: number;
}

interface Entry {
  readonly data: WaveSignal;
  readonly level: number;
  readonly index: number;
  used: number;
}

interface Inflight {
  readonly level: number;
  readonly index: number;
  readonly signals: readonly string[];
  readonly controller: AbortController;
}

export interface CacheOptions {
  readonly maxEntries?: number;
  readonly maxInflight?: number;
  readonly maxSignalsPerRequest?: number;
  // Called when new data arrived (schedule a redraw).
  readonly onData?: () => void;
  readonly onError?: (e: unknown) => void;
}

export interface CacheStats {
  entries: number;
  inflight: number;
  fetched: number;
  aborted: number;
  failed: number;
}

const kRetryAfterMs = 3000;

export class WaveCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<number, Inflight>();
  private readonly failedAt = new Map<string, number>();
  private nextRequestId = 1;
  private clock = 0;
  private bounds: Bounds | null = null;
  private wanted: { level: number; index: number }[] = [];
  private wantedSignals: readonly string[] = [];
  private readonly maxEntries: number;
  private readonly maxInflight: number;
  private readonly maxSignalsPerRequest: number;
  readonly stats: CacheStats = { entries: 0, inflight: 0, fetched: 0, aborted: 0, failed: 0 };

  constructor(
    private readonly fetcher: WaveFetcher,
    private readonly options: CacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 8000;
    this.maxInflight = options.maxInflight ?? 4;
    this.maxSignalsPerRequest = options.maxSignalsPerRequest ?? 64;
  }

  private static key(signal: string, level: number, index: number): string {
    return `${signal}@${tileKey(level, index)}`;
  }

  // The session's data range: tiles wholly outside it are never fetched.
  setBounds(b: Bounds): void {
    this.bounds = b;
  }

  // Drops everything (another session, or data that changed).
  clear(): void {
    for (const f of this.inflight.values()) f.controller.abort();
    this.inflight.clear();
    this.entries.clear();
    this.failedAt.clear();
    this.wanted = [];
    this.stats.entries = 0;
    this.stats.inflight = 0;
  }

  has(signal: string, level: number, index: number): boolean {
    return this.entries.has(WaveCache.key(signal, level, index));
  }

  // Declares what the view shows; fetches what is missing for three view
  // widths around it (visible tiles first, nearest the center first) and
  // aborts requests for tiles no longer wanted.
  request(view: TimeRange, widthPx: number, signals: readonly string[]): void {
    if (!(widthPx > 0) || signals.length === 0) {
      this.wanted = [];
      this.wantedSignals = signals;
      this.abortUnwanted();
      return;
    }
    const level = levelFor((view.end - view.start) / widthPx);
    const wide = prefetchRange(view);
    let lo = wide.start;
    let hi = wide.end;
    if (this.bounds) {
      lo = Math.max(lo, this.bounds.min);
      hi = Math.min(hi, this.bounds.max + columnMs(level));
    }
    const center = (view.start + view.end) / 2;
    const visible = (i: number): boolean => {
      const r = tileRange(level, i);
      return r.end > view.start && r.start < view.end;
    };
    const dist = (i: number): number => {
      const r = tileRange(level, i);
      return Math.abs((r.start + r.end) / 2 - center);
    };
    const indexes = hi > lo ? tilesCovering(level, lo, hi) : [];
    indexes.sort((a, b) => Number(visible(b)) - Number(visible(a)) || dist(a) - dist(b));
    this.wanted = indexes.map((index) => ({ level, index }));
    this.wantedSignals = signals;
    this.abortUnwanted();
    this.pump();
  }

  private isWanted(level: number, index: number): boolean {
    return this.wanted.some((w) => w.level === level && w.index === index);
  }

  private abortUnwanted(): void {
    const live = new Set(this.wantedSignals);
    for (const [id, f] of this.inflight) {
      if (!this.isWanted(f.level, f.index) || !f.signals.some((s) => live.has(s))) {
        f.controller.abort();
        this.inflight.delete(id);
        this.stats.aborted++;
      }
    }
    this.stats.inflight = this.inflight.size;
  }

  private isInflight(signal: string, level: number, index: number): boolean {
    for (const f of this.inflight.values()) {
      if (f.level === level && f.index === index && f.signals.includes(signal)) return true;
    }
    return false;
  }

  private pump(): void {
    const now = Date.now();
    for (const w of this.wanted) {
      if (this.inflight.size >= this.maxInflight) return;
      const missing = this.wantedSignals.filter((s) => {
        const k = WaveCache.key(s, w.level, w.index);
        if (this.entries.has(k) || this.isInflight(s, w.level, w.index)) return false;
        const failed = this.failedAt.get(k);
        return failed === undefined || now - failed > kRetryAfterMs;
      });
      for (let i = 0; i < missing.length && this.inflight.size < this.maxInflight; i += this.maxSignalsPerRequest) {
        this.start(w.level, w.index, missing.slice(i, i + this.maxSignalsPerRequest));
      }
    }
  }

  private start(level: number, index: number, signals: string[]): void {
    const id = this.nextRequestId++;
    const controller = new AbortController();
    this.inflight.set(id, { level, index, signals, controller });
    this.stats.inflight = this.inflight.size;
    const r = tileRange(level, index);
    const req: WaveRequest = { signals, start: r.start, end: r.end, width: kTileColumns };
    this.fetcher(req, controller.signal).then(
      (res) => {
        if (controller.signal.aborted || !this.inflight.has(id)) return;
        this.inflight.delete(id);
        this.stats.inflight = this.inflight.size;
        this.stats.fetched++;
        for (const s of res.signals) {
          this.entries.set(WaveCache.key(s.key, level, index), { data: s, level, index, used: this.clock });
        }
        // The server skips names it does not know: hold them as empty so
        // they are not asked for again and again.
        for (const key of signals) {
          const k = WaveCache.key(key, level, index);
          if (!this.entries.has(k)) {
            const data: WaveSignal = { key, type: 'string', initial: null, changes: { t: new Float64Array(0), v: [] }, columns: null };
            this.entries.set(k, { data, level, index, used: this.clock });
          }
        }
        this.evict();
        this.options.onData?.();
        this.pump();
      },
      (e: unknown) => {
        if (!this.inflight.has(id)) return;
        this.inflight.delete(id);
        this.stats.inflight = this.inflight.size;
        if (controller.signal.aborted) return;
        this.stats.failed++;
        const now = Date.now();
        for (const s of signals) this.failedAt.set(WaveCache.key(s, level, index), now);
        this.options.onError?.(e);
        this.pump();
      },
    );
  }

  private evict(): void {
    this.stats.entries = this.entries.size;
    if (this.entries.size <= this.maxEntries) return;
    const sorted = [...this.entries.entries()].sort((a, b) => a[1].used - b[1].used);
    const drop = this.entries.size - Math.floor(this.maxEntries * 0.9);
    for (let i = 0; i < drop; i++) this.entries.delete(sorted[i]![0]);
    this.stats.entries = this.entries.size;
  }

  // Starts a new drawing frame (for the cache's least-recently-used order).
  beginFrame(): void {
    this.clock++;
  }

  private lookup(signal: string, level: number, index: number): Entry | undefined {
    const e = this.entries.get(WaveCache.key(signal, level, index));
    if (e) e.used = this.clock;
    return e;
  }

  // What is cached to draw `signal` over `view` on widthPx pixels: pieces in
  // time order, not overlapping; a time range no piece covers is not loaded.
  // Never fetches.
  pieces(signal: string, view: TimeRange, widthPx: number): Piece[] {
    if (!(widthPx > 0)) return [];
    const level = levelFor((view.end - view.start) / widthPx);
    const out: Piece[] = [];
    const push = (e: Entry, clipStart: number, clipEnd: number): void => {
      const prev = out[out.length - 1];
      if (prev && prev.data === e.data && prev.clipEnd === clipStart) {
        out[out.length - 1] = { ...prev, clipEnd };
        return;
      }
      const r = tileRange(e.level, e.index);
      out.push({ clipStart, clipEnd, tileStart: r.start, colMs: columnMs(e.level), data: e.data, level: e.level });
    };
    for (const index of tilesCovering(level, view.start, view.end)) {
      const r = tileRange(level, index);
      const exact = this.lookup(signal, level, index);
      if (exact) {
        push(exact, r.start, r.end);
        continue;
      }
      const a = this.lookup(signal, level - 1, 2 * index);
      const b = this.lookup(signal, level - 1, 2 * index + 1);
      if (a && b) {
        push(a, r.start, (r.start + r.end) / 2);
        push(b, (r.start + r.end) / 2, r.end);
        continue;
      }
      let coarse: Entry | undefined;
      for (let k = 1; k <= 10 && !coarse; k++) {
        coarse = this.lookup(signal, level + k, Math.floor(index / Math.pow(2, k)));
      }
      if (coarse) {
        push(coarse, r.start, r.end);
        continue;
      }
      const mid = (r.start + r.end) / 2;
      if (a) push(a, r.start, mid);
      if (b) push(b, mid, r.end);
    }
    return out;
  }

  // True while any tile the view needs at its own level is missing.
  loading(): boolean {
    return this.inflight.size > 0;
  }
}
