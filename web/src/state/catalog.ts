// The open session's signal catalog: every signal key with its type, grouped
// by device, plus the categories. Loaded once per completed session and
// shared by the signal sidebar, the log table and the timing diagram.

import { effect, signal } from '@preact/signals';
import { api, isAbortError } from '../api/client';
import type { SignalType } from '../api/types';
import { session, sessionId } from './session';
import { showError } from './ui';
import { groupByDevice, type DeviceGroup } from './signal_tree';

export interface Catalog {
  sessionId: string;
  keys: string[];
  types: Record<string, SignalType>;
  groups: DeviceGroup[];
  categories: string[];
}

/** The catalog of the open session, or null while not loaded. */
export const catalog = signal<Catalog | null>(null);

let loading: { id: string; ctl: AbortController } | null = null;

async function load(id: string): Promise<void> {
  loading?.ctl.abort();
  const ctl = new AbortController();
  loading = { id, ctl };
  try {
    const [keys, types, categories] = await Promise.all([
      api.signals(id, ctl.signal),
      api.signalTypes(id, ctl.signal),
      api.categories(id, ctl.signal),
    ]);
    if (sessionId.peek() !== id) return;
    catalog.value = { sessionId: id, keys, types, groups: groupByDevice(keys, types), categories };
  } catch (e) {
    if (!isAbortError(e)) showError(e);
    if (loading?.id === id) loading = null;
  }
}

effect(() => {
  const id = sessionId.value;
  const complete = session.value?.status === 'complete' && session.value.id === id;
  if (!id) {
    loading?.ctl.abort();
    loading = null;
    catalog.value = null;
    return;
  }
  if (catalog.peek()?.sessionId !== id) {
    if (catalog.peek()) catalog.value = null;
    if (complete && loading?.id !== id) void load(id);
  }
});
