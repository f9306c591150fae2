import { describe, expect, it } from 'vitest';
import type { Entry } from '../../api/types';
import { compileColorRules, contrastText, hashedColor, kDefaultColorRules, type ColorRule } from './color_rules';

const e = (over: Partial<Entry>): Entry => ({
  deviceId: 'CNV1',
  signalName: 'Status',
  timestamp: '2025-09-22T13:00:00.199Z',
  value: 'OK',
  signalType: 'string',
  ...over,
});

const rule = (over: Partial<ColorRule>): ColorRule => ({ id: 'r', kind: 'signal', pattern: '', color: '#123456', target: 'row', enabled: true, ...over });

describe('color rules', () => {
  it('default severity rules tint error rows red-ish and leave ok rows', () => {
    const f = compileColorRules(kDefaultColorRules);
    expect(f(e({ value: 'ALARM 12 active' })).row).toBe('#fde2e1');
    expect(f(e({ value: 'Transfer failed' })).row).toBe('#fde2e1');
    expect(f(e({ value: 'warning: low' })).row).toBe('#fff1d6');
    expect(f(e({ value: 'running' }))).toEqual({});
    expect(f(e({ value: true, signalType: 'boolean' }))).toEqual({});
  });

  it('first match wins per target; row and value are independent', () => {
    const f = compileColorRules([
      rule({ id: '1', kind: 'category', pattern: 'io, Alarm', color: '#aa0000', target: 'value' }),
      rule({ id: '2', kind: 'signal', pattern: '^Stat', color: '#00aa00', target: 'both' }),
      rule({ id: '3', kind: 'type', pattern: 'string', color: '#0000aa', target: 'row' }),
    ]);
    expect(f(e({ category: 'alarm' }))).toEqual({ value: '#aa0000', row: '#00aa00' });
    expect(f(e({ signalName: 'Speed' }))).toEqual({ row: '#0000aa' });
  });

  it('disabled rules are skipped; bad regex falls back to substring', () => {
    const f = compileColorRules([rule({ enabled: false, pattern: 'Status' }), rule({ id: 'b', pattern: 'St(', color: '#111111' })]);
    expect(f(e({ signalName: 'XSt(1' })).row).toBe('#111111');
    expect(f(e({}))).toEqual({});
  });

  it('device kind with auto color uses a stable hashed hue', () => {
    const f = compileColorRules([rule({ kind: 'device', pattern: '', color: 'auto', target: 'value' })]);
    expect(f(e({ deviceId: 'A' })).value).toBe(hashedColor('A'));
    expect(hashedColor('A')).toBe(hashedColor('A'));
    expect(hashedColor('A')).not.toBe(hashedColor('B'));
    expect(hashedColor('A')).toMatch(/^hsl\(\d+ 70% 88%\)$/);
  });
});

describe('contrast text', () => {
  it('is dark over light colors and light over dark ones', () => {
    expect(contrastText('#fde2e1')).toBe('#1d2633');
    expect(contrastText('#fff')).toBe('#1d2633');
    expect(contrastText('#1b2a4a')).toBe('#f5f7fa');
    expect(contrastText('#c62828')).toBe('#f5f7fa');
    expect(contrastText(hashedColor('dev'))).toBe('#1d2633');
    expect(contrastText('hsl(10 50% 30%)')).toBe('#f5f7fa');
    expect(contrastText('red')).toBeNull();
  });
});
