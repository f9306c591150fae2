// What the user has picked, shared by every view (Preact signals, module
// singletons; not persisted except syncEnabled):
//   selectedSignals  the timing diagram's lanes: ordered list of signal keys
//                    "device::signal" (the order is the lane order); the
//                    sidebar of the timing diagram and the log table's "Add
//                    signals … to the Timing Diagram" edit it (saved per
//                    session by lifecycle.ts)
//   tableSignals     the log table's signal filter, a separate state: the
//                    sidebar of the log table edits it (saved per session)
//   cursorTime       the shared time cursor (ms since epoch) that views
//                    follow when syncEnabled is on
//   hoverTime        time of the row/point under the mouse (a transient mark)
//   windowRequest    a time window another view asks the timing diagram to
//                    show (e.g. a transitions interval); the diagram takes it
//                    and clears it
//   laneFocusRequest a lane the timing diagram should focus and scroll to
//                    (the command palette); the diagram takes it and clears it

import { effect, signal } from '@preact/signals';
import { loadJson, saveJson } from '../base/storage';

export const selectedSignals = signal<string[]>([]);
export const tableSignals = signal<string[]>([]);
export const syncEnabled = signal<boolean>(loadJson<boolean>('plcscope.sync', true));
effect(() => saveJson('plcscope.sync', syncEnabled.value));
export const cursorTime = signal<number | null>(null);
export const hoverTime = signal<number | null>(null);
export const windowRequest = signal<{ start: number; end: number } | null>(null);
export const laneFocusRequest = signal<string | null>(null);

/** Adds signal keys to the selection (keeps order, no duplicates). */
export function addSelectedSignals(keys: Iterable<string>): void {
  const cur = selectedSignals.value;
  const have = new Set(cur);
  const add: string[] = [];
  for (const k of keys) {
    if (!have.has(k)) {
      have.add(k);
      add.push(k);
    }
  }
  if (add.length > 0) selectedSignals.value = [...cur, ...add];
}

export function removeSelectedSignals(keys: Iterable<string>): void {
  const drop = new Set(keys);
  selectedSignals.value = selectedSignals.value.filter((k) => !drop.has(k));
}
