// Typed calls for the Transitions and Map views (docs/openapi.json, tag map;
// docs/map.md), made through the shared Api client so that api/ stays the
// only module that talks to the network. Stateless functions; every call
// accepts an AbortSignal.

import { api, toBase64, type Api } from './client';
import type { FileInfo } from './types';

// ---- transitions (POST /api/parse/:id/transitions) ----

export type TransitionType = 'cycle' | 'a_to_b' | 'value_populated';
export type ConditionOp = 'equals' | 'notEquals' | 'greater' | 'less' | 'notEmpty';

export interface TransitionCondition {
  signal: string;
  op: ConditionOp;
  value?: string;
}

export interface TransitionRuleRequest {
  name: string;
  type: TransitionType;
  start: TransitionCondition;
  end?: TransitionCondition;
  targetMs?: number;
  toleranceMs?: number;
}

export type IntervalStatus = 'ok' | 'above' | 'below' | 'no-target';

export interface TransitionStats {
  count: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  stddevMs: number;
  within: number;
  above: number;
  below: number;
}

/**
 * One rule's result; intervals are columns of equal length, in time order.
 * `device` is the device of each interval's start: a bare signal name is one
 * series per device, so a cycle never spans two devices.
 */
export interface TransitionResult {
  name: string;
  intervals: { start: number[]; end: number[]; durationMs: number[]; status: IntervalStatus[]; device: string[] };
  stats: TransitionStats;
}

export function transitions(
  sessionId: string,
  rules: TransitionRuleRequest[],
  signal?: AbortSignal,
  client: Api = api,
): Promise<TransitionResult[]> {
  return client.call('POST', `/parse/${encodeURIComponent(sessionId)}/transitions`, { rules }, signal);
}

// ---- map (compat shapes) ----

export interface MapObject {
  name: string;
  type: string;
  text: string;
  size: string;
  location: string;
  unitId: string;
  lineThick: string;
  flowDirection: string;
  foreColor: string;
  endCap: string;
  startCap: string;
  dashStyle: string;
}

export interface MapLayout {
  version?: string;
  objects: Record<string, MapObject>;
  id?: string;
  name?: string;
}

export interface MapRule {
  signal: string;
  op: string;
  value: boolean | number | string;
  color: string;
  bgColor: string;
  text: string;
  textColor: string;
  priority: number;
}

export interface MapRules {
  id?: string;
  name?: string;
  defaultColor: string;
  deviceToUnit: { pattern: string; unitId: string }[];
  rules: MapRule[];
}

export interface RulesUploaded {
  id: string;
  name: string;
  uploadedAt: string;
  rulesCount: number;
  deviceCount: number;
}

export interface CarrierLogStatus {
  loaded: boolean;
  sessionId?: string;
  status?: string;
  entryCount?: number;
  fileName?: string;
  startTime?: number;
  endTime?: number;
}

export interface CarrierPosition {
  carrierId: string;
  location: string;
  unitId: string;
  since: number;
}

export interface UnitColorState {
  unitId: string;
  color: string;
  bgColor: string;
  text: string;
  textColor: string;
  rule: number;
  signal: string;
}

/** GET /api/map/state: everything one playback frame needs. */
export interface MapState {
  t: number;
  defaultColor: string;
  units: UnitColorState[];
  carrierSource: string;
  carrierStatus?: string;
  carriers: CarrierPosition[];
}

/** GET /api/map/carriers/changes: the state at start, then the moves in (start, end]. */
export interface CarrierChanges {
  start: number;
  end: number;
  carriers: CarrierPosition[];
  changes: { t: number[]; carrierId: string[]; location: (string | null)[]; unitId: (string | null)[] };
  truncated: boolean;
}

export interface UnitDetails {
  unitId: string;
  t: number;
  devices: {
    id: string;
    path: string;
    signals: { name: string; type: string; value: boolean | number | string | null; since?: number }[];
  }[];
  carriers: { carrierId: string; location: string; since: number }[];
}

/** The id the server keys this browser's map state by (docs/api.md: per user view). */
export function viewId(): string {
  const key = 'plcscope.mapViewId';
  try {
    let v = globalThis.localStorage?.getItem(key);
    if (!v) {
      v = `v${Math.random().toString(36).slice(2, 12)}`;
      globalThis.localStorage?.setItem(key, v);
    }
    return v;
  } catch {
    return 'default';
  }
}

function q(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams({ view: viewId() });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, String(v));
  return `?${p.toString()}`;
}

/** GET /api/map/defaults: the default maps; `demo` when the server opened the demo (its carrier log's session). */
export interface MapDefaults {
  maps: { id: string; name: string }[];
  demo?: { sessionId: string; carrierSessionId: string };
}

export const mapApi = {
  layout: (signal?: AbortSignal, c: Api = api) => c.call<MapLayout>('GET', `/map/layout${q({})}`, undefined, signal),
  uploadLayout: (name: string, xml: string, signal?: AbortSignal, c: Api = api) =>
    c.call<FileInfo>('POST', `/map/upload${q({})}`, { name, data: toBase64(xml) }, signal),
  setActive: (id: string, signal?: AbortSignal, c: Api = api) =>
    c.call<{ status: string }>('POST', `/map/active${q({})}`, { id }, signal),
  rules: (signal?: AbortSignal, c: Api = api) => c.call<MapRules>('GET', `/map/rules${q({})}`, undefined, signal),
  uploadRules: (name: string, yaml: string, signal?: AbortSignal, c: Api = api) =>
    c.call<RulesUploaded>('POST', `/map/rules${q({})}`, { name, data: toBase64(yaml) }, signal),
  recent: (signal?: AbortSignal, c: Api = api) =>
    c.call<{ xmlFiles: FileInfo[]; yamlFiles: FileInfo[] }>('GET', `/map/files/recent${q({})}`, undefined, signal),
  defaults: (signal?: AbortSignal, c: Api = api) =>
    c.call<MapDefaults>('GET', `/map/defaults${q({})}`, undefined, signal),
  loadDefault: (name: string, signal?: AbortSignal, c: Api = api) =>
    c.call<MapLayout>('POST', `/map/defaults/load${q({})}`, { name }, signal),
  uploadCarrierLog: (name: string, text: string, signal?: AbortSignal, c: Api = api) =>
    c.call<{ sessionId: string; fileId: string; fileName: string }>(
      'POST',
      `/map/carrier-log${q({})}`,
      { name, data: toBase64(text) },
      signal,
    ),
  useSessionAsCarrierLog: (sessionId: string, signal?: AbortSignal, c: Api = api) =>
    c.call<{ sessionId: string }>('POST', `/map/carrier-log${q({})}`, { sessionId }, signal),
  carrierLog: (signal?: AbortSignal, c: Api = api) =>
    c.call<CarrierLogStatus>('GET', `/map/carrier-log${q({})}`, undefined, signal),
  state: (session: string | null, t: number, signal?: AbortSignal, c: Api = api) =>
    c.call<MapState>('GET', `/map/state${q({ session: session ?? undefined, t })}`, undefined, signal),
  changes: (session: string | null, start: number, end: number, signal?: AbortSignal, c: Api = api) =>
    c.call<CarrierChanges>(
      'GET',
      `/map/carriers/changes${q({ session: session ?? undefined, start, end })}`,
      undefined,
      signal,
    ),
  unit: (session: string | null, t: number, unitId: string, signal?: AbortSignal, c: Api = api) =>
    c.call<UnitDetails>('GET', `/map/unit${q({ session: session ?? undefined, t, unitId })}`, undefined, signal),
};
