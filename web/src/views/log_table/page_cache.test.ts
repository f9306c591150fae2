import { describe, expect, it } from 'vitest';
import type { EntriesPage } from '../../api/types';
import { PageCache } from './page_cache';

// A fetchPage that answers when told, and records aborts.
function harness() {
  const calls: { page: number; signal: AbortSignal; resolve: (r: EntriesPage) => void }[] = [];
  const fetchPage = (page: number, pageSize: number, signal: AbortSignal) =>
    new Promise<EntriesPage>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({ page, signal, resolve });
    });
  const answer = (page: number, total = 1000) => {
    const c = calls.find((x) => x.page === page && !x.signal.aborted)!;
    c.resolve({
      entries: Array.from({ length: 10 }, (_, i) => ({ deviceId: 'd', signalName: `row${(page - 1) * 10 + i}`, timestamp: '', value: 0, signalType: 'integer' as const })),
      page,
      pageSize: 10,
      total,
    });
  };
  return { calls, fetchPage, answer };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PageCache', () => {
  it('fetches wanted pages (1-based on the wire) and serves rows by index', async () => {
    const h = harness();
    let changes = 0;
    const c = new PageCache(h.fetchPage, 10, () => changes++, 8, 0);
    c.want([0, 1]);
    expect(h.calls.map((x) => x.page)).toEqual([1, 2]);
    expect(c.row(15)).toBeUndefined();
    h.answer(2);
    await tick();
    expect(c.row(15)?.signalName).toBe('row15');
    expect(c.total).toBe(1000);
    expect(changes).toBe(1);
  });

  it('aborts fetches of pages no longer wanted and never serves them', async () => {
    const h = harness();
    const c = new PageCache(h.fetchPage, 10, () => undefined, 8, 0);
    c.want([5]);
    const first = h.calls[0]!;
    c.want([99]);
    expect(first.signal.aborted).toBe(true);
    expect(h.calls.map((x) => x.page)).toEqual([6, 100]);
    h.answer(100);
    await tick();
    expect(c.row(990)?.signalName).toBe('row990');
    expect(c.row(50)).toBeUndefined();
  });

  it('evicts least recently used pages beyond capacity, keeping wanted ones', async () => {
    const h = harness();
    const c = new PageCache(h.fetchPage, 10, () => undefined, 2, 0);
    for (const p of [0, 1, 2]) {
      c.want([p]);
      h.answer(p + 1);
      await tick();
    }
    expect(c.hasPage(0)).toBe(false);
    expect(c.hasPage(1)).toBe(true);
    expect(c.hasPage(2)).toBe(true);
  });

  it('dispose aborts everything and ignores late answers', async () => {
    const h = harness();
    let changes = 0;
    const c = new PageCache(h.fetchPage, 10, () => changes++, 8, 0);
    c.want([0]);
    c.dispose();
    expect(h.calls[0]!.signal.aborted).toBe(true);
    await tick();
    expect(changes).toBe(0);
  });

  it('debounces while a fetch is in flight', async () => {
    const h = harness();
    const c = new PageCache(h.fetchPage, 10, () => undefined, 8, 20);
    c.want([0]);
    c.want([0, 1]);
    c.want([0, 2]);
    expect(h.calls.map((x) => x.page)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 40));
    expect(h.calls.filter((x) => !x.signal.aborted).map((x) => x.page)).toEqual([1, 3]);
  });
});
