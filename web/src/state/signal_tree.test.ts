import { describe, expect, it } from 'vitest';
import { filterGroups, groupByDevice, groupState, setKeys, splitKey } from './signal_tree';

const keys = ['B1CNV::Run', 'B1CNV::Speed', 'A0STK::Run', 'A0STK::Alarm', 'dev::a::b'];
const types = { 'B1CNV::Run': 'boolean', 'B1CNV::Speed': 'integer', 'A0STK::Run': 'boolean', 'A0STK::Alarm': 'string' } as const;

describe('signal tree', () => {
  it('splits keys at the last ::', () => {
    expect(splitKey('dev::a::b')).toEqual({ device: 'dev::a', name: 'b' });
    expect(splitKey('bare')).toEqual({ device: '', name: 'bare' });
  });

  it('groups by device, sorted', () => {
    const g = groupByDevice(keys, types);
    expect(g.map((x) => x.device)).toEqual(['A0STK', 'B1CNV', 'dev::a']);
    expect(g[0]!.signals.map((s) => s.name)).toEqual(['Alarm', 'Run']);
    expect(g[1]!.signals[1]!.type).toBe('integer');
  });

  it('filters by substring over device or signal, regex and type', () => {
    const g = groupByDevice(keys, types);
    expect(filterGroups(g, { query: 'stk', regex: false, type: '' }).flatMap((x) => x.signals.map((s) => s.key))).toEqual(['A0STK::Alarm', 'A0STK::Run']);
    expect(filterGroups(g, { query: 'run', regex: false, type: '' }).flatMap((x) => x.signals.map((s) => s.key))).toEqual(['A0STK::Run', 'B1CNV::Run']);
    expect(filterGroups(g, { query: '^(Speed|Alarm)$', regex: true, type: '' }).flatMap((x) => x.signals.map((s) => s.key))).toEqual(['A0STK::Alarm', 'B1CNV::Speed']);
    expect(filterGroups(g, { query: '', regex: false, type: 'boolean' }).flatMap((x) => x.signals.map((s) => s.key))).toEqual(['A0STK::Run', 'B1CNV::Run']);
    expect(() => filterGroups(g, { query: '(', regex: true, type: '' })).toThrow();
  });

  it('reports tri-state and counts', () => {
    const g = groupByDevice(keys, types)[0]!;
    expect(groupState(g, new Set())).toEqual({ state: 'none', count: 0 });
    expect(groupState(g, new Set(['A0STK::Run']))).toEqual({ state: 'some', count: 1 });
    expect(groupState(g, new Set(['A0STK::Run', 'A0STK::Alarm']))).toEqual({ state: 'all', count: 2 });
  });

  it('keeps selection order when adding and removing', () => {
    expect(setKeys(['b', 'a'], ['c', 'a', 'd'], true)).toEqual(['b', 'a', 'c', 'd']);
    expect(setKeys(['b', 'a', 'c'], ['a'], false)).toEqual(['b', 'c']);
  });
});
