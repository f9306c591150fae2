import { describe, expect, it } from 'vitest';
import { chooseStep, chooseTicks, kTickStepsMs } from './ticks';

const T = Date.UTC(2025, 8, 22, 13, 0, 0);

describe('ticks', () => {
  it('has ascending steps from nanoseconds to days', () => {
    for (let i = 1; i < kTickStepsMs.length; i++) expect(kTickStepsMs[i]!).toBeGreaterThan(kTickStepsMs[i - 1]!);
    expect(kTickStepsMs[0]!).toBe(1e-6);
    expect(kTickStepsMs).toContain(15_000);
    expect(kTickStepsMs).toContain(3_600_000);
  });

  it('chooses the smallest step that keeps labels apart', () => {
    expect(chooseStep(1000, 1000, 90)).toBe(100);
    expect(chooseStep(60_000, 1000, 90)).toBe(10_000);
    expect(chooseStep(6 * 3600_000, 1200, 90)).toBe(30 * 60_000);
    expect(chooseStep(0.01, 1000, 100)).toBe(0.001);
  });

  it('places ticks on round times with labels that differ', () => {
    const s = chooseTicks(T + 123, T + 1123, 1000, 90);
    expect(s.stepMs).toBe(100);
    expect(s.ticks[0]!.t).toBe(T + 200);
    expect(s.ticks[0]!.label).toBe('13:00:00.2');
    const labels = s.ticks.map((t) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const t of s.ticks) expect(t.t).toBeGreaterThanOrEqual(T + 123);
  });

  it('labels minutes and hours without seconds, and days with the date', () => {
    const h = chooseTicks(T, T + 6 * 3600_000, 1200, 90);
    expect(h.ticks[0]!.label).toBe('13:00');
    const d = chooseTicks(T, T + 24 * 3600_000, 1200, 90);
    const midnight = d.ticks.find((t) => t.major);
    expect(midnight?.label).toBe('2025-09-23');
  });

  it('keeps sub-millisecond ticks exact far from the epoch', () => {
    const s = chooseTicks(T + 0.0005, T + 0.0105, 1000, 90);
    expect(s.stepMs).toBe(0.001);
    expect(s.ticks.length).toBeGreaterThanOrEqual(9);
    expect(s.ticks[0]!.label).toBe('13:00:00.000001');
  });
});
