// Color coding of log table rows: saved rules, first match wins per target.
// A rule colors the row tint, the value cell, or both, with exactly the color
// the user chose (or, for the device kind with color "auto", a hue hashed
// from the device name).

import type { Entry } from '../../api/types';
import { formatValue } from './format';

export type ColorRuleKind = 'category' | 'signal' | 'severity' | 'type' | 'device';
export type ColorTarget = 'row' | 'value' | 'both';

export interface ColorRule {
  id: string;
  kind: ColorRuleKind;
  /**
   * category: a category name (comma list allowed; exact, case-insensitive);
   * signal: a regex over the signal name (case-insensitive);
   * severity: a regex over the value text (case-insensitive);
   * type: a signal type; device: a regex over the device ("" = every device).
   */
  pattern: string;
  /** A CSS color, or "auto" (device kind): hashed hue. */
  color: string;
  target: ColorTarget;
  enabled: boolean;
}

export interface CellColors {
  row?: string;
  value?: string;
}

export const kDefaultColorRules: ColorRule[] = [
  { id: 'sev-error', kind: 'severity', pattern: '\\b(error|err|fail(ed|ure)?|alarm|fault|abort(ed)?|ng)\\b', color: '#fde2e1', target: 'row', enabled: true },
  { id: 'sev-warn', kind: 'severity', pattern: '\\b(warn(ing)?|timeout|retry)\\b', color: '#fff1d6', target: 'row', enabled: true },
  { id: 'sev-ok', kind: 'severity', pattern: '^(ok|done|complete(d)?|ready)$', color: '#e3f4e4', target: 'value', enabled: false },
  { id: 'dev-hue', kind: 'device', pattern: '', color: 'auto', target: 'value', enabled: false },
];

/** A stable light hue for a string (FNV-1a hash). */
export function hashedColor(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `hsl(${(h >>> 0) % 360} 70% 88%)`;
}

/**
 * A readable text color (dark or light) over a background color given as
 * #rgb, #rrggbb or hsl(h s% l%); null when the color is not understood.
 */
export function contrastText(bg: string): string | null {
  const dark = '#1d2633';
  const light = '#f5f7fa';
  const hsl = /^hsla?\(\s*[\d.]+(?:deg)?[\s,]+[\d.]+%[\s,]+([\d.]+)%/i.exec(bg);
  if (hsl) return Number(hsl[1]) >= 55 ? dark : light;
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(bg)?.[1];
  if (!hex) return null;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const ch = [0, 2, 4].map((i) => {
    const v = parseInt(hex!.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
  return lum > 0.18 ? dark : light;
}

interface Compiled {
  rule: ColorRule;
  test: (e: Entry) => boolean;
}

function safeRegex(p: string): RegExp {
  try {
    return new RegExp(p, 'i');
  } catch {
    return new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

function compileOne(rule: ColorRule): Compiled {
  switch (rule.kind) {
    case 'category': {
      const set = new Set(rule.pattern.split(',').map((s) => s.trim().toLowerCase()));
      return { rule, test: (e) => set.has((e.category ?? '').toLowerCase()) };
    }
    case 'signal': {
      const re = safeRegex(rule.pattern);
      return { rule, test: (e) => re.test(e.signalName) };
    }
    case 'severity': {
      const re = safeRegex(rule.pattern);
      return { rule, test: (e) => typeof e.value === 'string' && re.test(formatValue(e.value)) };
    }
    case 'type':
      return { rule, test: (e) => e.signalType === rule.pattern.trim().toLowerCase() };
    case 'device': {
      const re = rule.pattern ? safeRegex(rule.pattern) : null;
      return { rule, test: (e) => !re || re.test(e.deviceId) };
    }
  }
}

/** Compiles the enabled rules once; returns the per-entry color function. */
export function compileColorRules(rules: readonly ColorRule[]): (e: Entry) => CellColors {
  const compiled = rules.filter((r) => r.enabled && r.color).map(compileOne);
  if (compiled.length === 0) return () => ({});
  return (e) => {
    const out: CellColors = {};
    for (const c of compiled) {
      const wantRow = c.rule.target !== 'value' && out.row === undefined;
      const wantValue = c.rule.target !== 'row' && out.value === undefined;
      if (!wantRow && !wantValue) continue;
      if (!c.test(e)) continue;
      const color = c.rule.color === 'auto' ? hashedColor(e.deviceId) : c.rule.color;
      if (wantRow) out.row = color;
      if (wantValue) out.value = color;
      if (out.row !== undefined && out.value !== undefined) break;
    }
    return out;
  };
}
