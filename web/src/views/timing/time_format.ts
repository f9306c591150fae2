// Time text for the timing diagram: UTC wall-clock formatting of API times
// (milliseconds since the Unix epoch, fractions allowed) and parsing of the
// times a user types to jump. Pure functions.

export const kMsPerSecond = 1000;
export const kMsPerMinute = 60 * kMsPerSecond;
export const kMsPerHour = 60 * kMsPerMinute;
export const kMsPerDay = 24 * kMsPerHour;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// Start of the UTC day holding `ms`.
export function utcDayStart(ms: number): number {
  return Math.floor(ms / kMsPerDay) * kMsPerDay;
}

// "YYYY-MM-DD" of the UTC day holding `ms`.
export function formatDate(ms: number): string {
  const d = new Date(utcDayStart(ms));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

// "HH:MM:SS" followed by `fractionDigits` (0..6) digits of the second.
// The fraction is truncated, never rounded up into the next second, so a
// time shows the same as the row in the log table.
export function formatClock(ms: number, fractionDigits = 3): string {
  const day = utcDayStart(ms);
  const inDayUs = Math.round((ms - day) * 1000);
  const totalSeconds = Math.floor(inDayUs / 1e6);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  let text = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
  if (fractionDigits > 0) {
    const us = inDayUs - totalSeconds * 1e6;
    text += '.' + pad(us, 6).slice(0, Math.min(6, fractionDigits));
  }
  return text;
}

// "YYYY-MM-DD HH:MM:SS.mmm", the log table's form.
export function formatDateTime(ms: number, fractionDigits = 3): string {
  return `${formatDate(ms)} ${formatClock(ms, fractionDigits)}`;
}

// A duration for people: "850 µs", "12.5 ms", "3.250 s", "2 min 05.000 s", "1 h 02 min".
export function formatDuration(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a < 1) return `${sign}${trimZeros((a * 1000).toFixed(a < 0.01 ? 2 : 1))} µs`;
  if (a < kMsPerSecond) return `${sign}${trimZeros(a.toFixed(a < 10 ? 3 : 1))} ms`;
  if (a < kMsPerMinute) return `${sign}${(a / 1000).toFixed(3)} s`;
  if (a < kMsPerHour) {
    const min = Math.floor(a / kMsPerMinute);
    return `${sign}${min} min ${pad(Math.floor((a - min * kMsPerMinute) / 1000), 2)}.${pad(Math.floor(a % 1000), 3)} s`;
  }
  const h = Math.floor(a / kMsPerHour);
  const min = Math.floor((a - h * kMsPerHour) / kMsPerMinute);
  const s = Math.floor((a % kMsPerMinute) / 1000);
  return `${sign}${h} h ${pad(min, 2)} min ${pad(s, 2)} s`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// "HH:MM[:SS[.fraction]]", optionally preceded by "YYYY-MM-DD" and a space or
// "T", optionally followed by "Z". The fraction has 1..9 digits.
const kTypedTime =
  /^\s*(?:(\d{4})-(\d{2})-(\d{2})(?:\s+|T))?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?Z?\s*$/i;

// Parses a typed time to ms since the epoch. A time without a date is taken
// on the UTC day of `referenceMs` (the diagram's current time). Returns null
// for text that is not a time or has out-of-range fields.
export function parseTypedTime(text: string, referenceMs: number): number | null {
  const m = kTypedTime.exec(text);
  if (!m) return null;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let day: number;
  if (m[1]) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const date = Number(m[3]);
    if (month < 1 || month > 12 || date < 1) return null;
    day = Date.UTC(year, month - 1, date);
    if (new Date(day).getUTCDate() !== date) return null;
  } else {
    day = utcDayStart(referenceMs);
  }
  return day + hour * kMsPerHour + minute * kMsPerMinute + second * kMsPerSecond + fraction;
}
