import { describe, expect, it } from 'vitest';
import type { CarrierChanges, MapLayout } from '../../api/map_api';
import { CarrierTimeline, carriersByUnit, unitCounts } from './carriers';
import { countColor, paintUnits } from './colors';
import {
  buildModel,
  centerOn,
  classify,
  fitTransform,
  parseAngle,
  parsePair,
  screenToWorld,
  unitCenter,
  zoomAt,
} from './layout_model';
import { PlaybackClock } from './playback';
import { screenRotation } from './map_canvas';

function obj(name: string, type: string, location: string, size: string, unitId = '', flow = '') {
  return {
    name,
    type,
    text: '',
    size,
    location,
    unitId,
    lineThick: '',
    flowDirection: flow,
    foreColor: '',
    endCap: '',
    startCap: '',
    dashStyle: '',
  };
}

describe('layout model', () => {
  it('parses the XML text fields', () => {
    expect(parsePair('120, 40')).toEqual([120, 40]);
    expect(parsePair('7 8')).toEqual([7, 8]);
    expect(parsePair('x, 1')).toBeNull();
    expect(parseAngle('Angle_90')).toBe(90);
    expect(parseAngle('angle_-45')).toBe(-45);
    expect(parseAngle('Left')).toBeNull();
    expect(classify('SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt, SmartCIM')).toBe('belt');
    expect(classify('X.WidgetArrow')).toBe('arrow');
    expect(classify('X.WidgetDiverter')).toBe('diverter');
    expect(classify('X.WidgetPort')).toBe('port');
    expect(classify('X.WidgetLabel')).toBe('label');
  });

  it('builds shapes, units and bounds', () => {
    const layout: MapLayout = {
      objects: {
        a: obj('a', 'X.WidgetBelt', '20, 100', '120, 40', 'U1'),
        b: obj('b', 'X.WidgetBelt', '200, 100', '100, 40', 'U1'),
        c: obj('c', 'X.WidgetArrow', '135, 110', '30, 20', '', 'Angle_90'),
        group: obj('group', '', '', ''),
      },
    };
    const m = buildModel(layout);
    expect(m.shapes).toHaveLength(3);
    expect(m.units.get('U1')).toEqual([0, 1]);
    expect(m.bounds).toEqual({ x0: 20, y0: 100, x1: 300, y1: 140 });
    expect(m.shapes[2]!.angle).toBe(90);
    expect(unitCenter(m, 'U1')).toEqual([(80 + 250) / 2, 120]);
    expect(unitCenter(m, 'nope')).toBeNull();
  });

  it('fits, zooms at the mouse and centers', () => {
    const t = fitTransform({ x0: 0, y0: 0, x1: 100, y1: 50 }, 240, 140, 20);
    expect(t.scale).toBe(2);
    // The bounds' center lands on the view's center.
    expect(50 * t.scale + t.tx).toBe(120);
    expect(25 * t.scale + t.ty).toBe(70);
    const before = screenToWorld(t, 30, 40);
    const z = zoomAt(t, 1.5, 30, 40);
    expect(z.scale).toBe(3);
    const after = screenToWorld(z, 30, 40);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
    const c = centerOn(z, 10, 10, 200, 100);
    expect(10 * c.scale + c.tx).toBe(100);
    expect(10 * c.scale + c.ty).toBe(50);
    expect(zoomAt(t, 1e9, 0, 0).scale).toBe(40);
  });
});

describe('flow direction', () => {
  it('is a compass angle: right-pointing glyphs turn by angle - 90', () => {
    expect(screenRotation(90)).toBe(0);  // right
    expect(screenRotation(180)).toBe(90);  // down on screen
    expect(screenRotation(270)).toBe(180);  // left
    expect(screenRotation(0)).toBe(-90);  // up
  });
});

describe('playback clock', () => {
  it('advances by wall time × speed and stops at the end', () => {
    const c = new PlaybackClock(1000, 11_000);
    expect(c.tick(100)).toBe(false);  // paused
    c.play();
    c.setSpeed(2);
    expect(c.tick(500)).toBe(true);
    expect(c.t).toBe(2000);
    c.setSpeed(0.5);
    c.tick(1000);
    expect(c.t).toBe(2500);
    c.skip(10_000);
    expect(c.t).toBe(11_000);
    c.skip(-10_000);
    expect(c.t).toBe(1000);
    c.seek(10_900);
    c.setSpeed(10);
    c.tick(1000);
    expect(c.t).toBe(11_000);
    expect(c.playing).toBe(false);
    c.play();  // at the end: replays from the start
    expect(c.t).toBe(1000);
    expect(c.fraction()).toBe(0);
    c.setSpeed(-1);
    expect(c.speed).toBe(10);
  });
});

describe('carrier timeline', () => {
  const w: CarrierChanges = {
    start: 1000,
    end: 5000,
    carriers: [{ carrierId: 'A', location: 'L1', unitId: 'U1', since: 500 }],
    changes: {
      t: [2000, 3000, 4000],
      carrierId: ['B', 'A', 'B'],
      location: ['L1', 'L2', null],
      unitId: ['U1', 'U2', null],
    },
    truncated: false,
  };
  const at = (tl: CarrierTimeline, t: number) =>
    [...tl.positionsAt(t).values()].map((p) => `${p.carrierId}@${p.unitId}`).sort().join(' ');

  it('replays moves forward and backward', () => {
    const tl = new CarrierTimeline(w);
    expect(tl.covers(999)).toBe(false);
    expect(at(tl, 1000)).toBe('A@U1');
    expect(at(tl, 2000)).toBe('A@U1 B@U1');
    expect(at(tl, 3500)).toBe('A@U2 B@U1');
    expect(at(tl, 4500)).toBe('A@U2');
    expect(at(tl, 1500)).toBe('A@U1');  // backwards: from the initial state
    expect(unitCounts(tl.positionsAt(2500).values())).toEqual(new Map([['U1', 2]]));
    expect(carriersByUnit(tl.positionsAt(2500).values()).get('U1')).toEqual(['A', 'B']);
  });

  it('a truncated window ends at its last change', () => {
    const tl = new CarrierTimeline({ ...w, truncated: true });
    expect(tl.covers(4000)).toBe(true);
    expect(tl.covers(4001)).toBe(false);
  });
});

describe('unit colors', () => {
  it('takes the rule color, else the default; or the carrier count', () => {
    const rules = [
      { unitId: 'U1', color: '#FF4444', bgColor: '', text: 'ERR', textColor: '#fff', rule: 0, signal: 'D::E' },
    ];
    const counts = new Map([['U2', 2]]);
    const byRules = paintUnits(['U1', 'U2'], 'rules', '#D3D3D3', rules, counts);
    expect(byRules.get('U1')).toEqual({ fill: '#FF4444', text: 'ERR', textColor: '#fff' });
    expect(byRules.get('U2')!.fill).toBe('#D3D3D3');
    const byCount = paintUnits(['U1', 'U2'], 'carriers', '#D3D3D3', rules, counts);
    expect(byCount.get('U2')!.fill).toBe(countColor(2));
    expect(byCount.get('U1')!.fill).toBe(countColor(0));
    expect(countColor(1)).not.toBe(countColor(2));
  });
});
