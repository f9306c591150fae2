import { describe, expect, it } from 'vitest';
import {
  extendTo,
  isSelected,
  kEmptySelection,
  moveFocus,
  normalize,
  selectAll,
  selectOnly,
  selectedCount,
  selectedIndices,
  toggle,
} from './selection';

describe('selection', () => {
  it('click selects one row', () => {
    const s = selectOnly(5);
    expect(isSelected(s, 5)).toBe(true);
    expect(isSelected(s, 4)).toBe(false);
    expect(selectedCount(s)).toBe(1);
  });

  it('ctrl+click toggles rows and splits ranges', () => {
    let s = extendTo(selectOnly(2), 8);
    expect(selectedCount(s)).toBe(7);
    s = toggle(s, 5);
    expect(s.ranges).toEqual([
      [2, 4],
      [6, 8],
    ]);
    s = toggle(s, 5);
    expect(s.ranges).toEqual([[2, 8]]);
    s = toggle(s, 20);
    expect(selectedIndices(s)).toEqual([2, 3, 4, 5, 6, 7, 8, 20]);
  });

  it('shift+click selects from the anchor, either direction', () => {
    const s = extendTo(selectOnly(10), 4);
    expect(s.ranges).toEqual([[4, 10]]);
    expect(s.anchor).toBe(10);
    expect(s.focus).toBe(4);
    expect(extendTo(s, 12).ranges).toEqual([[10, 12]]);
  });

  it('ctrl+shift+click adds a range', () => {
    const s = extendTo(toggle(selectOnly(0), 10), 12, true);
    expect(s.ranges).toEqual([
      [0, 0],
      [10, 12],
    ]);
  });

  it('keys move and extend, clamped to the table', () => {
    let s = moveFocus(kEmptySelection, 100, { delta: 1, extend: false });
    expect(s.focus).toBe(0);
    s = moveFocus(s, 100, { delta: 30, extend: true });
    expect(s.ranges).toEqual([[0, 30]]);
    s = moveFocus(s, 100, { to: 99, extend: false });
    expect(s.ranges).toEqual([[99, 99]]);
    s = moveFocus(s, 100, { delta: 5, extend: false });
    expect(s.focus).toBe(99);
    s = moveFocus(s, 100, { to: 0, extend: true });
    expect(s.ranges).toEqual([[0, 99]]);
    expect(moveFocus(kEmptySelection, 100, { delta: -1, extend: false }).focus).toBe(99);
  });

  it('select all of 12 M rows is one range', () => {
    const s = selectAll(12_000_000);
    expect(s.ranges).toEqual([[0, 11_999_999]]);
    expect(selectedCount(s)).toBe(12_000_000);
    expect(isSelected(s, 6_543_210)).toBe(true);
    expect(selectedIndices(s, 3)).toEqual([0, 1, 2]);
  });

  it('normalizes overlapping and adjacent ranges', () => {
    expect(
      normalize([
        [5, 7],
        [1, 2],
        [3, 4],
        [10, 8],
      ]),
    ).toEqual([
      [1, 10],
    ]);
  });
});
