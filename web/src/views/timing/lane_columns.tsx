// The DOM columns beside the lane canvas: lane names (device group headers
// that collapse, lanes that can be dragged to reorder or removed) and the
// value of every lane at the cursor. Only the rows near the visible part are
// rendered (vertical virtualization); rows are positioned absolutely at
// their layout offsets so they line up with the canvas.

import { useState } from 'preact/hooks';
import type { ReadonlySignal } from '@preact/signals';
import { removeSelectedSignals, selectedSignals } from '../../state/selection';
import { kTypeTags } from '../../widgets/signal_sidebar';
import type { LaneValue } from './controller';
import { moveKey, type Row } from './lanes';

export function LaneNames(props: {
  rows: readonly Row[];
  focus: string | null;
  onFocus: (key: string) => void;
  onToggleGroup: (device: string) => void;
  /** Right click on a lane's name: its context menu at (x, y). */
  onMenu: (key: string, x: number, y: number) => void;
  /** A lane's shown name (its alias, else the signal name). */
  nameOf: (key: string, name: string) => string;
}) {
  const [dragKey, setDragKey] = useState<string | null>(null);
  const [overKey, setOverKey] = useState<string | null>(null);
  return (
    <div class="tl-names" data-testid="lane-names">
      {props.rows.map((r) =>
        r.kind === 'group' ? (
          <div
            key={`g:${r.device}`}
            class="tl-grouprow"
            style={{ top: `${r.top}px`, height: `${r.height}px` }}
            title={r.device}
            onClick={() => props.onToggleGroup(r.device)}
            data-testid="lane-group"
          >
            <span class={`caret ${r.collapsed ? '' : 'open'}`}>▸</span>
            <span class="tl-device">{r.device || '(no device)'}</span>
            <span class="count">{r.lanes}</span>
          </div>
        ) : (
          <div
            key={`l:${r.key}`}
            class={`tl-lanerow ${props.focus === r.key ? 'focused' : ''} ${overKey === r.key && dragKey !== r.key ? 'drop' : ''}`}
            style={{ top: `${r.top}px`, height: `${r.height}px` }}
            title={props.nameOf(r.key, r.name) !== r.name ? `${props.nameOf(r.key, r.name)} (${r.key})` : r.key}
            draggable
            data-key={r.key}
            data-testid="lane-name"
            onClick={() => props.onFocus(r.key)}
            onContextMenu={(e) => {
              e.preventDefault();
              props.onFocus(r.key);
              props.onMenu(r.key, e.clientX, e.clientY);
            }}
            onDragStart={(e) => {
              setDragKey(r.key);
              e.dataTransfer?.setData('text/plain', r.key);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOverKey(r.key);
            }}
            onDragLeave={() => setOverKey(null)}
            onDrop={(e) => {
              e.preventDefault();
              const key = dragKey ?? e.dataTransfer?.getData('text/plain') ?? null;
              if (key && key !== r.key) selectedSignals.value = moveKey(selectedSignals.value, key, r.key);
              setDragKey(null);
              setOverKey(null);
            }}
            onDragEnd={() => {
              setDragKey(null);
              setOverKey(null);
            }}
          >
            <span class="tl-grip" aria-hidden="true">⋮⋮</span>
            <span class={`type-tag t-${r.type}`}>{kTypeTags[r.type]}</span>
            <span class={`tl-signal ${props.nameOf(r.key, r.name) !== r.name ? 'alias' : ''}`}>{props.nameOf(r.key, r.name)}</span>
            <button
              class="tl-remove"
              title="Remove this lane"
              onClick={(e) => {
                e.stopPropagation();
                removeSelectedSignals([r.key]);
              }}
            >
              ✕
            </button>
          </div>
        ),
      )}
    </div>
  );
}

export function LaneValues(props: {
  rows: readonly Row[];
  values: ReadonlySignal<ReadonlyMap<string, LaneValue>>;
  counts: Map<string, number> | null;
  focus: string | null;
}) {
  const values = props.values.value;
  return (
    <div class="tl-values" data-testid="lane-values">
      {props.rows.map((r) =>
        r.kind === 'group' ? (
          <div key={`g:${r.device}`} class="tl-valgroup" style={{ top: `${r.top}px`, height: `${r.height}px` }} />
        ) : (
          <div
            key={`l:${r.key}`}
            class={`tl-valrow ${props.focus === r.key ? 'focused' : ''}`}
            style={{ top: `${r.top}px`, height: `${r.height}px` }}
            data-key={r.key}
            data-testid="lane-value"
          >
            <span class="tl-val" title={values.get(r.key)?.text}>
              {values.get(r.key)?.text ?? ''}
            </span>
            {props.counts && props.counts.has(r.key) && (
              <span class="tl-count" title="Changes inside the measured range" data-testid="lane-count">
                {props.counts.get(r.key)!.toLocaleString('en-US')} Δ
              </span>
            )}
          </div>
        ),
      )}
    </div>
  );
}
