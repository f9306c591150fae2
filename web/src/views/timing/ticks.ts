// Tick choice for the time axis: a "nice" step (1-2-5 below a second, then
// the clock's own steps up to days) so that labels are at least a given
// number of pixels apart, and the label text each tick gets. Pure.

import { formatClock, formatDate, kMsPerDay, kMsPerHour, kMsPerMinute, utcDayStart } from './time_format';

// Every step we use, in ms, ascending: 1 ns ... 500 ms, then the clock's.
export const kTickStepsMs: readonly number[] = (() => {
  const steps: number[] = [];
  for (let exp = -6; exp <= 2; exp++) {
    for (const m of [1, 2, 5]) steps.push(Number((m * Math.pow(10, exp)).toPrecision(3)));
  }
  const s = 1000;
  steps.push(s, 2 * s, 5 * s, 10 * s, 15 * s, 30 * s);
  const mi = kMsPerMinute;
  steps.push(mi, 2 * mi, 5 * mi, 10 * mi, 15 * mi, 30 * mi);
  const h = kMsPerHour;
  steps.push(h, 2 * h, 3 * h, 6 * h, 12 * h);
  const d = kMsPerDay;
  steps.push(d, 2 * d, 7 * d, 14 * d, 28 * d, 91 * d, 364 * d);
  return steps;
})();

export interface Tick {
  readonly t: number;
  readonly label: string;
  // A day boundary: the label carries the date.
  readonly major: boolean;
}

export interface TickSet {
  readonly stepMs: number;
  readonly ticks: Tick[];
  // Minor subdivisions between ticks (for short marks without labels).
  readonly minorStepMs: number;
}

// The smallest step whose ticks are at least `minPx` apart.
export function chooseStep(spanMs: number, widthPx: number, minPx: number): number {
  if (!(spanMs > 0) || !(widthPx > 0)) return kTickStepsMs[kTickStepsMs.length - 1]!;
  const minStep = (spanMs / widthPx) * minPx;
  for (const step of kTickStepsMs) if (step >= minStep) return step;
  return kTickStepsMs[kTickStepsMs.length - 1]!;
}

// Digits of the second a label needs so that neighbours differ.
export function fractionDigitsFor(stepMs: number): number {
  if (stepMs >= 1000) return 0;
  if (stepMs >= 100) return 1;
  if (stepMs >= 10) return 2;
  if (stepMs >= 1) return 3;
  if (stepMs >= 0.1) return 4;
  if (stepMs >= 0.01) return 5;
  return 6;
}

export function tickLabel(t: number, stepMs: number): string {
  if (stepMs >= kMsPerDay) return formatDate(t);
  if (stepMs >= kMsPerMinute) return formatClock(t, 0).slice(0, 5);
  return formatClock(t, fractionDigitsFor(stepMs));
}

function minorFor(step: number): number {
  const s = String(step);
  if (step >= kMsPerDay) return step / (step % (7 * kMsPerDay) === 0 ? 7 : 4);
  if (step === 15 * 1000 || step === 15 * kMsPerMinute) return step / 3;
  if (step === 3 * kMsPerHour || step === 6 * kMsPerHour || step === 12 * kMsPerHour) return step / 6;
  return s.startsWith('2') ? step / 4 : step / 5;
}

// Ticks for [start, end] drawn on `widthPx` pixels, labels >= `minPx` apart.
// Ticks are aligned to the UTC day (so "13:00:00" rather than "13:00:03"),
// computed from a day-aligned base so sub-ms steps keep their precision.
export function chooseTicks(start: number, end: number, widthPx: number, minPx = 90): TickSet {
  const step = chooseStep(end - start, widthPx, minPx);
  const base = step >= kMsPerDay ? 0 : utcDayStart(start);
  const ticks: Tick[] = [];
  const first = Math.ceil((start - base) / step - 1e-9);
  const last = Math.floor((end - base) / step + 1e-9);
  const count = Math.min(last - first + 1, 10_000);
  for (let k = 0; k < count; k++) {
    const t = base + (first + k) * step;
    const major = step < kMsPerDay && utcDayStart(t) === t;
    ticks.push({ t, label: major ? formatDate(t) : tickLabel(t, step), major });
  }
  return { stepMs: step, ticks, minorStepMs: minorFor(step) };
}
