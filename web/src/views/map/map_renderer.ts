// Draws one Map frame into the static SVG layer: unit colours (by the rules or
// by carrier count) through the handles of map_canvas.tsx, and the carrier
// badges, which it returns only when they changed so the component re-renders
// them only then. One per frame loop; browser main thread only.

import type { CarrierPosition, UnitColorState } from '../../api/map_api';
import { carriersByUnit, unitCounts } from './carriers';
import { paintUnits, type ColorMode } from './colors';
import type { MapModel } from './layout_model';
import { applyPaint, type UnitHandles } from './map_canvas';
import type { Badge } from './map_state';

export interface FrameInput {
  model: MapModel;
  handles: UnitHandles;
  positions: Map<string, CarrierPosition>;
  mode: ColorMode;
  defaultColor: string;
  ruleStates: UnitColorState[];
  selectedUnit: string | null;
  /** The unit the followed carrier is on, if any. */
  followedUnit: string | undefined;
}

export class MapRenderer {
  private lastBadgeKey = '';

  /** Paints the units; returns the badges when they differ from the last frame's, else null. */
  draw(f: FrameInput): Badge[] | null {
    const counts = unitCounts(f.positions.values());
    const paint = paintUnits(f.model.units.keys(), f.mode, f.defaultColor, f.ruleStates, counts);
    applyPaint(f.handles, paint, f.selectedUnit);
    const byUnit = carriersByUnit(f.positions.values());
    const list: Badge[] = [];
    let badgeKey = '';
    for (const [unitId, ids] of byUnit) {
      // The badge sits on the top-right corner of the unit's first shape.
      const first = f.model.units.get(unitId)?.[0];
      if (first === undefined) continue;
      const sh = f.model.shapes[first]!;
      list.push({ unitId, x: sh.x + sh.w - 4, y: sh.y + 4, ids, followed: unitId === f.followedUnit });
      badgeKey += `${unitId}:${ids.join(',')}:${unitId === f.followedUnit ? 1 : 0};`;
    }
    if (badgeKey === this.lastBadgeKey) return null;
    this.lastBadgeKey = badgeKey;
    return list;
  }
}
