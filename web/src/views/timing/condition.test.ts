import { describe, expect, it } from 'vitest';
import type { ConditionSearchResult } from '../../api/types';
import { appendTerm, conditionLiteral, conditionName, conditionStatus, conditionStep, markerRange, markersFromSearch, markersIntoHref, totalEdges, vcdWindow } from './condition';

function result(over: Partial<ConditionSearchResult>): ConditionSearchResult {
  return { condition: 'A = 1', signals: ['D::A'], at: 0, count: 0, before: 0, next: null, prev: null, current: null, samplesRead: 0, elapsedMs: 0, ...over };
}

describe('condition search steps', () => {
  it('numbers the next interval after the ones before the cursor, and the previous one as the last of them', () => {
    const r = result({ count: 120, before: 2, next: { start: 30, end: 40, open: false }, prev: { start: 10, end: 20, open: false } });
    expect(conditionStep(r, 1)).toEqual({ target: { start: 30, end: 40, open: false }, index: 3, count: 120 });
    expect(conditionStep(r, -1)).toEqual({ target: { start: 10, end: 20, open: false }, index: 2, count: 120 });
    expect(conditionStatus(conditionStep(r, 1), 1)).toBe('3 / 120');
    expect(conditionStatus(conditionStep(r, -1), -1)).toBe('2 / 120');
  });
  it('counts an interval starting exactly at the cursor (the one found last time) before the next one', () => {
    const r = result({ at: 30, count: 5, before: 2, current: { start: 30, end: 40, open: false }, next: { start: 50, end: 60, open: false }, prev: { start: 10, end: 20, open: false } });
    expect(conditionStep(r, 1).index).toBe(4);
    expect(conditionStep(r, -1).index).toBe(2);
    const inside = result({ at: 35, count: 5, before: 3, current: { start: 30, end: 40, open: false }, next: { start: 50, end: 60, open: false }, prev: { start: 30, end: 40, open: false } });
    expect(conditionStep(inside, 1).index).toBe(4);
    expect(conditionStep(inside, -1).index).toBe(3);
  });
  it('says why nothing was found', () => {
    expect(conditionStatus(conditionStep(result({ count: 0 }), 1), 1)).toBe('never holds');
    const r = result({ count: 1500, before: 1500, prev: { start: 1, end: 2, open: true } });
    expect(conditionStatus(conditionStep(r, 1), 1)).toBe('none after the cursor (1,500 in all)');
    expect(conditionStatus(conditionStep(result({ count: 4, before: 0, next: { start: 1, end: 2, open: false } }), -1), -1)).toBe('none before the cursor (4 in all)');
  });
});

describe('condition terms from a lane', () => {
  it('writes booleans as ON/OFF, numbers bare and text quoted when it must be', () => {
    expect(conditionLiteral(1, 'boolean')).toBe('ON');
    expect(conditionLiteral('false', 'boolean')).toBe('OFF');
    expect(conditionLiteral('ON', 'boolean')).toBe('ON');
    expect(conditionLiteral(-2.5, 'float')).toBe('-2.5');
    expect(conditionLiteral('IDLE', 'string')).toBe('IDLE');
    expect(conditionLiteral('ERR: jam "x"', 'string')).toBe('"ERR: jam \\"x\\""');
    expect(conditionLiteral('', 'string')).toBe('""');
    expect(conditionLiteral(null, 'string')).toBe('""');
    expect(conditionName('DEV-1::RUN')).toBe('DEV-1::RUN');
    expect(conditionName('DEV 1::A(0)')).toBe('"DEV 1::A(0)"');
  });
  it('appends with && or starts the condition', () => {
    expect(appendTerm('', 'D::RUN', 1, 'boolean')).toBe('D::RUN = ON');
    expect(appendTerm('D::RUN = ON ', 'D::N', 3, 'integer')).toBe('D::RUN = ON && D::N = 3');
  });
});

describe('VCD window and markers', () => {
  it('clamps the view to the session', () => {
    expect(vcdWindow({ start: -5, end: 50 }, { min: 0, max: 40 })).toEqual({ start: 0, end: 40 });
    expect(vcdWindow({ start: 10, end: 20 }, { min: 0, max: 40 })).toEqual({ start: 10, end: 20 });
  });
  it('orders the markers and needs both', () => {
    expect(markerRange(5, null)).toBeNull();
    expect(markerRange(9, 3)).toEqual({ a: 3, b: 9 });
    expect(totalEdges(new Map([['a', 2], ['b', 5]]))).toBe(7);
    expect(totalEdges(null)).toBe(0);
  });
});

describe('markers in the address', () => {
  it('reads markA / markB, ignoring what is not a number', () => {
    expect(markersFromSearch('?session=1&view=timing')).toBeNull();
    expect(markersFromSearch('?markA=1758546000000.5&markB=x')).toEqual({ a: 1758546000000.5, b: null });
    expect(markersFromSearch('?markB=20')).toEqual({ a: null, b: 20 });
  });
  it('writes them beside the other parameters and removes unset ones', () => {
    const h = markersIntoHref('http://h/?session=s&view=timing', { a: 10, b: 20.5 });
    expect(h).toBe('http://h/?session=s&view=timing&markA=10&markB=20.5');
    expect(markersIntoHref(h, { a: null, b: 20.5 })).toBe('http://h/?session=s&view=timing&markB=20.5');
    expect(markersIntoHref(h, { a: null, b: null })).toBe('http://h/?session=s&view=timing');
  });
});
