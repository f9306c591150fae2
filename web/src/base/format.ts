// Text of times, durations, sizes and counts shared by every view (UTC times,
// as the logs write them). Pure functions; no imports.

/** "2025-09-22T13:00:00.199Z" → "2025-09-22 13:00:00.199" (UTC as written). */
export function formatTimestamp(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(ts);
  if (!m) return ts;
  return `${m[1]} ${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}`;
}

/** Milliseconds since the epoch of an Entry timestamp (NaN when unreadable). */
export function timestampMs(ts: string): number {
  return Date.parse(ts);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** ms since the epoch → "YYYY-MM-DD HH:MM:SS.mmm" in UTC. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(Math.floor(ms + 0.001));
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/**
 * Parses a typed time in UTC: "YYYY-MM-DD HH:MM[:SS[.mmm]]" (T or space), or
 * "HH:MM[:SS[.mmm]]" on `defaultDate` ("YYYY-MM-DD"). Returns ms or null.
 */
export function parseTypedTime(text: string, defaultDate?: string): number | null {
  const t = text.trim();
  const m = /^(?:(\d{4})-(\d{1,2})-(\d{1,2})[T ]+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3})\d*)?)?Z?$/.exec(t);
  if (m) {
    let y: number, mo: number, d: number;
    if (m[1]) {
      y = Number(m[1]);
      mo = Number(m[2]);
      d = Number(m[3]);
    } else {
      const dm = defaultDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(defaultDate) : null;
      if (!dm) return null;
      y = Number(dm[1]);
      mo = Number(dm[2]);
      d = Number(dm[3]);
    }
    const h = Number(m[4]);
    const mi = Number(m[5]);
    const s = Number(m[6] ?? 0);
    const ms = Number((m[7] ?? '').padEnd(3, '0') || 0);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
    return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  }
  const dOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (dOnly) return Date.UTC(Number(dOnly[1]), Number(dOnly[2]) - 1, Number(dOnly[3]));
  return null;
}

/** The text of one cell. */
/** Rows as tab-separated lines in column order (tabs/newlines in text become spaces). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "3 minutes ago", "yesterday", … for the recent files list. */
export function relativeTime(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return iso.slice(0, 10);
}
