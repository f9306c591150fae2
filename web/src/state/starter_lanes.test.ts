import { describe, expect, it } from 'vitest';
import { pickStarterLanes, starterCandidates, valueChanges } from './starter_lanes';

const keys = [
  'B-101::I_ERROR',
  'B-101::STATE',
  'B-101::I_TRAY_EXIST',
  'B-104::I_ERROR',
  'B-104::STATE',
  'LC-01::ALARM_CODE',
  'LC-01::LINE_STATE',
  'P-301::PORT_MODE',
];

describe('starter lanes', () => {
  it('counts alarm and state names only', () => {
    expect(starterCandidates(keys)).toEqual([
      'B-101::I_ERROR',
      'B-104::I_ERROR',
      'LC-01::ALARM_CODE',
      'B-101::STATE',
      'B-104::STATE',
      'LC-01::LINE_STATE',
      'P-301::PORT_MODE',
    ]);
  });

  it('picks the errors that fire, their devices’ states, then changing modes', () => {
    const changes = new Map([
      ['B-101::I_ERROR', 0],
      ['B-104::I_ERROR', 2],
      ['LC-01::ALARM_CODE', 2],
      ['B-101::STATE', 70],
      ['B-104::STATE', 30],
      ['LC-01::LINE_STATE', 2],
      ['P-301::PORT_MODE', 2],
    ]);
    expect(pickStarterLanes(keys, changes)).toEqual([
      'B-101::STATE',
      'B-104::I_ERROR',
      'B-104::STATE',
      'LC-01::ALARM_CODE',
      'LC-01::LINE_STATE',
      'P-301::PORT_MODE',
    ]);
    expect(pickStarterLanes(keys, changes, 3)).toEqual(['B-104::I_ERROR', 'B-104::STATE', 'LC-01::ALARM_CODE']);
  });

  it('falls back to names without counts, and to nothing without candidates', () => {
    expect(pickStarterLanes(keys, null, 4)).toEqual(['B-101::I_ERROR', 'B-101::STATE', 'B-104::I_ERROR', 'LC-01::ALARM_CODE']);
    expect(pickStarterLanes(['A::X', 'A::Y'], new Map())).toEqual([]);
  });

  it('a first sample is not a change', () => {
    const lane = (initial: number | null, v: number[]) => ({
      key: 'k',
      type: 'integer' as const,
      initial,
      changes: { t: Float64Array.from(v.map((_, i) => i)), v },
      columns: null,
    });
    expect(valueChanges(lane(null, [0]))).toBe(0);
    expect(valueChanges(lane(null, [0, 1, 1, 0]))).toBe(2);
    expect(valueChanges(lane(1, [0]))).toBe(1);
  });
});
