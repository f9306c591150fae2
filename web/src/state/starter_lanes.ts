// Starter lanes: the few signals the timing diagram opens with when a session
// has no saved lane selection, so that a first look shows something telling
// (alarms and errors that fire, the states of their devices, modes that
// change) instead of an empty plot. Pure choice (pickStarterLanes) plus the
// fetch of the candidates' change counts over the whole session. Stateless.

import type { Api } from '../api/client';
import { fetchWaveform, type WaveSignal } from '../api/waveform';
import type { SignalType } from '../api/types';

export const kMaxStarterLanes = 7;
/** Most candidates whose changes are counted (one waveform request). */
export const kMaxCandidates = 64;

const kAlarm = /ALARM|ERROR|FAULT|EMERGENCY|E_?STOP/i;
const kState = /STATE|MODE|STATUS/i;

function deviceOf(key: string): string {
  const i = key.indexOf('::');
  return i < 0 ? '' : key.slice(0, i);
}

/** The keys worth counting: alarm/error, state/mode names (at most kMaxCandidates, alarms first). */
export function starterCandidates(keys: readonly string[]): string[] {
  const alarms = keys.filter((k) => kAlarm.test(k.slice(k.indexOf('::') + 2)));
  const states = keys.filter((k) => !alarms.includes(k) && kState.test(k.slice(k.indexOf('::') + 2)));
  return [...alarms, ...states].slice(0, kMaxCandidates);
}

/**
 * Chooses the starter lanes from the session's keys and, where known, each
 * candidate's number of value changes over the session: alarms and errors
 * that change (fewest changes first: a rare fault tells more than a chatty
 * one), then the state signals of those devices, then other states and modes
 * that change. Without counts, the first alarm and state names. Never more
 * than kMaxStarterLanes; keys in the order of `keys`.
 */
export function pickStarterLanes(
  keys: readonly string[],
  changes: ReadonlyMap<string, number> | null,
  max = kMaxStarterLanes,
): string[] {
  const cands = starterCandidates(keys);
  const pick = new Set<string>();
  const add = (k: string) => pick.size < max && pick.add(k);
  const name = (k: string) => k.slice(k.indexOf('::') + 2);
  const byRarity = (list: string[]) =>
    [...list].sort((a, b) => (changes!.get(a) ?? 0) - (changes!.get(b) ?? 0) || keys.indexOf(a) - keys.indexOf(b));
  if (!changes) {
    for (const k of cands.filter((k) => kAlarm.test(name(k))).slice(0, 3)) add(k);
    for (const k of cands.filter((k) => !kAlarm.test(name(k)))) add(k);
  } else {
    const changing = cands.filter((k) => (changes.get(k) ?? 0) > 0);
    const alarms = byRarity(changing.filter((k) => kAlarm.test(name(k)))).slice(0, 4);
    for (const k of alarms) add(k);
    const devices = new Set(alarms.map(deviceOf));
    for (const k of cands.filter((k) => !kAlarm.test(name(k)) && devices.has(deviceOf(k)))) add(k);
    for (const k of byRarity(changing.filter((k) => !kAlarm.test(name(k))))) add(k);
  }
  return keys.filter((k) => pick.has(k));
}

/** Value changes of a decoded lane: a first sample is not a change. */
export function valueChanges(s: WaveSignal): number {
  if (s.changes) {
    let n = 0;
    let prev = s.initial;
    for (const v of s.changes.v) {
      if (prev !== null && v !== prev) n++;
      prev = v;
    }
    return n;
  }
  if (s.columns) return Math.max(0, s.columns.count.reduce((a, b) => a + b, 0) - (s.initial === null ? 1 : 0));
  return 0;
}

/** Counts each candidate's changes over [start, end] and picks the starter lanes. */
export async function loadStarterLanes(
  api: Api,
  sessionId: string,
  keys: readonly string[],
  types: Readonly<Record<string, SignalType>>,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const cands = starterCandidates(keys).filter((k) => types[k] !== 'float');
  if (cands.length === 0) return [];
  const w = await fetchWaveform(api, sessionId, { signals: cands, start, end: Math.max(end, start + 1), width: 64 }, signal);
  const changes = new Map<string, number>();
  for (const s of w.signals) {
    changes.set(s.key, valueChanges(s));
  }
  return pickStarterLanes(keys, changes);
}
