import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounced } from './debounce';

describe('debounced', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once after a quiet wait', () => {
    const fn = vi.fn();
    const d = debounced(fn, 300, 1000);
    d.request();
    vi.advanceTimersByTime(200);
    d.request();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('is not put off past the maximum by a stream of requests', () => {
    const fn = vi.fn();
    const d = debounced(fn, 300, 1000);
    for (let t = 0; t < 2500; t += 100) {
      d.request();
      vi.advanceTimersByTime(100);
    }
    // Requests every 100 ms for 2.5 s: a call at 1 s and at 2 s.
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('flushes a waiting call at once, and only a waiting one', () => {
    const fn = vi.fn();
    const d = debounced(fn, 300, 1000);
    d.flush();
    expect(fn).not.toHaveBeenCalled();
    d.request();
    d.flush();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
    d.request();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
