// Two panes stacked vertically with a drag handle between them (the
// Workspace: the timing diagram over the log table). The handle drags with
// the mouse, moves by keys (↑ ↓, Shift for bigger steps) and resets on a
// double click; the caller owns the ratio and its bounds.

import { useRef } from 'preact/hooks';
import { useElementHeight } from './element_height';
import type { ComponentChildren } from 'preact';

const kHandlePx = 7;

export function SplitPane(props: {
  /** The top pane's share of the height, 0..1. */
  ratio: number;
  onRatio: (r: number) => void;
  /** The ratio kept in bounds for a split of totalPx. */
  clamp: (r: number, totalPx: number) => number;
  /** The ratio a double click on the handle restores. */
  defaultRatio: number;
  top: ComponentChildren;
  bottom: ComponentChildren;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const height = useElementHeight(ref);
  const drag = useRef<{ y0: number; r0: number; h: number } | null>(null);


  // The panes share the height less the handle's.
  const panes = Math.max(0, height - kHandlePx);
  const r = props.clamp(props.ratio, panes);
  const set = (v: number): void => props.onRatio(props.clamp(v, panes));

  return (
    <div class="split" ref={ref} style={{ gridTemplateRows: `minmax(0, ${r}fr) ${kHandlePx}px minmax(0, ${1 - r}fr)` }}>
      <div class="split-pane" data-testid="split-top">
        {props.top}
      </div>
      <div
        class="split-handle"
        role="separator"
        aria-orientation="horizontal"
        aria-label={props.label}
        aria-valuenow={Math.round(r * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
        tabIndex={0}
        title={`${props.label}: drag to resize, double-click to reset`}
        data-testid="split-handle"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
          drag.current = { y0: e.clientY, r0: r, h: panes };
          e.preventDefault();
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (d && d.h > 0) set(d.r0 + (e.clientY - d.y0) / d.h);
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
        onDblClick={() => set(props.defaultRatio)}
        onKeyDown={(e) => {
          const step = e.shiftKey ? 0.1 : 0.02;
          if (e.key === 'ArrowUp') set(r - step);
          else if (e.key === 'ArrowDown') set(r + step);
          else return;
          e.preventDefault();
        }}
      >
        <span class="split-grip" />
      </div>
      <div class="split-pane" data-testid="split-bottom">
        {props.bottom}
      </div>
    </div>
  );
}
