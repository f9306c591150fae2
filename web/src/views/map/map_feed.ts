// The Map view's data feed: the unit colours from /map/state (at most one
// request in flight; a new one when the time moved) and the carriers, whose
// moves come in windows from /map/carriers/changes and are replayed locally,
// with the next window fetched ahead while playing, so a frame never waits for
// the network. Owned by the controller's frame loop (one per mounted view);
// browser main thread only. close() aborts what is in flight.

import { isAbortError } from '../../api/client';
import { mapApi, type CarrierPosition, type UnitColorState } from '../../api/map_api';
import { sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { CarrierTimeline } from './carriers';
import type { PlaybackClock } from './playback';

export interface FeedEvents {
  /** New data arrived: the next frame must draw. */
  changed(): void;
  /** The carrier ids of a window that arrived, sorted. */
  carriers(ids: string[]): void;
}

export class MapFeed {
  /** Unit colours by the rules at the last fetched time. */
  ruleStates: UnitColorState[] = [];
  defaultColor: string;
  /** Carrier positions at the time of the last update(). */
  positions: Map<string, CarrierPosition> = new Map();

  private stateInflight = false;
  private stateT = NaN;
  /** Bumped when the layout or rules change: a state fetched before is stale. */
  private stateGen = 0;
  private timeline: CarrierTimeline | null = null;
  private next: CarrierTimeline | null = null; // the window after `timeline`, fetched ahead
  private windowInflight = false;
  private windowKey = '';
  private readonly ctl = new AbortController();

  constructor(
    defaultColor: string,
    private readonly clock: PlaybackClock,
    private readonly events: FeedEvents,
  ) {
    this.defaultColor = defaultColor;
  }

  close(): void {
    this.ctl.abort();
  }

  /** The layout or rules changed: the unit colours are fetched again for the same time. */
  invalidateState(): void {
    this.stateGen++;
    this.stateT = NaN;
  }

  /**
   * Brings `positions` to time t from the windows at hand and starts the
   * fetches that are due. `key` names the carrier source; when it changes the
   * windows are dropped.
   */
  update(t: number, key: string): void {
    if (key !== this.windowKey) {
      this.windowKey = key;
      this.timeline = this.next = null;
    }
    const clock = this.clock;
    if (this.timeline && this.timeline.covers(t)) {
      this.positions = this.timeline.positionsAt(t);
      const used = (t - this.timeline.start) / Math.max(1, this.timeline.end - this.timeline.start);
      if (clock.playing && !this.windowInflight && !this.next && used > 0.5 && this.timeline.end < clock.end) {
        this.fetchWindow(this.timeline.end, true);
      }
    } else if (this.next && this.next.covers(t)) {
      this.timeline = this.next;
      this.next = null;
      this.positions = this.timeline.positionsAt(t);
    } else if (!this.windowInflight && clock.end > 0) {
      this.next = null;
      this.fetchWindow(t, false);
    }
    if (!this.stateInflight && t !== this.stateT) this.fetchState(t);
  }

  private fetchState(t: number): void {
    this.stateInflight = true;
    const gen = this.stateGen;
    mapApi
      .state(sessionId.peek(), t, this.ctl.signal)
      .then((s) => {
        this.ruleStates = s.units;
        this.defaultColor = s.defaultColor;
        // Asked before the rules changed: drawn, but asked again.
        if (gen === this.stateGen) this.stateT = t;
        if (!this.timeline) this.positions = new Map(s.carriers.map((p) => [p.carrierId, p]));
        this.events.changed();
      })
      .catch((e) => !isAbortError(e) && showError(e))
      .finally(() => {
        this.stateInflight = false;
        if (gen !== this.stateGen) this.events.changed();
      });
  }

  private fetchWindow(t: number, ahead: boolean): void {
    this.windowInflight = true;
    const span = Math.max(120_000, this.clock.speed * 60_000);
    const end = Math.min(this.clock.end, t + span);
    mapApi
      .changes(sessionId.peek(), t, end, this.ctl.signal)
      .then((w) => {
        if (ahead) this.next = new CarrierTimeline(w);
        else this.timeline = new CarrierTimeline(w);
        this.events.carriers([...new Set([...w.carriers.map((c) => c.carrierId), ...w.changes.carrierId])].sort());
        this.events.changed();
      })
      .catch((e) => !isAbortError(e) && showError(e))
      .finally(() => (this.windowInflight = false));
  }
}
