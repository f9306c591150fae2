// Per-lane display settings of the timing diagram, as logic analyzers have
// them: the radix of an integer lane (decimal, unsigned decimal, hex, signed
// hex, binary), enum names for its values, the lane drawn as an analog line,
// a colour from a small palette, and a display alias (the key stays). Pure:
// formatting, parsing the enum mapping the user types and validating the
// settings read back from storage or a layout.
//
// Integers are int64 in the server. The API delivers them as JSON numbers
// (exact up to ±2^53; beyond, the nearest double) or, where a value is text,
// as a decimal string (exact). Rule for hex and binary: a negative value
// shows its 64-bit two's complement (-1 → 0xFFFFFFFFFFFFFFFF); "signed hex"
// shows a sign instead (-1 → -0x1); "unsigned" is the decimal of the
// two's complement (-1 → 18446744073709551615). A number beyond int64
// (INT64_MAX arrives as the double 2^63) is clamped to the int64 range.

import type { SignalType, WaveValue } from '../../api/waveform';

export type Radix = 'dec' | 'udec' | 'hex' | 'shex' | 'bin';

export const kRadixes: readonly { id: Radix; label: string }[] = [
  { id: 'dec', label: 'Decimal' },
  { id: 'udec', label: 'Unsigned decimal' },
  { id: 'hex', label: 'Hex' },
  { id: 'shex', label: 'Signed hex' },
  { id: 'bin', label: 'Binary' },
];

/** The lane colours (the same in both themes: they read on light and dark lanes). */
export const kLaneColors: readonly { id: string; label: string; css: string }[] = [
  { id: 'blue', label: 'Blue', css: '#2f6fd6' },
  { id: 'green', label: 'Green', css: '#15964f' },
  { id: 'orange', label: 'Orange', css: '#e07b00' },
  { id: 'red', label: 'Red', css: '#d6334a' },
  { id: 'purple', label: 'Purple', css: '#7d4cc9' },
  { id: 'teal', label: 'Teal', css: '#0e9aa7' },
  { id: 'pink', label: 'Pink', css: '#c2418f' },
  { id: 'grey', label: 'Grey', css: '#6b7685' },
];

/** One lane's display; a field left out is the default. */
export interface LaneDisplay {
  radix?: Radix;
  /** The enum mapping as typed: `0=IDLE,1=RUN,2=ERR`. */
  enum?: string;
  analog?: boolean;
  /** A kLaneColors id. */
  color?: string;
  alias?: string;
}

export type LaneDisplays = Readonly<Record<string, LaneDisplay>>;

const kTwo64 = 1n << 64n;
const kMin = -(1n << 63n);
const kMax = (1n << 63n) - 1n;
const kMaxEnumText = 4000;
const kMaxAlias = 100;
const kMaxLanes = 5000;

/** A value as int64, or null when it is not an integer (text, fraction, NaN). */
export function toInt64(v: WaveValue | boolean | undefined): bigint | null {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return null;
    const b = BigInt(v);
    return b < kMin ? kMin : b > kMax ? kMax : b;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (!/^[+-]?\d{1,20}$/.test(s)) return null;
    const b = BigInt(s);
    return b < kMin || b > kMax ? null : b;
  }
  return null;
}

/** An integer in a radix (see the header for negatives). */
export function formatInt(b: bigint, radix: Radix): string {
  const u = b < 0n ? b + kTwo64 : b;
  switch (radix) {
    case 'dec':
      return b.toString();
    case 'udec':
      return u.toString();
    case 'hex':
      return `0x${u.toString(16).toUpperCase()}`;
    case 'shex':
      return b < 0n ? `-0x${(-b).toString(16).toUpperCase()}` : `0x${b.toString(16).toUpperCase()}`;
    case 'bin':
      return `0b${u.toString(2)}`;
  }
}

/** Parses one integer as typed in an enum mapping: decimal, 0x hex or 0b binary, optional sign. */
function parseIntText(s: string): bigint | null {
  const m = /^([+-]?)(0x[0-9a-f]+|0b[01]+|\d+)$/i.exec(s.trim());
  if (!m) return null;
  const mag = BigInt(m[2]!.toLowerCase());
  const b = m[1] === '-' ? -mag : mag;
  return b < kMin || b > kMax ? null : b;
}

export interface EnumMap {
  /** Name by the value's decimal text. */
  readonly names: ReadonlyMap<string, string>;
  /** One sentence per entry that was not read. */
  readonly errors: readonly string[];
}

