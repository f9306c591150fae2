// Work times of the Map's last frames (a window of 600), summarised for the
// status line and the browser tests (window.__plcscopeMap). Not thread-related;
// one module-wide window.

export interface FrameSummary {
  frames: number;
  avgMs: number;
  p95Ms: number;
  maxMs: number;
}

export class FrameStats {
  private readonly times: number[] = [];

  constructor(private readonly capacity = 600) {}

  /** Records one frame's work time and returns the summary of the window. */
  add(ms: number): FrameSummary {
    const times = this.times;
    times.push(ms);
    if (times.length > this.capacity) times.splice(0, times.length - this.capacity);
    const sorted = [...times].sort((a, b) => a - b);
    const avg = times.reduce((s, x) => s + x, 0) / times.length;
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    return { frames: times.length, avgMs: avg, p95Ms: p95, maxMs: sorted[sorted.length - 1] ?? 0 };
  }
}
