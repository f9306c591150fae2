import { describe, expect, it } from 'vitest';
import { decodeWaveform, WaveDecodeError } from './waveform';

const req = { signals: ['a::b', 'c::d'], start: 1000, end: 2000, width: 4 };

describe('decodeWaveform', () => {
  it('decodes change lists and summary columns', () => {
    const r = decodeWaveform(
      {
        start: 1000,
        end: 2000,
        width: 4,
        signals: [
          { key: 'a::b', type: 'boolean', initial: { t: 990, v: true }, changesInRange: 2, mode: 'changes', t: [1100, 1500.5], v: [false, true] },
          {
            key: 'c::d',
            type: 'integer',
            initial: null,
            changesInRange: 9,
            mode: 'columns',
            first: [null, 3, 4, 4],
            last: [null, 5, 4, 7],
            changes: [0, 4, 0, 5],
            samples: [0, 6, 1, 5],
            min: [null, 1, 4, 2],
            max: [null, 9, 4, 7],
          },
        ],
      },
      req,
    );
    expect(r.signals).toHaveLength(2);
    const a = r.signals[0]!;
    expect(a.initial).toBe(1);
    expect(Array.from(a.changes!.t)).toEqual([1100, 1500.5]);
    expect(a.changes!.v).toEqual([0, 1]);
    const c = r.signals[1]!;
    expect(c.initial).toBeNull();
    expect(c.changes).toBeNull();
    expect(Array.from(c.columns!.count)).toEqual([0, 4, 0, 5]);
    expect(c.columns!.last).toEqual([null, 5, 4, 7]);
    expect(Number.isNaN(c.columns!.min![0]!)).toBe(true);
    expect(c.columns!.max![1]).toBe(9);
  });

  it('rejects malformed answers with a sentence', () => {
    expect(() => decodeWaveform({}, req)).toThrow(WaveDecodeError);
    expect(() => decodeWaveform({ signals: [{ key: 'a::b', mode: 'changes', t: [1], v: [] }] }, req)).toThrow(/differ in length/);
    expect(() => decodeWaveform({ signals: [{ key: 'a::b', mode: 'columns', first: [], last: [] }] }, req)).toThrow(/without changes/);
  });
});
