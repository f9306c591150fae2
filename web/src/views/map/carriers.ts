// Carrier positions between server answers: a window of carrier changes
// (GET /map/carriers/changes: the state at `start`, then every move in
// (start, end]) replayed locally so playback needs no request per frame.
// Plain class, one per view; not shared.

import type { CarrierChanges, CarrierPosition } from '../../api/map_api';

export class CarrierTimeline {
  readonly start: number;
  readonly end: number;
  private readonly initial: Map<string, CarrierPosition>;
  private readonly c: CarrierChanges['changes'];
  private current: Map<string, CarrierPosition>;
  private next = 0;  // index of the first change not applied to `current`
  private at: number;

  constructor(w: CarrierChanges) {
    this.start = w.start;
    // A truncated window is only valid up to its last change.
    this.end = w.truncated && w.changes.t.length > 0 ? w.changes.t[w.changes.t.length - 1]! : w.end;
    this.initial = new Map(w.carriers.map((p) => [p.carrierId, p]));
    this.c = w.changes;
    this.current = new Map(this.initial);
    this.at = w.start;
  }

  covers(t: number): boolean {
    return t >= this.start && t <= this.end;
  }

  /** Positions at t (REQUIRES covers(t)). Forward moves apply only the new changes. */
  positionsAt(t: number): Map<string, CarrierPosition> {
    if (t < this.at) {
      this.current = new Map(this.initial);
      this.next = 0;
    }
    const { t: times, carrierId, location, unitId } = this.c;
    while (this.next < times.length && times[this.next]! <= t) {
      const i = this.next++;
      const id = carrierId[i]!;
      const loc = location[i];
      if (loc === null || loc === undefined) this.current.delete(id);
      else this.current.set(id, { carrierId: id, location: loc, unitId: unitId[i] ?? loc, since: times[i]! });
    }
    this.at = t;
    return this.current;
  }
}

/** Number of carriers on each unit. */
export function unitCounts(positions: Iterable<CarrierPosition>): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of positions) out.set(p.unitId, (out.get(p.unitId) ?? 0) + 1);
  return out;
}

/** Carriers grouped by unit, sorted by id. */
export function carriersByUnit(positions: Iterable<CarrierPosition>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of positions) {
    const l = out.get(p.unitId);
    if (l) l.push(p.carrierId);
    else out.set(p.unitId, [p.carrierId]);
  }
  for (const l of out.values()) l.sort();
  return out;
}