/** Reads `0=IDLE,1=RUN,2=ERR` (commas, semicolons or new lines between entries). */
export function parseEnum(text: string): EnumMap {
  const names = new Map<string, string>();
  const errors: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      errors.push(`“${part}”: not value=NAME`);
      continue;
    }
    const b = parseIntText(part.slice(0, eq));
    const name = part.slice(eq + 1).trim();
    if (b === null) {
      errors.push(`“${part}”: ${part.slice(0, eq).trim() || 'the value'} is not an int64 integer`);
      continue;
    }
    if (name === '') {
      errors.push(`“${part}”: no name`);
      continue;
    }
    const k = b.toString();
    if (names.has(k)) {
      errors.push(`“${part}”: ${k} is named twice`);
      continue;
    }
    names.set(k, name.slice(0, 64));
  }
  return { names, errors };
}

/** How one lane's values read: labels, value at cursor, tooltip. */
export type ValueFormat = (v: WaveValue) => string;

/** The text of a value by the lane's type (the default display). */
export function valueText(v: unknown, type: SignalType): string {
  if (v === null || v === undefined) return '—';
  if (type === 'boolean') return v === 1 || v === true ? 'true' : v === 0 || v === false ? 'false' : String(v);
  if (type === 'float' && typeof v === 'number') {
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e7 || a < 1e-3) ? v.toExponential(4) : String(Math.round(v * 1e6) / 1e6);
  }
  return String(v);
}

/** The formatter of a lane: radix and enum names apply to integer lanes only. */
export function valueFormat(type: SignalType, d: LaneDisplay | undefined): ValueFormat {
  if (type !== 'integer' || !d || ((d.radix ?? 'dec') === 'dec' && !d.enum)) return (v) => valueText(v, type);
  const radix = d.radix ?? 'dec';
  const names = d.enum ? parseEnum(d.enum).names : new Map<string, string>();
  return (v) => {
    const b = v === null ? null : toInt64(v);
    if (b === null) return valueText(v, type);
    return names.get(b.toString()) ?? formatInt(b, radix);
  };
}

/** The CSS colour of a lane, or null for the theme's. */
export function laneColor(d: LaneDisplay | undefined): string | null {
  if (!d?.color) return null;
  return kLaneColors.find((c) => c.id === d.color)?.css ?? null;
}

/** One lane's display with defaults and bad fields dropped; null when nothing is left. */
export function cleanDisplay(raw: unknown): LaneDisplay | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const out: LaneDisplay = {};
  if (typeof o.radix === 'string' && o.radix !== 'dec' && kRadixes.some((r) => r.id === o.radix)) out.radix = o.radix as Radix;
  if (typeof o.enum === 'string' && o.enum.trim() !== '') out.enum = o.enum.trim().slice(0, kMaxEnumText);
  if (o.analog === true) out.analog = true;
  if (typeof o.color === 'string' && kLaneColors.some((c) => c.id === o.color)) out.color = o.color;
  if (typeof o.alias === 'string' && o.alias.trim() !== '') out.alias = o.alias.trim().slice(0, kMaxAlias);
  return Object.keys(out).length > 0 ? out : null;
}

/** Every lane's display from storage or a layout; what is not understood is left out. */
export function cleanDisplays(raw: unknown): Record<string, LaneDisplay> {
  const out: Record<string, LaneDisplay> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  let n = 0;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === '' || n >= kMaxLanes) continue;
    const d = cleanDisplay(v);
    if (d) {
      out[k] = d;
      n++;
    }
  }
  return out;
}

/** `displays` with one lane's display replaced (null or empty: back to the defaults). */
export function withDisplay(displays: LaneDisplays, key: string, d: LaneDisplay | null): Record<string, LaneDisplay> {
  const out: Record<string, LaneDisplay> = { ...displays };
  const c = d ? cleanDisplay(d) : null;
  if (c) out[key] = c;
  else delete out[key];
  return out;
}

/**
 * A value typed to search an integer lane, as the signal has it: an enum
 * name of the lane (any case) or a hex/binary number becomes its decimal
 * text; anything else stays as typed.
 */
export function typedValue(text: string, type: SignalType, d: LaneDisplay | undefined): string {
  if (type !== 'integer') return text;
  const t = text.trim();
  if (d?.enum) {
    const want = t.toLowerCase();
    for (const [v, name] of parseEnum(d.enum).names) if (name.toLowerCase() === want) return v;
  }
  const b = parseIntText(t);
  return b === null ? text : b.toString();
}
