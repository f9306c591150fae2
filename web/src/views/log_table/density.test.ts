import { describe, expect, test } from 'vitest';
import { clickTime, tickRows } from './density';

const item = (ts: number) => ({ date: '2025-09-22', hour: 0, minute: 0, ts });

describe('match-density strip', () => {
  test('ticks at their share of the span, one per pixel row, clamped', () => {
    expect(tickRows([item(0), item(500), item(501), item(1000)], 0, 1000, 100)).toEqual([0, 50, 99]);
    expect(tickRows([item(-5), item(2000)], 0, 1000, 10)).toEqual([0, 9]);
    expect(tickRows([], 0, 1000, 10)).toEqual([]);
    expect(tickRows([item(7)], 7, 7, 10)).toEqual([0]);
  });
  test('a click near a tick jumps to its minute, elsewhere to the time there', () => {
    const items = [item(100), item(700)];
    expect(clickTime(items, 0, 1000, 101, 12)).toBe(100);
    expect(clickTime(items, 0, 1000, 101, 73)).toBe(700);
    expect(clickTime(items, 0, 1000, 101, 40)).toBe(400);
    expect(clickTime([], 0, 1000, 101, 100)).toBe(1000);
  });
});
