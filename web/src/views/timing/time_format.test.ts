import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime, formatDuration, parseTypedTime } from './time_format';

const t0 = Date.UTC(2025, 8, 22, 13, 0, 0, 199); // 2025-09-22 13:00:00.199

describe('formatting', () => {
  it('formats UTC wall-clock time with milliseconds', () => {
    expect(formatDateTime(t0)).toBe('2025-09-22 13:00:00.199');
    expect(formatClock(t0, 0)).toBe('13:00:00');
    expect(formatClock(t0 + 0.25, 6)).toBe('13:00:00.199250');
  });
  it('truncates fractions, never rounding into the next second', () => {
    expect(formatClock(Date.UTC(2025, 0, 1, 23, 59, 59, 999) + 0.9, 3)).toBe('23:59:59.999');
  });
  it('formats durations at every scale', () => {
    expect(formatDuration(0.25)).toBe('250 µs');
    expect(formatDuration(12.5)).toBe('12.5 ms');
    expect(formatDuration(3250)).toBe('3.250 s');
    expect(formatDuration(125_000)).toBe('2 min 05.000 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min 05 s');
  });
});

describe('parseTypedTime', () => {
  it('takes a bare clock time on the reference day', () => {
    expect(parseTypedTime('14:02:31.250', t0)).toBe(Date.UTC(2025, 8, 22, 14, 2, 31, 250));
    expect(parseTypedTime('14:02', t0)).toBe(Date.UTC(2025, 8, 22, 14, 2));
    expect(parseTypedTime(' 7:05:00 ', t0)).toBe(Date.UTC(2025, 8, 22, 7, 5));
  });
  it('takes full date-times with space, T and Z', () => {
    expect(parseTypedTime('2025-09-23 01:02:03.5', t0)).toBe(Date.UTC(2025, 8, 23, 1, 2, 3, 500));
    expect(parseTypedTime('2025-09-23T01:02:03.000001Z', t0)).toBeCloseTo(Date.UTC(2025, 8, 23, 1, 2, 3) + 0.001, 6);
  });
  it('rejects out-of-range fields and junk', () => {
    expect(parseTypedTime('24:00:00', t0)).toBeNull();
    expect(parseTypedTime('12:60', t0)).toBeNull();
    expect(parseTypedTime('2025-02-30 10:00', t0)).toBeNull();
    expect(parseTypedTime('2025-13-01 10:00', t0)).toBeNull();
    expect(parseTypedTime('noon', t0)).toBeNull();
    expect(parseTypedTime('', t0)).toBeNull();
  });
});
