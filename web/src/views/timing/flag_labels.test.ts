import { describe, expect, it } from 'vitest';
import { fitText, flagsAt, kFlagGap, kFlagTextOffset, kMinLabelPx, layoutFlagLabels } from './flag_labels';

// 6 px per character: a monospace measure.
const measure = (s: string): number => s.length * 6;
const flag = (x: number, name: string) => ({ x, name, time: x * 1000 });

function overlaps(labels: ReturnType<typeof layoutFlagLabels>): boolean {
  const shown = labels.filter((l) => l.width > 0);
  for (let i = 0; i + 1 < shown.length; i++) if (shown[i]!.left + shown[i]!.width > shown[i + 1]!.left) return true;
  return false;
}

describe('bookmark flag labels', () => {
  it('draws names whole where there is room', () => {
    const l = layoutFlagLabels([flag(10, 'Start'), flag(300, 'Jam')], 800, measure);
    expect(l.map((x) => x.text)).toEqual(['Start', 'Jam']);
    expect(l[0]!.left).toBe(10 + kFlagTextOffset);
    expect(l[0]!.width).toBe(30);
  });

  it('cuts a name that runs into the next flag, hides one with no readable room', () => {
    const l = layoutFlagLabels([flag(100, 'Conveyor 104 jammed'), flag(160, 'Operator reset'), flag(170, 'E-stop'), flag(600, 'End of shift')], 800, measure);
    const [a, b, c, d] = l;
    expect(a!.text.endsWith('…')).toBe(true);
    expect(a!.left + a!.width).toBeLessThanOrEqual(160 - kFlagGap);
    expect(b!.text).toBe(''); // 170 - 5 - 171 < 0
    expect(b!.width).toBe(0);
    expect(c!.text).toBe('E-stop');
    expect(d!.text).toBe('End of shift');
    expect(overlaps(l)).toBe(false);
  });

  it('never overlaps, whatever the flags (fit-all of a long session)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      let s = seed;
      const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
      const flags = Array.from({ length: 12 }, (_, i) => flag(Math.floor(rnd() * 900), `Bookmark ${i + 1} ${'x'.repeat(Math.floor(rnd() * 20))}`));
      const l = layoutFlagLabels(flags, 900, measure);
      expect(l).toHaveLength(12);
      expect(overlaps(l)).toBe(false);
      for (const x of l) {
        if (x.width > 0) expect(x.left + x.width).toBeLessThanOrEqual(900);
        if (x.text) expect(x.name.startsWith(x.text.replace(/…$/, ''))).toBe(true);
      }
    }
  });

  it('sorts by position; flags at one x keep only the last name', () => {
    const l = layoutFlagLabels([flag(50, 'B'), flag(50, 'A'), flag(20, 'First')], 400, measure);
    expect(l.map((x) => x.name)).toEqual(['First', 'B', 'A']);
    expect(l.map((x) => x.text)).toEqual(['', '', 'A']);
  });

  it('fits text: whole, cut with an ellipsis, or nothing under the minimum', () => {
    expect(fitText('Jam', 100, measure)).toBe('Jam');
    expect(fitText('Conveyor jammed', 60, measure)).toBe('Conveyor…');
    expect(fitText('Conveyor jammed', kMinLabelPx - 1, measure)).toBe('');
    expect(fitText('Conveyor jammed', 0, measure)).toBe('');
  });

  it('finds the flags under the mouse: near a pole or on a drawn name, nearest first', () => {
    const l = layoutFlagLabels([flag(100, 'Start'), flag(103, 'Jam'), flag(400, 'End')], 800, measure);
    expect(flagsAt(l, 101).map((x) => x.name)).toEqual(['Start', 'Jam']);
    expect(flagsAt(l, 400 + kFlagTextOffset + 10).map((x) => x.name)).toEqual(['End']);
    expect(flagsAt(l, 250)).toEqual([]);
  });
});
