// The time slider under the lanes: the session's whole time range as a
// track, the shown range as a draggable thumb, bookmarks and the cursor as
// marks. Clicking the track centers the view there.

import { useRef } from 'preact/hooks';
import { bookmarks } from '../../state/bookmarks';
import type { TimingController } from './controller';
import { formatDateTime } from './time_format';
import { centerOn, panByTime, span } from './viewport';

export function TimeSlider(props: { ctl: TimingController }) {
  const { ctl } = props;
  const track = useRef<HTMLDivElement>(null);
  const view = ctl.viewSig.value;
  const b = ctl.bounds;
  const full = b.max - b.min || 1;
  const frac = (t: number): number => Math.min(1, Math.max(0, (t - b.min) / full));
  const left = frac(view.start);
  const width = Math.max(frac(view.end) - left, 0);
  const cursor = ctl.cursorSig.value;

  const timeAt = (clientX: number): number => {
    const r = track.current!.getBoundingClientRect();
    return b.min + ((clientX - r.left) / Math.max(1, r.width)) * full;
  };

  const onThumbDown = (e: PointerEvent): void => {
    e.stopPropagation();
    const el = e.currentTarget as HTMLElement;
    el.setPointerCapture(e.pointerId);
    const x0 = e.clientX;
    const start = ctl.view;
    const r = track.current!.getBoundingClientRect();
    const move = (ev: PointerEvent): void => {
      const dt = ((ev.clientX - x0) / Math.max(1, r.width)) * full;
      ctl.setView(panByTime(start, dt, ctl.bounds));
    };
    const up = (): void => {
      ctl.recordDrag(start);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };

  return (
    <div class="tl-slider" data-testid="time-slider">
      <span class="tl-slider-label">{formatDateTime(b.min, 0)}</span>
      <div class="tl-track" ref={track} onPointerDown={(e) => ctl.navigate(centerOn(ctl.view, timeAt(e.clientX), ctl.bounds))}>
        {bookmarks.value.map((bm) => (
          <span key={bm.id} class="tl-mark bookmark" style={{ left: `${frac(bm.time) * 100}%` }} title={bm.name} />
        ))}
        {cursor !== null && <span class="tl-mark cursor" style={{ left: `${frac(cursor) * 100}%` }} />}
        <div
          class="tl-thumb"
          style={{ left: `${left * 100}%`, width: `max(8px, ${width * 100}%)` }}
          title={`${formatDateTime(view.start)} – ${formatDateTime(view.end)} (${span(view).toFixed(0)} ms)`}
          onPointerDown={onThumbDown}
        />
      </div>
      <span class="tl-slider-label">{formatDateTime(b.max, 0)}</span>
    </div>
  );
}
