// A debounced call that cannot be put off for ever: it runs `waitMs` after
// the last request, or `maxWaitMs` after the first one still waiting,
// whichever comes first (so a stream of changes, such as a moving cursor,
// still reaches its target). Timers of the page's single thread.

export interface Debounced {
  /** Asks for a call (restarts the quiet wait, never past the maximum). */
  request(): void;
  /** Runs a waiting call now (nothing when none waits). */
  flush(): void;
  /** Drops a waiting call. */
  cancel(): void;
}

export function debounced(fn: () => void, waitMs: number, maxWaitMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAt: number | null = null;
  const run = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    firstAt = null;
    fn();
  };
  return {
    request() {
      const now = Date.now();
      if (firstAt === null) firstAt = now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(waitMs, firstAt + maxWaitMs - now)));
    },
    flush() {
      if (timer) run();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      firstAt = null;
    },
  };
}
