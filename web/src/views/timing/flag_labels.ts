// Where the bookmark flags' names go on the time axis. A name starts right of
// its flag and may run only up to the next flag: it is drawn whole when it
// fits, cut with an ellipsis when a part of it does, and left out when
// nothing readable fits (fit-all of a session with bookmarks close together).
// The full names are on hover (bookmark_tip.tsx). Pure.

export interface Flag {
  readonly x: number;
  readonly name: string;
  readonly time: number;
}

export interface FlagLabel extends Flag {
  /** What is drawn: the name, a cut of it ending in "…", or '' (hidden). */
  readonly text: string;
  /** Left edge and width of the drawn text, CSS px (width 0 when hidden). */
  readonly left: number;
  readonly width: number;
}

/** Text starts this far right of the flag's pole (past the pennant). */
export const kFlagTextOffset = 11;
/** Space kept between a name and the next flag. */
export const kFlagGap = 5;
/** Less room than this: the name is hidden rather than cut to a stub. */
export const kMinLabelPx = 24;

/** Lays out the names of flags (any order) on an axis w px wide; measure gives a text's width. */
export function layoutFlagLabels(flags: readonly Flag[], w: number, measure: (s: string) => number): FlagLabel[] {
  const sorted = [...flags].sort((a, b) => a.x - b.x || a.time - b.time);
  const out: FlagLabel[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i]!;
    const left = f.x + kFlagTextOffset;
    const next = sorted[i + 1];
    const room = (next ? next.x - kFlagGap : w) - left;
    const text = fitText(f.name, room, measure);
    out.push({ ...f, text, left, width: text ? measure(text) : 0 });
  }
  return out;
}

/** The name, or its longest prefix + "…", that fits in room px; '' when none readable does. */
export function fitText(name: string, room: number, measure: (s: string) => number): string {
  if (room <= 0 || name === '') return '';
  if (measure(name) <= room) return name;
  if (room < kMinLabelPx) return '';
  for (let n = name.length - 1; n >= 2; n--) {
    const t = `${name.slice(0, n).trimEnd()}…`;
    if (measure(t) <= room) return t;
  }
  return '';
}

/** The flags under x (within tol px of a pole, or on a drawn name), nearest first. */
export function flagsAt(labels: readonly FlagLabel[], x: number, tol = 5): FlagLabel[] {
  const hits = labels.filter((l) => Math.abs(l.x - x) <= tol || (l.width > 0 && x >= l.left && x <= l.left + l.width));
  return hits.sort((a, b) => Math.abs(a.x - x) - Math.abs(b.x - x));
}
