import { describe, expect, it } from 'vitest';
import { laneKeysFor, newRule, toRequest, validateRule } from './rules';

describe('transition rules', () => {
  it('a new rule needs signals before it runs', () => {
    const r = newRule(1);
    expect(validateRule(r)).toContain('Set the start signal.');
    expect(validateRule(r)).toContain('Set the end signal.');
  });
  it('builds an A→B request with target and tolerance', () => {
    const r = {
      ...newRule(1),
      name: ' Move ',
      start: { signal: 'DEV-1::I_MOVE_IN', op: 'equals' as const, value: 'true' },
      end: { signal: 'I_MOVE_OUT', op: 'equals' as const, value: 'ON' },
      target: '1500',
      tolerance: '100',
    };
    expect(validateRule(r)).toEqual([]);
    expect(toRequest(r)).toEqual({
      name: 'Move',
      type: 'a_to_b',
      start: { signal: 'DEV-1::I_MOVE_IN', op: 'equals', value: 'true' },
      end: { signal: 'I_MOVE_OUT', op: 'equals', value: 'ON' },
      targetMs: 1500,
      toleranceMs: 100,
    });
  });
  it('cycle has no end; value populated is notEmpty on one signal; notEmpty drops the value', () => {
    const base = { ...newRule(2), start: { signal: 'S', op: 'notEmpty' as const, value: 'x' } };
    expect(toRequest({ ...base, type: 'cycle' })).toEqual({
      name: 'Rule 2',
      type: 'cycle',
      start: { signal: 'S', op: 'notEmpty' },
    });
    const vp = toRequest({ ...base, type: 'value_populated', start: { signal: 'ID', op: 'equals', value: '' } });
    expect(vp.start).toEqual({ signal: 'ID', op: 'notEmpty' });
    expect(vp.end).toBeUndefined();
    expect(validateRule({ ...base, type: 'value_populated', start: { signal: 'ID', op: 'equals', value: '' } })).toEqual([]);
  });
  it('rejects a bad target', () => {
    const r = { ...newRule(1), start: { signal: 'A', op: 'equals' as const, value: '1' }, type: 'cycle' as const, target: 'soon' };
    expect(validateRule(r)).toEqual(['Target must be a number of ms ≥ 0.']);
  });
});

describe('laneKeysFor', () => {
  it('puts bare names on the interval\'s device and keeps keys, only those the session has', () => {
    const r = newRule(1);
    r.type = 'a_to_b';
    r.start = { signal: 'I_MOVE_IN', op: 'equals', value: 'ON' };
    r.end = { signal: 'C9::DONE', op: 'equals', value: 'ON' };
    const keys = new Set(['C1::I_MOVE_IN', 'C2::I_MOVE_IN', 'C9::DONE']);
    expect(laneKeysFor(r, 'C2', keys)).toEqual(['C2::I_MOVE_IN', 'C9::DONE']);
    r.end = { signal: 'NOPE', op: 'equals', value: 'ON' };
    expect(laneKeysFor(r, 'C1', keys)).toEqual(['C1::I_MOVE_IN']);
    r.type = 'cycle';
    r.end = { signal: 'C9::DONE', op: 'equals', value: 'ON' };
    expect(laneKeysFor(r, 'C1', keys)).toEqual(['C1::I_MOVE_IN']);
  });
});
