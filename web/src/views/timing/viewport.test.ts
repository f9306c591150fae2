import { describe, expect, it } from 'vitest';
import {
  centerOn,
  clampView,
  fitAll,
  goToEnd,
  goToStart,
  kMinSpanMs,
  panByPixels,
  sliderFraction,
  span,
  timeToX,
  viewAtSliderFraction,
  xToTime,
  zoomAt,
  zoomToRange,
  zoomToSpan,
} from './viewport';

const T = Date.UTC(2025, 8, 22, 8);
const bounds = { min: T, max: T + 6 * 3600_000 };

describe('viewport', () => {
  it('maps time to x and back', () => {
    const v = { start: T, end: T + 1000 };
    expect(timeToX(v, 500, T + 250)).toBe(125);
    expect(xToTime(v, 500, 125)).toBe(T + 250);
  });

  it('zooms at the mouse keeping the time under it fixed', () => {
    const v = { start: T + 1000, end: T + 2000 };
    const anchor = xToTime(v, 800, 200);
    const z = zoomAt(v, 800, 200, 0.5, bounds);
    expect(span(z)).toBeCloseTo(500, 6);
    expect(xToTime(z, 800, 200)).toBeCloseTo(anchor, 6);
    const out = zoomAt(z, 800, 200, 2, bounds);
    expect(xToTime(out, 800, 200)).toBeCloseTo(anchor, 6);
    expect(span(out)).toBeCloseTo(1000, 6);
  });

  it('never zooms below the minimum span nor beyond the data plus margins', () => {
    const v = { start: T + 1000, end: T + 1001 };
    expect(span(zoomAt(v, 800, 400, 1e-9, bounds))).toBeCloseTo(kMinSpanMs, 3);
    const all = zoomAt(v, 800, 400, 1e12, bounds);
    expect(all.start).toBeGreaterThanOrEqual(bounds.min - 0.05 * 6 * 3600_000 - 1e-3);
    expect(all.end).toBeLessThanOrEqual(bounds.max + 0.05 * 6 * 3600_000 + 1e-3);
  });

  it('pans by pixels and clamps at the data edges', () => {
    const v = { start: T + 60_000, end: T + 70_000 };
    const p = panByPixels(v, 1000, 100, bounds); // drag right: earlier
    expect(p.start).toBeCloseTo(T + 59_000, 6);
    expect(span(p)).toBeCloseTo(10_000, 6);
    const far = panByPixels(v, 1000, 1e9, bounds);
    expect(far.start).toBeCloseTo(bounds.min - 0.05 * 6 * 3600_000, 3);
    expect(span(far)).toBeCloseTo(10_000, 6);
  });

  it('applies presets around the center, fit, start and end', () => {
    const v = { start: T + 3600_000, end: T + 3600_000 + 10_000 };
    const p = zoomToSpan(v, 60_000, bounds);
    expect(span(p)).toBeCloseTo(60_000, 6);
    expect((p.start + p.end) / 2).toBeCloseTo(T + 3600_000 + 5_000, 6);
    const f = fitAll(bounds);
    expect(f.start).toBeLessThan(bounds.min);
    expect(f.end).toBeGreaterThan(bounds.max);
    expect(goToStart(v, bounds).start).toBeLessThan(bounds.min);
    expect(goToStart(v, bounds).end).toBeGreaterThan(bounds.min);
    expect(goToEnd(v, bounds).end).toBeGreaterThan(bounds.max);
    expect(goToEnd(v, bounds).start).toBeLessThan(bounds.max);
  });

  it('centers on a time and zooms to a range', () => {
    const v = { start: T, end: T + 10_000 };
    const c = centerOn(v, T + 3600_000, bounds);
    expect((c.start + c.end) / 2).toBeCloseTo(T + 3600_000, 6);
    const r = zoomToRange(T + 5000, T + 3000, bounds);
    expect(r.start).toBeLessThan(T + 3000);
    expect(r.end).toBeGreaterThan(T + 5000);
    expect(span(r)).toBeLessThan(2100);
  });

  it('round-trips the slider', () => {
    const v = { start: T + 7200_000, end: T + 7260_000 };
    const f = sliderFraction(v, bounds);
    expect(f).toBeGreaterThan(0);
    expect(f).toBeLessThan(1);
    expect(viewAtSliderFraction(v, f, bounds).start).toBeCloseTo(v.start, 3);
  });

  it('repairs non-finite views', () => {
    const c = clampView({ start: NaN, end: NaN }, bounds);
    expect(Number.isFinite(c.start) && Number.isFinite(c.end)).toBe(true);
  });
});
