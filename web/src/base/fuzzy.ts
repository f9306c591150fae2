// Fuzzy matching for the command palette: does a query match a text as a
// subsequence (case-insensitive), how well, and at which characters. The
// score favours, like the editors' palettes: matches at word starts (after
// a space, _ - : / . or at a lowercase→uppercase or letter↔digit step),
// consecutive matched characters (a run keeps the word-start bonus of its
// first character, so "run" prefers "Motor_Run" to "R_u_n"), an early
// first match and short texts.
// The best alignment is found by dynamic programming (O(query × text)).
// Pure.

export interface FuzzyMatch {
  readonly score: number;
  /** Indices into the text of the matched characters, ascending. */
  readonly positions: readonly number[];
}

const kWordStart = 8;
const kFirstChar = 4;
const kConsecutive = 4;
const kGap = 0.6;
const kLeadGap = 0.15;
const kCase = 0.5;
const kLength = 0.02;

function isSep(c: string): boolean {
  return c === ' ' || c === '_' || c === '-' || c === ':' || c === '/' || c === '.' || c === '\\' || c === '(' || c === '[';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isUpper(c: string): boolean {
  return c !== c.toLowerCase() && c === c.toUpperCase();
}

/** The bonus of a match at text[i] for being at a word start. */
function boundary(text: string, i: number): number {
  if (i === 0) return kWordStart + kFirstChar;
  const p = text[i - 1]!;
  const c = text[i]!;
  if (isSep(p)) return kWordStart;
  if (isUpper(c) && !isUpper(p) && !isDigit(p)) return kWordStart * 0.75;
  if (isDigit(c) !== isDigit(p)) return kWordStart * 0.5;
  return 0;
}

/** The best match of `query` in `text`, or null when it is not a subsequence. An empty query matches with score 0. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.replace(/\s+/g, '');
  const m = q.length;
  const n = text.length;
  if (m === 0) return { score: 0, positions: [] };
  if (m > n) return null;
  const ql = q.toLowerCase();
  const tl = text.toLowerCase();
  // Quick subsequence check before the table.
  for (let i = 0, j = 0; i < m; i++, j++) {
    j = tl.indexOf(ql[i]!, j);
    if (j < 0) return null;
  }
  const NEG = -Infinity;
  // best[i*n + j]: the best score of query[0..i] with query[i] at text[j]; from: the j of query[i-1].
  const best = new Float64Array(m * n).fill(NEG);
  const from = new Int32Array(m * n).fill(-1);
  // The word-start bonus of the run of consecutive matches ending at (i, j).
  const runBonus = new Float64Array(m * n);
  const bonus = new Float64Array(n);
  for (let j = 0; j < n; j++) bonus[j] = boundary(text, j);
  const caseOf = (i: number, j: number): number => (q[i] === text[j] ? kCase : 0);
  for (let j = 0; j < n; j++) {
    if (tl[j] !== ql[0]) continue;
    best[j] = 1 + bonus[j]! + caseOf(0, j) - j * kLeadGap;
    runBonus[j] = Math.min(bonus[j]!, kWordStart);
  }
  for (let i = 1; i < m; i++) {
    // Running best of best[i-1][k] + kGap * k over k < j - 1 (a gap of j - k - 1 costs kGap each).
    let run = NEG;
    let runK = -1;
    const prev = (i - 1) * n;
    const row = i * n;
    for (let j = i; j < n; j++) {
      const k = j - 2;
      if (k >= 0 && best[prev + k]! + kGap * k > run) {
        run = best[prev + k]! + kGap * k;
        runK = k;
      }
      if (tl[j] !== ql[i]) continue;
      const b = bonus[j]!;
      let s = NEG;
      let f = -1;
      let rb = Math.min(b, kWordStart);
      const adj = best[prev + j - 1]!;
      if (adj > NEG) {
        const inherited = Math.max(b, runBonus[prev + j - 1]!);
        s = adj + 1 + inherited + kConsecutive + caseOf(i, j);
        f = j - 1;
        rb = Math.min(inherited, kWordStart);
      }
      if (run > NEG) {
        const g = run - kGap * (j - 1) + 1 + b + caseOf(i, j);
        if (g > s) {
          s = g;
          f = runK;
          rb = Math.min(b, kWordStart);
        }
      }
      if (f >= 0) {
        best[row + j] = s;
        from[row + j] = f;
        runBonus[row + j] = rb;
      }
    }
  }
  let end = -1;
  let top = NEG;
  const last = (m - 1) * n;
  for (let j = m - 1; j < n; j++) {
    if (best[last + j]! > top) {
      top = best[last + j]!;
      end = j;
    }
  }
  if (end < 0) return null;
  const positions = new Array<number>(m);
  for (let i = m - 1, j = end; i >= 0; i--) {
    positions[i] = j;
    j = from[i * n + j]!;
  }
  return { score: top - n * kLength, positions };
}

export interface Ranked<T> {
  readonly item: T;
  readonly score: number;
  readonly positions: readonly number[];
}

/**
 * The items whose text matches `query`, best first (ties keep the input
 * order), at most `limit`. `bias` adds to an item's score (e.g. to rank
 * actions before signals on equal matches).
 */
export function rankFuzzy<T>(query: string, items: readonly T[], text: (t: T) => string, limit = 100, bias?: (t: T) => number): Ranked<T>[] {
  const out: (Ranked<T> & { order: number })[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const m = fuzzyMatch(query, text(it));
    if (m) out.push({ item: it, score: m.score + (bias ? bias(it) : 0), positions: m.positions, order: i });
  }
  out.sort((a, b) => b.score - a.score || a.order - b.order);
  return out.slice(0, limit).map(({ item, score, positions }) => ({ item, score, positions }));
}
