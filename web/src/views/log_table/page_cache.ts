// Pages of /entries for one query (filter + sort): fetched on demand, cached
// (LRU), in-flight fetches of pages no longer wanted are aborted. One
// PageCache per query; a new query gets a new cache, so rows of an old
// query can never show under a new one.
//
// Not thread-related; owned by the log table view. `onChange` fires after a
// page arrives or the total becomes known.

import type { Entry, EntriesPage } from '../../api/types';
import { isAbortError } from '../../api/client';

export type FetchPage = (page1: number, pageSize: number, signal: AbortSignal) => Promise<EntriesPage>;

export class PageCache {
  private readonly pages = new Map<number, Entry[]>();
  private readonly inflight = new Map<number, AbortController>();
  private wanted = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  total: number | null = null;
  error: unknown = null;

  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize: number,
    private readonly onChange: () => void,
    private readonly capacity = 64,
    private readonly debounceMs = 25,
  ) {}

  /** Entry at row index i, or undefined when its page is not loaded. */
  row(i: number): Entry | undefined {
    const p = this.pages.get(Math.floor(i / this.pageSize));
    return p?.[i % this.pageSize];
  }

  hasPage(p: number): boolean {
    return this.pages.has(p);
  }

  /**
   * Declares the 0-based pages the view needs now. Missing ones are fetched
   * (after a short debounce while the set keeps changing); in-flight fetches
   * of pages not in the set are aborted.
   */
  want(pages: readonly number[]): void {
    if (this.disposed) return;
    this.wanted = new Set(pages);
    for (const [p, ctl] of this.inflight) {
      if (!this.wanted.has(p)) {
        ctl.abort();
        this.inflight.delete(p);
      }
    }
    for (const p of pages) this.touch(p);
    const missing = pages.some((p) => !this.pages.has(p) && !this.inflight.has(p));
    if (!missing) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.debounceMs <= 0 || this.inflight.size === 0) {
      this.timer = null;
      this.startMissing();
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startMissing();
      }, this.debounceMs);
    }
  }

  /** Fetches pages [0-based] regardless of the wanted set (for copy/jump). */
  async load(p: number, signal?: AbortSignal): Promise<Entry[]> {
    const have = this.pages.get(p);
    if (have) return have;
    const ctl = new AbortController();
    signal?.addEventListener('abort', () => ctl.abort(), { once: true });
    const r = await this.fetchPage(p + 1, this.pageSize, ctl.signal);
    this.store(p, r);
    return r.entries;
  }

  private startMissing(): void {
    for (const p of this.wanted) {
      if (this.pages.has(p) || this.inflight.has(p)) continue;
      const ctl = new AbortController();
      this.inflight.set(p, ctl);
      this.fetchPage(p + 1, this.pageSize, ctl.signal).then(
        (r) => {
          if (this.inflight.get(p) === ctl) this.inflight.delete(p);
          if (this.disposed) return;
          this.store(p, r);
          this.error = null;
          this.onChange();
        },
        (e: unknown) => {
          if (this.inflight.get(p) === ctl) this.inflight.delete(p);
          if (this.disposed || isAbortError(e)) return;
          this.error = e;
          this.onChange();
        },
      );
    }
  }

  private store(p: number, r: EntriesPage): void {
    this.pages.delete(p);
    this.pages.set(p, r.entries);
    this.total = r.total;
    while (this.pages.size > this.capacity) {
      const oldest = [...this.pages.keys()].find((k) => !this.wanted.has(k));
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  private touch(p: number): void {
    const v = this.pages.get(p);
    if (v) {
      this.pages.delete(p);
      this.pages.set(p, v);
    }
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const ctl of this.inflight.values()) ctl.abort();
    this.inflight.clear();
  }
}
