import { describe, expect, it } from 'vitest';
import { ZoomHistory } from './zoom_history';

const v = (start: number, end: number) => ({ start, end });

describe('ZoomHistory', () => {
  it('undoes and redoes discrete steps in order', () => {
    const h = new ZoomHistory();
    h.record(v(0, 100), v(25, 75), null, 0);
    h.record(v(25, 75), v(40, 60), null, 10);
    expect(h.undo(v(40, 60))).toEqual(v(25, 75));
    expect(h.undo(v(25, 75))).toEqual(v(0, 100));
    expect(h.undo(v(0, 100))).toBeNull();
    expect(h.redo(v(0, 100))).toEqual(v(25, 75));
    expect(h.redo(v(25, 75))).toEqual(v(40, 60));
    expect(h.redo(v(40, 60))).toBeNull();
  });

  it('coalesces a burst of one gesture into one step', () => {
    const h = new ZoomHistory(400);
    let cur = v(0, 1000);
    for (let i = 0; i < 20; i++) {
      const next = v(cur.start + 10, cur.end - 10);
      h.record(cur, next, 'wheel', i * 30); // 30 ms apart: one burst
      cur = next;
    }
    expect(h.undo(cur)).toEqual(v(0, 1000));
    expect(h.canUndo()).toBe(false);
  });

  it('splits a gesture after a pause and between different gestures', () => {
    const h = new ZoomHistory(400);
    h.record(v(0, 100), v(10, 90), 'wheel', 0);
    h.record(v(10, 90), v(20, 80), 'wheel', 100);
    h.record(v(20, 80), v(30, 70), 'wheel', 1000); // pause: a new step
    h.record(v(30, 70), v(35, 75), 'pan-key', 1050); // another gesture
    expect(h.undo(v(35, 75))).toEqual(v(30, 70));
    expect(h.undo(v(30, 70))).toEqual(v(20, 80));
    expect(h.undo(v(20, 80))).toEqual(v(0, 100));
  });

  it('never coalesces discrete steps, even close together', () => {
    const h = new ZoomHistory(400);
    h.record(v(0, 100), v(0, 50), null, 0);
    h.record(v(0, 50), v(0, 25), null, 1);
    expect(h.undo(v(0, 25))).toEqual(v(0, 50));
  });

  it('a new step after undo drops the redo steps', () => {
    const h = new ZoomHistory();
    h.record(v(0, 100), v(0, 50), null, 0);
    h.undo(v(0, 50));
    expect(h.canRedo()).toBe(true);
    h.record(v(0, 100), v(50, 100), null, 10);
    expect(h.canRedo()).toBe(false);
    expect(h.undo(v(50, 100))).toEqual(v(0, 100));
  });

  it('a wheel burst right after an undo is a new step', () => {
    const h = new ZoomHistory(400);
    h.record(v(0, 100), v(10, 90), 'wheel', 0);
    expect(h.undo(v(10, 90))).toEqual(v(0, 100));
    h.record(v(0, 100), v(5, 95), 'wheel', 50);
    h.record(v(5, 95), v(6, 94), 'wheel', 60);
    expect(h.undo(v(6, 94))).toEqual(v(0, 100));
    expect(h.canUndo()).toBe(false);
  });

  it('ignores a change to the same window and keeps at most `limit` steps', () => {
    const h = new ZoomHistory(400, 3);
    h.record(v(0, 100), v(0, 100), null, 0);
    expect(h.canUndo()).toBe(false);
    for (let i = 0; i < 5; i++) h.record(v(i, 100), v(i + 1, 100), null, i);
    expect(h.undo(v(5, 100))).toEqual(v(4, 100));
    expect(h.undo(v(4, 100))).toEqual(v(3, 100));
    expect(h.undo(v(3, 100))).toEqual(v(2, 100));
    expect(h.undo(v(2, 100))).toBeNull();
  });
});
