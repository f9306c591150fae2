// Waveform data for the timing diagram: the typed result of
// POST /api/parse/:id/waveform and the decoder from its columnar JSON.
// Decoded values are plain arrays; booleans become 1/0 so every lane draws
// from numbers or strings. Immutable after decoding.

import type { Api } from './client';
import type { SignalType } from './types';

export type { SignalType };

// A value as drawn: a number (booleans as 1/0), a string, or null when the
// signal has no sample yet.
export type WaveValue = number | string | null;

// Every change in the range, in time order: at t[i] the value becomes v[i].
export interface WaveChanges {
  readonly t: Float64Array;
  readonly v: WaveValue[];
}

// Per pixel column i, covering [start + i*colMs, start + (i+1)*colMs):
// count[i] value changes, the value after the last of them (last[i]), the
// first value the column sees (first[i]) and, for numbers, the smallest and
// largest value it holds (NaN when it holds none).
export interface WaveColumns {
  readonly first: WaveValue[];
  readonly last: WaveValue[];
  readonly count: Uint32Array;
  readonly min: Float64Array | null;
  readonly max: Float64Array | null;
}

export interface WaveSignal {
  readonly key: string;
  readonly type: SignalType;
  // The value in force at the range's start (null: no sample before it).
  readonly initial: WaveValue;
  // Exactly one of changes / columns is set.
  readonly changes: WaveChanges | null;
  readonly columns: WaveColumns | null;
}

export interface WaveRequest {
  readonly signals: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly width: number;
}

export interface WaveResponse {
  readonly start: number;
  readonly end: number;
  readonly width: number;
  readonly signals: WaveSignal[];
}

export class WaveDecodeError extends Error {}

function fail(what: string): never {
  throw new WaveDecodeError(`waveform response: ${what}`);
}

export function toWaveValue(raw: unknown): WaveValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number' || typeof raw === 'string') return raw;
  return String(raw);
}

function valueArray(raw: unknown, what: string): WaveValue[] {
  if (!Array.isArray(raw)) fail(`${what} is not an array`);
  const out = new Array<WaveValue>(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = toWaveValue(raw[i]);
  return out;
}

function numberArray(raw: unknown, what: string): Float64Array {
  if (!Array.isArray(raw)) fail(`${what} is not an array`);
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    out[i] = typeof x === 'number' ? x : x === null ? NaN : Number(x);
  }
  return out;
}

function isType(x: unknown): x is SignalType {
  return x === 'boolean' || x === 'integer' || x === 'float' || x === 'string';
}

// Decodes one signal object of the response (docs/openapi.json, Waveform):
//   {key, type, initial: null | {t, v}, changesInRange,
//    mode: "changes", t: [ms], v: [value]}
//   {key, type, initial, changesInRange,
//    mode: "columns", first: [value|null], last: [value|null],
//    changes: [n], samples: [n], min?: [number|null], max?: [number|null]}
export function decodeWaveSignal(raw: unknown): WaveSignal {
  if (typeof raw !== 'object' || raw === null) fail('signal is not an object');
  const o = raw as Record<string, unknown>;
  const key = o.key;
  if (typeof key !== 'string') fail('signal without key');
  const type: SignalType = isType(o.type) ? o.type : 'string';
  const init = o.initial;
  const initial =
    typeof init === 'object' && init !== null && 'v' in init ? toWaveValue((init as { v: unknown }).v) : toWaveValue(init);
  const mode = o.mode ?? (Array.isArray(o.t) ? 'changes' : 'columns');
  if (mode === 'changes') {
    const t = numberArray(o.t, `${key}.t`);
    const v = valueArray(o.v, `${key}.v`);
    if (v.length !== t.length) fail(`${key}: t and v differ in length`);
    return { key, type, initial, changes: { t, v }, columns: null };
  }
  if (mode !== 'columns') fail(`${key}: unknown mode ${String(mode)}`);
  const count = o.changes;
  if (!Array.isArray(count)) fail(`${key}: columns without changes`);
  const n = count.length;
  const first = valueArray(o.first, `${key}.first`);
  const last = valueArray(o.last, `${key}.last`);
  if (first.length !== n || last.length !== n) fail(`${key}: column arrays differ in length`);
  const min = Array.isArray(o.min) ? numberArray(o.min, `${key}.min`) : null;
  const max = Array.isArray(o.max) ? numberArray(o.max, `${key}.max`) : null;
  return {
    key,
    type,
    initial,
    changes: null,
    columns: { first, last, count: Uint32Array.from(count as number[]), min, max },
  };
}

// Decodes the whole response body (already parsed JSON).
export function decodeWaveform(raw: unknown, req: WaveRequest): WaveResponse {
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const o = raw as Record<string, unknown>;
  const list = o.signals;
  if (!Array.isArray(list)) fail('no signals array');
  const start = typeof o.start === 'number' ? o.start : req.start;
  const end = typeof o.end === 'number' ? o.end : req.end;
  const width = typeof o.width === 'number' ? o.width : req.width;
  return { start, end, width, signals: list.map(decodeWaveSignal) };
}

// POST /api/parse/:id/waveform, decoded.
export async function fetchWaveform(api: Api, sessionId: string, req: WaveRequest, signal?: AbortSignal): Promise<WaveResponse> {
  const body = { signals: req.signals, start: req.start, end: req.end, width: req.width };
  const raw = await api.call<unknown>('POST', `/parse/${encodeURIComponent(sessionId)}/waveform`, body, signal);
  return decodeWaveform(raw, req);
}
