// The timing diagram's zoom history: every window change the user makes
// (wheel zoom, zoom buttons and keys, presets, fit, start/end, zoom to a
// measurement, a jump to a found change or a typed time, a click on the
// axis, a drag) is one step that Undo returns from and Redo goes back to.
// A continuous gesture is one step: records of the same gesture (a wheel
// burst, held arrow keys) less than `gapMs` apart coalesce, so undo goes
// back to the window before the gesture began. A drag is recorded once, when
// it ends. Pure; times are the caller's clock (ms).

import type { TimeRange } from './viewport';

export const kCoalesceMs = 400;
export const kHistoryLimit = 200;

function same(a: TimeRange, b: TimeRange): boolean {
  return a.start === b.start && a.end === b.end;
}

export class ZoomHistory {
  private past: TimeRange[] = [];
  private future: TimeRange[] = [];
  private lastGesture: string | null = null;
  private lastAt = -Infinity;

  constructor(
    private readonly gapMs = kCoalesceMs,
    private readonly limit = kHistoryLimit,
  ) {}

  /**
   * The user moved the window from `before` to `after`. `gesture` names a
   * continuous gesture ('wheel', 'pan-key'); null is a discrete step that
   * never coalesces. A change to the same window is not a step.
   */
  record(before: TimeRange, after: TimeRange, gesture: string | null, now: number): void {
    if (same(before, after)) return;
    const coalesce = gesture !== null && gesture === this.lastGesture && now - this.lastAt <= this.gapMs && this.past.length > 0;
    if (!coalesce) {
      this.past.push(before);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.future = [];
    this.lastGesture = gesture;
    this.lastAt = now;
  }

  /** The window to return to from `current`, or null when there is none. */
  undo(current: TimeRange): TimeRange | null {
    this.endGesture();
    const v = this.past.pop();
    if (!v) return null;
    this.future.push(current);
    return v;
  }

  /** The window Undo left, or null. */
  redo(current: TimeRange): TimeRange | null {
    this.endGesture();
    const v = this.future.pop();
    if (!v) return null;
    this.past.push(current);
    return v;
  }

  /** The next record starts a new step even if it continues the same gesture. */
  endGesture(): void {
    this.lastGesture = null;
  }

  canUndo(): boolean {
    return this.past.length > 0;
  }

  canRedo(): boolean {
    return this.future.length > 0;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.endGesture();
  }
}
