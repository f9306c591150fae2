import { describe, expect, it } from 'vitest';
import { kGroupHeaderPx, layoutLanes, moveKey, neighbourLane, rowAt, splitKey, visibleRows } from './lanes';

const types = { 'A/x::s1': 'boolean', 'B/y::s2': 'integer', 'A/x::s3': 'float' } as const;

describe('lane layout', () => {
  it('splits keys at the last ::', () => {
    expect(splitKey('a::b::c')).toEqual({ device: 'a::b', name: 'c' });
    expect(splitKey('plain')).toEqual({ device: '', name: 'plain' });
  });

  it('groups lanes by device in order of first selection, keeping selection order', () => {
    const l = layoutLanes(['A/x::s1', 'B/y::s2', 'A/x::s3'], types, new Set(), 60);
    expect(l.rows.map((r) => (r.kind === 'group' ? `[${r.device}]` : r.key))).toEqual(['[A/x]', 'A/x::s1', 'A/x::s3', '[B/y]', 'B/y::s2']);
    expect(l.order).toEqual(['A/x::s1', 'A/x::s3', 'B/y::s2']);
    expect(l.height).toBe(2 * kGroupHeaderPx + 3 * 60);
    const lane = l.rows[2]!;
    expect(lane.kind === 'lane' && lane.type).toBe('float');
    expect(lane.top).toBe(kGroupHeaderPx + 60);
  });

  it('collapses a device group to its header', () => {
    const l = layoutLanes(['A/x::s1', 'B/y::s2', 'A/x::s3'], types, new Set(['A/x']), 60);
    expect(l.rows.map((r) => r.kind)).toEqual(['group', 'group', 'lane']);
    expect(l.rows[0]!.kind === 'group' && l.rows[0]!.collapsed).toBe(true);
    expect(l.height).toBe(2 * kGroupHeaderPx + 60);
  });

  it('finds the rows a scroll position shows (virtualization)', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `D::s${i}`);
    const l = layoutLanes(keys, {}, new Set(), 24);
    const v = visibleRows(l, 24 * 500 + kGroupHeaderPx, 240);
    expect(v.last - v.first).toBe(10);
    const first = l.rows[v.first]!;
    expect(first.kind === 'lane' && first.key).toBe('D::s500');
    expect(rowAt(l, 5)?.kind).toBe('group');
    expect(rowAt(l, 1e9)).toBeNull();
  });

  it('reorders by drag and moves focus between lanes', () => {
    expect(moveKey(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveKey(['a', 'b', 'c'], 'a', null)).toEqual(['b', 'c', 'a']);
    const l = layoutLanes(['A/x::s1', 'B/y::s2', 'A/x::s3'], types, new Set(), 60);
    expect(neighbourLane(l, 'A/x::s3', 1)).toBe('B/y::s2');
    expect(neighbourLane(l, 'A/x::s1', -1)).toBe('A/x::s1');
    expect(neighbourLane(l, null, 1)).toBe('A/x::s1');
  });
});
