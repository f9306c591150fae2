import { describe, expect, it } from 'vitest';
import { cleanDisplays, formatInt, laneColor, parseEnum, toInt64, typedValue, valueFormat, withDisplay } from './lane_display';
import { layoutFileText, layoutSettings, parseLayoutFile, setupOf } from './layout_file';
import { decodeWaveSignal } from '../../api/waveform';

const kMax = 9223372036854775807n;
const kMin = -9223372036854775808n;

describe('radix formatting', () => {
  it('writes non-negative values in every radix', () => {
    expect(formatInt(255n, 'dec')).toBe('255');
    expect(formatInt(255n, 'udec')).toBe('255');
    expect(formatInt(255n, 'hex')).toBe('0xFF');
    expect(formatInt(255n, 'shex')).toBe('0xFF');
    expect(formatInt(5n, 'bin')).toBe('0b101');
    expect(formatInt(0n, 'hex')).toBe('0x0');
  });
  it('shows negatives as 64-bit two’s complement in hex, binary and unsigned, with a sign in signed hex', () => {
    expect(formatInt(-1n, 'dec')).toBe('-1');
    expect(formatInt(-1n, 'hex')).toBe('0xFFFFFFFFFFFFFFFF');
    expect(formatInt(-1n, 'udec')).toBe('18446744073709551615');
    expect(formatInt(-1n, 'shex')).toBe('-0x1');
    expect(formatInt(-2n, 'bin')).toBe(`0b${'1'.repeat(63)}0`);
    expect(formatInt(-256n, 'hex')).toBe('0xFFFFFFFFFFFFFF00');
  });
  it('handles the int64 extremes', () => {
    expect(formatInt(kMax, 'hex')).toBe('0x7FFFFFFFFFFFFFFF');
    expect(formatInt(kMin, 'hex')).toBe('0x8000000000000000');
    expect(formatInt(kMin, 'shex')).toBe('-0x8000000000000000');
    expect(formatInt(kMin, 'udec')).toBe('9223372036854775808');
    expect(formatInt(kMin, 'bin')).toBe(`0b1${'0'.repeat(63)}`);
  });
  it('reads values as the API delivers them: numbers and decimal strings', () => {
    expect(toInt64(42)).toBe(42n);
    expect(toInt64(-7)).toBe(-7n);
    expect(toInt64('9223372036854775807')).toBe(kMax);
    expect(toInt64('-9223372036854775808')).toBe(kMin);
    // Outside int64 as text: not an integer of this lane, shown as it is.
    expect(toInt64('9223372036854775808')).toBeNull();
    // INT64_MAX as a JSON number arrives as the double 2^63: clamped.
    expect(toInt64(JSON.parse('9223372036854775807') as number)).toBe(kMax);
    expect(toInt64(JSON.parse('-9223372036854775808') as number)).toBe(kMin);
    expect(toInt64(1.5)).toBeNull();
    expect(toInt64(NaN)).toBeNull();
    expect(toInt64('RUN')).toBeNull();
    expect(toInt64(null)).toBeNull();
  });
  it('formats decoded waveform values of an integer lane', () => {
    const s = decodeWaveSignal(JSON.parse('{"key":"A::N","type":"integer","initial":{"t":0,"v":-1},"mode":"changes","t":[1,2,3],"v":[255,"-9223372036854775808",9223372036854775807]}'));
    const f = valueFormat('integer', { radix: 'hex' });
    expect([s.initial, ...s.changes!.v].map(f)).toEqual(['0xFFFFFFFFFFFFFFFF', '0xFF', '0x8000000000000000', '0x7FFFFFFFFFFFFFFF']);
  });
});

describe('value formats', () => {
  it('leave boolean, float and string lanes as they are', () => {
    expect(valueFormat('boolean', { radix: 'hex', enum: '1=ON' })(1)).toBe('true');
    expect(valueFormat('float', { radix: 'hex' })(2.5)).toBe('2.5');
    expect(valueFormat('string', { radix: 'hex', enum: '1=ON' })('1')).toBe('1');
  });
  it('name enum values and fall back to the radix for the others', () => {
    const f = valueFormat('integer', { radix: 'hex', enum: '0=IDLE, 1=RUN,2=ERR' });
    expect([0, 1, 2, 3, null].map(f)).toEqual(['IDLE', 'RUN', 'ERR', '0x3', '—']);
    expect(valueFormat('integer', undefined)(-5)).toBe('-5');
    expect(valueFormat('integer', { enum: '-1=NONE' })('-1')).toBe('NONE');
  });
});

