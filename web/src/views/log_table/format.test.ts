import { describe, expect, it } from 'vitest';
import { toTsv } from './format';

describe('format', () => {
  it('writes TSV in column order, cleaning tabs and newlines', () => {
    const rows = [{ deviceId: 'D', signalName: 'S', timestamp: '2025-09-22T13:00:00.199Z', value: 'a\tb\nc', signalType: 'string' as const }];
    expect(toTsv(rows, ['time', 'value', 'device', 'category'])).toBe('2025-09-22 13:00:00.199\ta b c\tD\t');
    expect(toTsv(rows, ['signal'], undefined, true)).toBe('Signal\nS');
  });
});
