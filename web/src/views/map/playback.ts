// The map's playback clock: a time in [start, end] that advances by wall
// time × speed while playing. Pure state machine driven by tick(dt); the view
// calls tick from requestAnimationFrame. Not shared; one per view.

export const kSpeeds = [0.5, 1, 2, 5, 10] as const;

export class PlaybackClock {
  t: number;
  playing = false;
  speed = 1;

  constructor(
    public start: number,
    public end: number,
  ) {
    this.t = start;
  }

  setRange(start: number, end: number): void {
    this.start = start;
    this.end = Math.max(start, end);
    this.t = this.clamp(this.t);
  }

  play(): void {
    if (this.t >= this.end) this.t = this.start;  // replay from the start
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Advances by `dtMs` of wall time; stops at the end. Returns true when t moved. */
  tick(dtMs: number): boolean {
    if (!this.playing || !(dtMs > 0)) return false;
    const before = this.t;
    this.t = this.clamp(this.t + dtMs * this.speed);
    if (this.t >= this.end) this.playing = false;
    return this.t !== before;
  }

  skip(deltaMs: number): void {
    this.t = this.clamp(this.t + deltaMs);
  }

  seek(t: number): void {
    this.t = this.clamp(t);
  }

  setSpeed(s: number): void {
    if (s > 0 && Number.isFinite(s)) this.speed = s;
  }

  /** Position in [0, 1] for the slider. */
  fraction(): number {
    return this.end > this.start ? (this.t - this.start) / (this.end - this.start) : 0;
  }

  private clamp(t: number): number {
    return Math.min(this.end, Math.max(this.start, t));
  }
}