describe('enum parsing', () => {
  it('reads decimal, hex and binary values separated by commas, semicolons or lines', () => {
    const e = parseEnum('0=IDLE;0x10=RUN\n0b11=ERR, -1 = NONE ,');
    expect([...e.names]).toEqual([
      ['0', 'IDLE'],
      ['16', 'RUN'],
      ['3', 'ERR'],
      ['-1', 'NONE'],
    ]);
    expect(e.errors).toEqual([]);
  });
  it('names every entry it cannot read and keeps the others', () => {
    const e = parseEnum('0=IDLE,RUN,x=ERR,2=,0=AGAIN,99999999999999999999=BIG,3=OK');
    expect([...e.names]).toEqual([
      ['0', 'IDLE'],
      ['3', 'OK'],
    ]);
    expect(e.errors).toEqual([
      '“RUN”: not value=NAME',
      '“x=ERR”: x is not an int64 integer',
      '“2=”: no name',
      '“0=AGAIN”: 0 is named twice',
      '“99999999999999999999=BIG”: 99999999999999999999 is not an int64 integer',
    ]);
    expect(parseEnum('').names.size).toBe(0);
  });
});

describe('typed search values', () => {
  it('turn an enum name or a hex/binary number into the value the signal has', () => {
    const d = { radix: 'hex' as const, enum: '0=IDLE,1=RUN' };
    expect(typedValue('run', 'integer', d)).toBe('1');
    expect(typedValue('0x384', 'integer', d)).toBe('900');
    expect(typedValue('0b101', 'integer', undefined)).toBe('5');
    expect(typedValue('-0x1', 'integer', undefined)).toBe('-1');
    expect(typedValue('STOP', 'integer', d)).toBe('STOP');
    expect(typedValue('RUN', 'string', d)).toBe('RUN');
  });
});

describe('display settings', () => {
  it('drop defaults, unknown fields and bad values', () => {
    expect(
      cleanDisplays({
        'A::N': { radix: 'hex', enum: ' 0=IDLE ', analog: true, color: 'red', alias: ' Count ', extra: 1 },
        'A::M': { radix: 'octal', analog: 'yes', color: '#fff', alias: 7 },
        'A::D': { radix: 'dec' },
        'A::X': 'hex',
        '': { radix: 'hex' },
      }),
    ).toEqual({ 'A::N': { radix: 'hex', enum: '0=IDLE', analog: true, color: 'red', alias: 'Count' } });
    expect(cleanDisplays([{ radix: 'hex' }])).toEqual({});
    expect(cleanDisplays('x')).toEqual({});
    expect(cleanDisplays(null)).toEqual({});
  });
  it('replace one lane’s display and go back to the defaults', () => {
    const d = withDisplay({}, 'A::N', { radix: 'bin' });
    expect(d).toEqual({ 'A::N': { radix: 'bin' } });
    expect(withDisplay(d, 'A::N', { radix: 'dec', alias: '' })).toEqual({});
  });
  it('resolve the palette colour', () => {
    expect(laneColor({ color: 'green' })).toBe('#15964f');
    expect(laneColor({ color: 'nope' })).toBeNull();
    expect(laneColor(undefined)).toBeNull();
  });
});

describe('lane displays in layouts', () => {
  const setup = {
    lanes: ['CNV-03::Counter', 'CNV-01::State'],
    collapsed: [],
    laneHeight: 60,
    displays: { 'CNV-03::Counter': { radix: 'hex' as const, analog: true, color: 'teal' }, 'CNV-01::State': { enum: '0=IDLE,1=RUN', alias: 'Belt state' } },
  };
  it('round-trip through the server settings and the layout file', () => {
    expect(layoutSettings(setup).lanes).toEqual(setup.displays);
    expect(setupOf(setup.lanes, layoutSettings(setup))).toEqual(setup);
    expect(parseLayoutFile(layoutFileText('Radix', setup))).toEqual({ name: 'Radix', setup });
  });
  it('save only the layout’s own lanes and leave out an empty display', () => {
    const s = layoutSettings({ ...setup, lanes: ['CNV-01::State'] });
    expect(s.lanes).toEqual({ 'CNV-01::State': setup.displays['CNV-01::State'] });
    expect('lanes' in layoutSettings({ lanes: ['A::X'], collapsed: [], displays: {} })).toBe(false);
  });
  it('tolerate malformed lane settings', () => {
    expect(setupOf(['A::X'], { lanes: 'hex' })).toEqual({ lanes: ['A::X'], collapsed: [] });
    expect(setupOf(['A::X'], { lanes: { 'A::X': { radix: 12, color: ['red'] }, 'A::Y': { radix: 'bin' } } })).toEqual({
      lanes: ['A::X'],
      collapsed: [],
      displays: { 'A::Y': { radix: 'bin' } },
    });
    const r = parseLayoutFile('{"kind":"plcscope-layout","version":1,"lanes":["A::X"],"settings":{"lanes":[1,2]}}');
    expect(r).toEqual({ name: '', setup: { lanes: ['A::X'], collapsed: [] } });
  });
});
