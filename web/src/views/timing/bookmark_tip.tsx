// The full names of the bookmark flags under the mouse on the time axis (the
// axis may cut or hide a name that runs into the next flag: flag_labels.ts),
// with their times. Listens to the axis canvas itself.

import { useEffect, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { TimingController } from './controller';
import { flagsAt, type FlagLabel } from './flag_labels';
import { formatDateTime } from './time_format';

export function BookmarkTip(props: { ctl: TimingController; axisRef: RefObject<HTMLCanvasElement | null> }) {
  const [tip, setTip] = useState<{ left: number; top: number; flags: FlagLabel[] } | null>(null);

  useEffect(() => {
    const c = props.axisRef.current;
    if (!c) return;
    const move = (e: PointerEvent): void => {
      const r = c.getBoundingClientRect();
      const hits = flagsAt(props.ctl.flagLabels, e.clientX - r.left);
      c.style.cursor = hits.length > 0 ? 'help' : '';
      const box = c.closest('.tl')?.getBoundingClientRect();
      if (hits.length === 0 || !box) {
        setTip(null);
        return;
      }
      setTip({ left: Math.max(0, Math.min(r.left - box.left + hits[0]!.x, box.width - 380)), top: r.bottom - box.top + 2, flags: hits });
    };
    const leave = (): void => setTip(null);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerleave', leave);
    return () => {
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerleave', leave);
    };
  }, [props.ctl, props.axisRef]);

  if (!tip) return null;
  return (
    <div class="tl-tip tl-flagtip" style={{ left: `${tip.left}px`, top: `${tip.top}px` }} data-testid="bookmark-tip">
      {tip.flags.map((f) => (
        <div key={`${f.time}:${f.name}`}>
          <b>⚑ {f.name}</b> <span class="muted">{formatDateTime(f.time, 3)}</span>
        </div>
      ))}
    </div>
  );
}
