import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatTimestamp, parseTypedTime, relativeTime } from './format';

describe('format', () => {
  it('formats timestamps as written, in UTC with milliseconds', () => {
    expect(formatTimestamp('2025-09-22T13:00:00.199Z')).toBe('2025-09-22 13:00:00.199');
    expect(formatTimestamp('2025-09-22T13:00:00Z')).toBe('2025-09-22 13:00:00.000');
    expect(formatTimestamp('2025-09-22T13:00:00.1Z')).toBe('2025-09-22 13:00:00.100');
    expect(formatMs(Date.UTC(2025, 8, 22, 13, 0, 0, 199))).toBe('2025-09-22 13:00:00.199');
  });

  it('parses typed times', () => {
    expect(parseTypedTime('2025-09-22 13:00:00.199')).toBe(Date.UTC(2025, 8, 22, 13, 0, 0, 199));
    expect(parseTypedTime('2025-09-22T13:00')).toBe(Date.UTC(2025, 8, 22, 13, 0));
    expect(parseTypedTime('14:02:31.25', '2025-09-22')).toBe(Date.UTC(2025, 8, 22, 14, 2, 31, 250));
    expect(parseTypedTime('14:02:31')).toBeNull();
    expect(parseTypedTime('25:00', '2025-09-22')).toBeNull();
    expect(parseTypedTime('nonsense')).toBeNull();
    expect(parseTypedTime('2025-09-22')).toBe(Date.UTC(2025, 8, 22));
  });

  it('formats sizes and relative dates', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1.7 * 1024 ** 3)).toBe('1.7 GB');
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(relativeTime('2026-01-10T11:57:00Z', now)).toBe('3 minutes ago');
    expect(relativeTime('2026-01-09T10:00:00Z', now)).toBe('yesterday');
  });
});

describe('formatMs and float error', () => {
  it('shows the intended millisecond of a value just under it, and truncates real fractions', () => {
    expect(formatMs(1758546000001.9998)).toBe('2025-09-22 13:00:00.002');
    expect(formatMs(1758546000001.5)).toBe('2025-09-22 13:00:00.001');
  });
});
