import { describe, expect, it } from 'vitest';
import { kDefaultLayout, kMinColumnWidth, moveColumn, resizeColumn, sanitizeLayout, visibleColumns } from './columns';

describe('column layout', () => {
  it('moves a column before or after its drop target', () => {
    const l = kDefaultLayout;
    expect(moveColumn(l, 'value', 'time').order.slice(0, 3)).toEqual(['value', 'time', 'device']);
    expect(moveColumn(l, 'time', 'signal').order.slice(0, 4)).toEqual(['device', 'signal', 'time', 'category']);
    expect(moveColumn(l, 'time', 'time')).toBe(l);
  });

  it('resizes with a minimum width', () => {
    expect(resizeColumn(kDefaultLayout, 'device', 10).widths.device).toBe(kMinColumnWidth);
    expect(resizeColumn(kDefaultLayout, 'device', 333.4).widths.device).toBe(333);
  });

  it('repairs stored layouts: unknown, duplicate and missing columns, bad widths', () => {
    const l = sanitizeLayout({ order: ['value', 'bogus' as never, 'value', 'time'], widths: { time: Number.NaN, value: 5 } as never });
    expect(l.order).toEqual(['value', 'time', 'device', 'signal', 'category', 'type', 'source']);
    expect(l.widths.time).toBe(kDefaultLayout.widths.time);
    expect(l.widths.value).toBe(kMinColumnWidth);
    expect(sanitizeLayout(null)).toEqual(kDefaultLayout);
  });

  it('shows Source only in merged views', () => {
    expect(visibleColumns(kDefaultLayout, false)).not.toContain('source');
    expect(visibleColumns(kDefaultLayout, true)).toContain('source');
  });
});
