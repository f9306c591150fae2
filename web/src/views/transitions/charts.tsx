// SVG charts of the Transitions view: a histogram of durations and a trend
// of duration over time (raw points, moving average, or time buckets).
// Stateless components; the math is in stats.ts.

import { formatMs } from '../../base/format';
import { formatDuration, histogram, movingAverage, timeBuckets } from './stats';

const W = 520;
const H = 180;
const PAD = { l: 56, r: 10, t: 10, b: 26 };

export function Histogram({ durations, target }: { durations: number[]; target?: number }) {
  const bins = histogram(durations, 30);
  if (bins.length === 0) return <div class="tr-empty">No intervals.</div>;
  const maxCount = Math.max(...bins.map((b) => b.count));
  const lo = bins[0]!.lo;
  const hi = bins[bins.length - 1]!.hi;
  const span = hi - lo || 1;
  const x = (v: number) => PAD.l + ((v - lo) / span) * (W - PAD.l - PAD.r);
  const bw = (W - PAD.l - PAD.r) / bins.length;
  const y = (c: number) => H - PAD.b - (c / maxCount) * (H - PAD.t - PAD.b);
  return (
    <svg class="tr-chart" viewBox={`0 0 ${W} ${H}`} data-testid="tr-histogram">
      {bins.map((b, i) => (
        <rect
          key={i}
          x={PAD.l + i * bw + 0.5}
          y={y(b.count)}
          width={Math.max(1, bw - 1)}
          height={H - PAD.b - y(b.count)}
          class="tr-bar"
        >
          <title>{`${formatDuration(b.lo)} – ${formatDuration(b.hi)}: ${b.count}`}</title>
        </rect>
      ))}
      {target !== undefined && target >= lo && target <= hi && (
        <line x1={x(target)} x2={x(target)} y1={PAD.t} y2={H - PAD.b} class="tr-target" />
      )}
      <Axis lo={lo} hi={hi} fmt={formatDuration} />
      <text x={4} y={PAD.t + 8} class="tr-axis-label">{maxCount}</text>
    </svg>
  );
}

export type TrendMode = 'raw' | 'moving' | 'buckets';

export function Trend({
  starts,
  durations,
  mode,
  target,
  onPick,
}: {
  starts: number[];
  durations: number[];
  mode: TrendMode;
  target?: number;
  onPick?: (t: number) => void;
}) {
  if (starts.length === 0) return <div class="tr-empty">No intervals.</div>;
  const t0 = starts[0]!;
  const t1 = starts[starts.length - 1]!;
  const tspan = t1 - t0 || 1;
  let vmin = Math.min(...durations);
  let vmax = Math.max(...durations);
  if (target !== undefined) {
    vmin = Math.min(vmin, target);
    vmax = Math.max(vmax, target);
  }
  const vspan = vmax - vmin || 1;
  const x = (t: number) => PAD.l + ((t - t0) / tspan) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - ((v - vmin) / vspan) * (H - PAD.t - PAD.b);
  let path = '';
  if (mode === 'raw') {
    // One point per interval, drawn as a tiny segment: a single path keeps
    // tens of thousands of intervals cheap.
    for (let i = 0; i < starts.length; i++) {
      const px = x(starts[i]!).toFixed(1);
      const py = y(durations[i]!).toFixed(1);
      path += `M${px} ${py}h0.5`;
    }
  } else if (mode === 'moving') {
    const avg = movingAverage(durations, Math.max(5, Math.round(starts.length / 50)));
    for (let i = 0; i < starts.length; i++) {
      path += `${i === 0 ? 'M' : 'L'}${x(starts[i]!).toFixed(1)} ${y(avg[i]!).toFixed(1)}`;
    }
  } else {
    const buckets = timeBuckets(starts, durations, t0, t1, 60);
    buckets.forEach((b, i) => {
      const mx = x((b.start + b.end) / 2).toFixed(1);
      path += `${i === 0 ? 'M' : 'L'}${mx} ${y(b.mean).toFixed(1)}`;
    });
    for (const b of buckets) {
      const mx = x((b.start + b.end) / 2).toFixed(1);
      path += `M${mx} ${y(b.min).toFixed(1)}V${y(b.max).toFixed(1)}`;
    }
  }
  const onClick = (e: MouseEvent) => {
    if (!onPick) return;
    const svg = e.currentTarget as SVGSVGElement;
    const r = svg.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * W;
    onPick(t0 + ((px - PAD.l) / (W - PAD.l - PAD.r)) * tspan);
  };
  return (
    <svg class="tr-chart" viewBox={`0 0 ${W} ${H}`} onClick={onClick} data-testid="tr-trend">
      {target !== undefined && <line x1={PAD.l} x2={W - PAD.r} y1={y(target)} y2={y(target)} class="tr-target" />}
      <path d={path} class={mode === 'raw' ? 'tr-points' : 'tr-line'} />
      <text x={4} y={PAD.t + 8} class="tr-axis-label">{formatDuration(vmax)}</text>
      <text x={4} y={H - PAD.b} class="tr-axis-label">{formatDuration(vmin)}</text>
      <Axis lo={t0} hi={t1} fmt={(t) => formatMs(t).slice(11, 19)} />
    </svg>
  );
}

function Axis({ lo, hi, fmt }: { lo: number; hi: number; fmt: (v: number) => string }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <g class="tr-axis">
      <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} />
      {ticks.map((f) => {
        const px = PAD.l + f * (W - PAD.l - PAD.r);
        return (
          <text key={f} x={px} y={H - 8} text-anchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}>
            {fmt(lo + f * (hi - lo))}
          </text>
        );
      })}
    </g>
  );
}
