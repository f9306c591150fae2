// Text of log table cells and the TSV copy format.

import type { Entry } from '../../api/types';
import { formatTimestamp } from '../../base/format';

export function formatValue(v: Entry['value']): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return '';
  return String(v);
}

export type ColumnId = 'time' | 'device' | 'signal' | 'category' | 'value' | 'type' | 'source';

export function cellText(e: Entry, col: ColumnId, sourceName?: (id: string) => string): string {
  switch (col) {
    case 'time':
      return formatTimestamp(e.timestamp);
    case 'device':
      return e.deviceId;
    case 'signal':
      return e.signalName;
    case 'category':
      return e.category ?? '';
    case 'value':
      return formatValue(e.value);
    case 'type':
      return e.signalType;
    case 'source':
      return e.sourceId ? (sourceName ? sourceName(e.sourceId) : e.sourceId) : '';
  }
}

export function toTsv(
  rows: readonly Entry[],
  cols: readonly ColumnId[],
  sourceName?: (id: string) => string,
  header = false,
): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const lines = rows.map((e) => cols.map((c) => clean(cellText(e, c, sourceName))).join('\t'));
  if (header) lines.unshift(cols.map((c) => kColumnTitles[c]).join('\t'));
  return lines.join('\n');
}

export const kColumnTitles: Record<ColumnId, string> = {
  time: 'Time',
  device: 'Device',
  signal: 'Signal',
  category: 'Category',
  value: 'Value',
  type: 'Type',
  source: 'Source',
};
