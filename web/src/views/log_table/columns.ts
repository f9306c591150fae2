// Column layout of the log table: order and widths, remembered in
// localStorage. Pure helpers plus load/save.

import type { SortKey } from '../../api/types';
import type { ColumnId } from './format';
import { loadJson, saveJson } from '../../base/storage';

export interface ColumnLayout {
  order: ColumnId[];
  widths: Record<ColumnId, number>;
}

export const kAllColumns: ColumnId[] = ['time', 'device', 'signal', 'category', 'value', 'type', 'source'];

export const kDefaultLayout: ColumnLayout = {
  order: [...kAllColumns],
  widths: { time: 196, device: 290, signal: 230, category: 110, value: 220, type: 76, source: 160 },
};

export const kMinColumnWidth = 40;

export const kSortKeyOf: Partial<Record<ColumnId, SortKey>> = {
  time: 'timestamp',
  device: 'deviceId',
  signal: 'signalName',
  category: 'category',
  value: 'value',
  type: 'type',
};

const kStorageKey = 'plcscope.logTable.columns';

/** A layout with every known column exactly once and sane widths. */
export function sanitizeLayout(l: Partial<ColumnLayout> | null | undefined): ColumnLayout {
  const seen = new Set<ColumnId>();
  const order: ColumnId[] = [];
  for (const c of l?.order ?? []) {
    if (kAllColumns.includes(c) && !seen.has(c)) {
      seen.add(c);
      order.push(c);
    }
  }
  for (const c of kAllColumns) if (!seen.has(c)) order.push(c);
  const widths = { ...kDefaultLayout.widths };
  for (const c of kAllColumns) {
    const w = l?.widths?.[c];
    if (typeof w === 'number' && Number.isFinite(w)) widths[c] = Math.max(kMinColumnWidth, Math.min(2000, w));
  }
  return { order, widths };
}

export function loadLayout(): ColumnLayout {
  return sanitizeLayout(loadJson<Partial<ColumnLayout> | null>(kStorageKey, null));
}

export function saveLayout(l: ColumnLayout): void {
  saveJson(kStorageKey, l);
}

/** Moves column `from` to the position of column `to`. */
export function moveColumn(l: ColumnLayout, from: ColumnId, to: ColumnId): ColumnLayout {
  if (from === to) return l;
  const order = l.order.filter((c) => c !== from);
  const at = order.indexOf(to);
  const fromIdx = l.order.indexOf(from);
  const toIdx = l.order.indexOf(to);
  order.splice(fromIdx < toIdx ? at + 1 : at, 0, from);
  return { ...l, order };
}

export function resizeColumn(l: ColumnLayout, c: ColumnId, width: number): ColumnLayout {
  return { ...l, widths: { ...l.widths, [c]: Math.max(kMinColumnWidth, Math.round(width)) } };
}

/** The visible columns: Source only in merged views. */
export function visibleColumns(l: ColumnLayout, merged: boolean): ColumnId[] {
  return l.order.filter((c) => c !== 'source' || merged);
}
