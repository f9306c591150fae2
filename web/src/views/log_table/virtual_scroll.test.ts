import { describe, expect, it } from 'vitest';
import {
  ensureRowVisible,
  isScaled,
  kMaxScrollHeight,
  pagesForRows,
  scrollFromVirtual,
  scrollRange,
  spacerHeight,
  virtualForRowCentered,
  virtualFromScroll,
  virtualRange,
  visibleRows,
  type ScrollModel,
} from './virtual_scroll';

const big: ScrollModel = { rowCount: 12_000_000, rowHeight: 22, viewportHeight: 660 };
const small: ScrollModel = { rowCount: 1000, rowHeight: 22, viewportHeight: 660 };

describe('12 M-row mapping', () => {
  it('caps the spacer and is scaled', () => {
    expect(spacerHeight(big)).toBe(kMaxScrollHeight);
    expect(isScaled(big)).toBe(true);
  });

  it('top shows row 0', () => {
    const v = virtualFromScroll(big, 0);
    expect(v).toBe(0);
    expect(visibleRows(big, v)).toEqual({ first: 0, count: 30, offset: 0 });
  });

  it('the end of the scrollbar shows the last row at the bottom', () => {
    const v = virtualFromScroll(big, scrollRange(big));
    expect(v).toBe(virtualRange(big));
    const vis = visibleRows(big, v);
    expect(vis.first + vis.count).toBe(12_000_000);
    expect(vis.first).toBe(12_000_000 - 30);
    // Past the end (browsers may overshoot by a fraction) still clamps.
    expect(virtualFromScroll(big, scrollRange(big) + 5)).toBe(virtualRange(big));
  });

  it('the middle of the scrollbar shows the middle rows', () => {
    const v = virtualFromScroll(big, scrollRange(big) / 2);
    const vis = visibleRows(big, v);
    const mid = (12_000_000 * 22 - 660) / 2 / 22;
    expect(Math.abs(vis.first - mid)).toBeLessThan(1);
  });

  it('round trips virtual → scroll → virtual within one scroll pixel', () => {
    const perPx = virtualRange(big) / scrollRange(big);
    for (const row of [0, 1, 5_000_000, 6_000_000, 11_999_970]) {
      const v = row * 22;
      const back = virtualFromScroll(big, scrollFromVirtual(big, v));
      expect(Math.abs(back - Math.min(v, virtualRange(big)))).toBeLessThanOrEqual(perPx);
    }
  });

  it('round trips whole-pixel scrollTops exactly', () => {
    for (const st of [0, 1, 123_456, 3_999_670, scrollRange(big)]) {
      expect(scrollFromVirtual(big, virtualFromScroll(big, st))).toBeCloseTo(st, 6);
    }
  });

  it('is monotonic', () => {
    let prev = -1;
    for (let st = 0; st <= scrollRange(big); st += 99_991) {
      const v = virtualFromScroll(big, st);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
  });
});

describe('small tables', () => {
  it('maps 1:1', () => {
    expect(isScaled(small)).toBe(false);
    expect(spacerHeight(small)).toBe(22_000);
    expect(virtualFromScroll(small, 1234)).toBe(1234);
    expect(scrollFromVirtual(small, 1234)).toBe(1234);
  });

  it('reports partial rows', () => {
    expect(visibleRows(small, 33)).toEqual({ first: 1, count: 31, offset: 11 });
  });

  it('handles empty and fitting tables', () => {
    expect(visibleRows({ ...small, rowCount: 0 }, 0)).toEqual({ first: 0, count: 0, offset: 0 });
    const fit = { ...small, rowCount: 5 };
    expect(virtualRange(fit)).toBe(0);
    expect(visibleRows(fit, 100)).toEqual({ first: 0, count: 5, offset: 0 });
  });
});

describe('navigation helpers', () => {
  it('ensureRowVisible scrolls minimally', () => {
    expect(ensureRowVisible(small, 0, 10)).toBe(0);
    expect(ensureRowVisible(small, 0, 30)).toBe(31 * 22 - 660);
    expect(ensureRowVisible(small, 500, 3)).toBe(66);
  });

  it('centers a row for jumps and clamps at the end', () => {
    expect(virtualForRowCentered(big, 6_000_000)).toBe(6_000_000 * 22 - (660 - 22) / 2);
    expect(virtualForRowCentered(big, 11_999_999)).toBe(virtualRange(big));
  });

  it('lists the pages of a row range', () => {
    expect(pagesForRows(0, 0, 200)).toEqual([0]);
    expect(pagesForRows(150, 450, 200)).toEqual([0, 1, 2]);
    expect(pagesForRows(5, 4, 200)).toEqual([]);
  });
});
