// Transition rules as the user edits them, their persistence (localStorage)
// and their translation into the server's request. Pure functions plus two
// small storage helpers; no network.

import type { ConditionOp, TransitionRuleRequest, TransitionType } from '../../api/map_api';

export interface ConditionDraft {
  signal: string;
  op: ConditionOp;
  value: string;
}

export interface RuleDraft {
  id: string;
  name: string;
  type: TransitionType;
  start: ConditionDraft;
  end: ConditionDraft;
  /** Target duration in ms; empty string when none. */
  target: string;
  tolerance: string;
  enabled: boolean;
}

export const kTypeLabels: Record<TransitionType, string> = {
  cycle: 'Cycle (A → A)',
  a_to_b: 'A → B',
  value_populated: 'Value populated',
};

export const kOpLabels: Record<ConditionOp, string> = {
  equals: 'equals',
  notEquals: 'not equals',
  greater: 'greater than',
  less: 'less than',
  notEmpty: 'not empty',
};

export function newRule(n: number): RuleDraft {
  return {
    id: `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    name: `Rule ${n}`,
    type: 'a_to_b',
    start: { signal: '', op: 'equals', value: 'true' },
    end: { signal: '', op: 'equals', value: 'false' },
    target: '',
    tolerance: '',
    enabled: true,
  };
}

/** Problems that stop a rule from running, as sentences; [] when it is runnable. */
export function validateRule(r: RuleDraft): string[] {
  const out: string[] = [];
  if (!r.name.trim()) out.push('The rule needs a name.');
  if (!r.start.signal.trim()) out.push(r.type === 'a_to_b' ? 'Set the start signal.' : 'Set the signal.');
  if (r.type === 'a_to_b' && !r.end.signal.trim()) out.push('Set the end signal.');
  const needsValue = (c: ConditionDraft) => c.op !== 'notEmpty' && c.value.trim() === '';
  if (r.type !== 'value_populated' && needsValue(r.start)) out.push('Set the start value.');
  if (r.type === 'a_to_b' && needsValue(r.end)) out.push('Set the end value.');
  for (const [label, v] of [
    ['Target', r.target],
    ['Tolerance', r.tolerance],
  ] as const) {
    if (v.trim() !== '' && !(Number(v) >= 0)) out.push(`${label} must be a number of ms ≥ 0.`);
  }
  return out;
}

/** The server's rule (POST /transitions body item). */
export function toRequest(r: RuleDraft): TransitionRuleRequest {
  const cond = (c: ConditionDraft) =>
    c.op === 'notEmpty'
      ? { signal: c.signal.trim(), op: c.op }
      : { signal: c.signal.trim(), op: c.op, value: c.value.trim() };
  const req: TransitionRuleRequest = { name: r.name.trim(), type: r.type, start: cond(r.start) };
  if (r.type === 'value_populated') req.start = { signal: r.start.signal.trim(), op: 'notEmpty' };
  if (r.type === 'a_to_b') req.end = cond(r.end);
  if (r.target.trim() !== '') req.targetMs = Number(r.target);
  if (r.tolerance.trim() !== '') req.toleranceMs = Number(r.tolerance);
  return req;
}

const kStorageKey = 'plcscope.transitionRules';

export function loadRules(): RuleDraft[] {
  try {
    const s = globalThis.localStorage?.getItem(kStorageKey);
    const v = s ? (JSON.parse(s) as unknown) : [];
    return Array.isArray(v) ? (v as RuleDraft[]).filter((r) => r && typeof r.id === 'string') : [];
  } catch {
    return [];
  }
}

export function saveRules(rules: RuleDraft[]): void {
  try {
    globalThis.localStorage?.setItem(kStorageKey, JSON.stringify(rules));
  } catch {
    // Storage disabled: the rules live for this page only.
  }
}

/**
 * The lanes that show an interval of `rule` on `device`: its conditions'
 * signals as "device::signal" keys (a bare name on the interval's device, a
 * key as written), those the session has, without repeats.
 */
export function laneKeysFor(rule: RuleDraft, device: string, sessionKeys: ReadonlySet<string>): string[] {
  const names = [rule.start.signal, ...(rule.type === 'a_to_b' ? [rule.end.signal] : [])];
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const key = name.includes('::') ? name : `${device}::${name}`;
    if (sessionKeys.has(key) && !out.includes(key)) out.push(key);
  }
  return out;
}
