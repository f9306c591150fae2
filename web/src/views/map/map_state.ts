// The Map view's state, shared by its parts (toolbar, playback bar, details
// panel, controller): the loaded layout, rules and carrier log, the playback
// clock and time, the colour mode, the followed carrier, the selected unit and
// its details, and the carrier badges the controller last drew. Module
// singletons in Preact signals (one Map view); browser main thread only.

import { computed, signal } from '@preact/signals';
import { isAbortError } from '../../api/client';
import { mapApi, type CarrierLogStatus, type MapLayout, type MapRules, type UnitDetails } from '../../api/map_api';
import { session, sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import type { ColorMode } from './colors';
import { buildModel } from './layout_model';
import { PlaybackClock } from './playback';

/** One carrier badge: the carriers on a unit, drawn at (x, y) in world units. */
export interface Badge {
  unitId: string;
  x: number;
  y: number;
  ids: string[];
  followed: boolean;
}

export const layout = signal<MapLayout | null>(null);
export const model = computed(() => (layout.value ? buildModel(layout.value) : null));
export const rules = signal<MapRules | null>(null);
export const carrierLog = signal<CarrierLogStatus | null>(null);
export const defaults = signal<{ id: string; name: string }[]>([]);
export const chosenDefault = signal('');
export const colorMode = signal<ColorMode>('rules');
export const playTime = signal(0);
export const playing = signal(false);
export const speed = signal(1);
export const follow = signal<string | null>(null);
export const search = signal('');
export const selectedUnit = signal<string | null>(null);
export const details = signal<UnitDetails | null>(null);
export const badges = signal<Badge[]>([]);
export const carrierIds = signal<string[]>([]);
export const frameInfo = signal('');
/** The playback range: the complete session's, else the carrier log's. */
export const range = computed<[number, number] | null>(() => {
  const s = session.value;
  if (s && s.status === 'complete' && s.endTime >= s.startTime && s.startTime > 0) return [s.startTime, s.endTime];
  const c = carrierLog.value;
  if (c?.startTime !== undefined && c.endTime !== undefined) return [c.startTime, c.endTime];
  return null;
});

export const clock = new PlaybackClock(0, 0);

/** True when a layout has objects to draw. */
export function hasObjects(l: MapLayout | null): boolean {
  return !!l && Object.keys(l.objects ?? {}).length > 0;
}

/**
 * Loads the layout, rules, carrier log status and the default maps. A view
 * with no layout yet gets the server's first default map (the demo's, when
 * the server seeded them from demo/), so the Map tab never opens blank; on
 * the demo, a view with no carrier log gets the demo's carrier log.
 */
export async function refreshMeta(signal?: AbortSignal): Promise<void> {
  const [l, r, c, d] = await Promise.all([
    mapApi.layout(signal),
    mapApi.rules(signal),
    mapApi.carrierLog(signal),
    mapApi.defaults(signal),
  ]);
  layout.value = l;
  rules.value = r;
  carrierLog.value = c;
  defaults.value = d.maps;
  if (!chosenDefault.peek() && d.maps[0]) chosenDefault.value = d.maps[0].name;
  if (!hasObjects(l) && chosenDefault.peek()) {
    layout.value = await mapApi.loadDefault(chosenDefault.peek(), signal);
    rules.value = await mapApi.rules(signal);
  }
  demo = d.demo ?? null;
  await applyDemoCarriers(signal);
}

let demo: { sessionId: string; carrierSessionId: string } | null = null;

/** The demo open and no carrier log chosen: uses the demo's own, which the server opened with it. */
export async function applyDemoCarriers(signal?: AbortSignal): Promise<void> {
  const c = carrierLog.peek();
  if (!demo || !c || c.loaded || sessionId.peek() !== demo.sessionId) return;
  await mapApi.useSessionAsCarrierLog(demo.carrierSessionId, signal);
  await followCarrierLog();
}

/** Polls the carrier log's status until it is parsed (at most 600 × 300 ms). */
export async function followCarrierLog(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const c = await mapApi.carrierLog();
    carrierLog.value = c;
    if (!c.loaded || c.status === 'complete' || c.status === 'error') return;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Fetches the details of unit `id` at the playback time into `details`: at
 * once for a newly selected unit, after 500 ms when only the time moved.
 * Returns the cancel function.
 */
export function loadUnitDetails(id: string): () => void {
  const ctl = new AbortController();
  const timer = setTimeout(
    () => {
      mapApi
        .unit(sessionId.peek(), clock.t, id, ctl.signal)
        .then((d) => (details.value = d))
        .catch((e) => !isAbortError(e) && showError(e));
    },
    details.peek()?.unitId === id ? 500 : 0,
  );
  return () => {
    clearTimeout(timer);
    ctl.abort();
  };
}
