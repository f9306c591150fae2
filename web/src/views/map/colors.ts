// Unit fill colors: from the rules (the server's first matching rule at the
// playback time, else the default color) or from the number of carriers on
// the unit. Pure functions.

import type { UnitColorState } from '../../api/map_api';

export type ColorMode = 'rules' | 'carriers';

/** Fill for a carrier count: none → neutral, then light to strong. */
export function countColor(n: number): string {
  if (n <= 0) return '#e4e8ee';
  if (n === 1) return '#9cc8f5';
  if (n === 2) return '#4f97e6';
  if (n <= 4) return '#1f5fb8';
  return '#e07b00';
}

export interface UnitPaint {
  fill: string;
  text: string;
  textColor: string;
}

/** The paint of every unit id of the layout for one frame. */
export function paintUnits(
  unitIds: Iterable<string>,
  mode: ColorMode,
  defaultColor: string,
  ruleStates: readonly UnitColorState[],
  counts: Map<string, number>,
): Map<string, UnitPaint> {
  const byUnit = new Map(ruleStates.map((s) => [s.unitId, s]));
  const out = new Map<string, UnitPaint>();
  for (const id of unitIds) {
    const r = byUnit.get(id);
    if (mode === 'carriers') {
      out.set(id, { fill: countColor(counts.get(id) ?? 0), text: r?.text ?? '', textColor: r?.textColor || '' });
    } else {
      out.set(id, {
        fill: (r && (r.color || r.bgColor)) || defaultColor,
        text: r?.text ?? '',
        textColor: r?.textColor || '',
      });
    }
  }
  return out;
}
