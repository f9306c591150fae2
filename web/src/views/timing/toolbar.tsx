// The timing diagram's toolbar: zoom in/out, presets, fit, start/end, zoom
// undo/redo, the typed-time jump, lane density, the focused lane's next/previous change and
// value search and the bookmark panel toggle; and the measurement readout
// (MeasureReadout), which floats in the tools row (tools_bar.tsx).

import { useState } from 'preact/hooks';
import type { SignalType } from '../../api/types';
import type { TimingController } from './controller';
import { kLaneHeights, splitKey } from './lanes';
import { formatDateTime, formatDuration, parseTypedTime } from './time_format';
import { fitAll, goToEnd, goToStart, kZoomPresetsMs, revealTime, span, zoomToSpan } from './viewport';

export interface ToolbarProps {
  ctl: TimingController;
  laneHeight: number;
  onLaneHeight: (px: number) => void;
  onNextChange: (dir: 1 | -1) => void;
  onSearchValue: (text: string, dir: 1 | -1) => void;
  focusType: SignalType | null;
  focusName: string | null;
  busy: string | null;
  /** What the last search found nothing of (not an error: shown here, not in the banner). */
  notice?: string | null;
  panelOpen: boolean;
  onTogglePanel: () => void;
}

export function TimingToolbar(p: ToolbarProps) {
  const { ctl } = p;
  const [timeText, setTimeText] = useState('');
  const [timeBad, setTimeBad] = useState(false);
  const [valueText, setValueText] = useState('');
  const view = ctl.viewSig.value;
  const hist = ctl.historySig.value;
  const s = span(view);

  const goTime = (): boolean => {
    const t = parseTypedTime(timeText, (view.start + view.end) / 2);
    if (t === null) {
      setTimeBad(true);
      return false;
    }
    setTimeBad(false);
    ctl.setCursor(t, true);
    ctl.navigate(revealTime(ctl.view, t, ctl.bounds, 0.45));
    return true;
  };

  return (
    <div class="tl-toolbar" data-testid="timing-toolbar">
      <div class="tl-group">
        <button class="btn small" title="Zoom out (-)" onClick={() => ctl.zoomCenter(2)} data-testid="zoom-out">
          −
        </button>
        <button class="btn small" title="Zoom in (+)" onClick={() => ctl.zoomCenter(0.5)} data-testid="zoom-in">
          +
        </button>
        {kZoomPresetsMs.map((z) => (
          <button
            key={z.label}
            class={`btn small ${Math.abs(s - z.ms) < z.ms * 0.01 ? 'on' : ''}`}
            title={`Show ${z.label}`}
            onClick={() => ctl.navigate(zoomToSpan(ctl.view, z.ms, ctl.bounds))}
          >
            {z.label}
          </button>
        ))}
        <button class="btn small" title="Fit all (F)" onClick={() => ctl.navigate(fitAll(ctl.bounds))} data-testid="fit-all">
          Fit
        </button>
        <button class="btn small" title="Go to start (Home)" onClick={() => ctl.navigate(goToStart(ctl.view, ctl.bounds))}>
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <path d="M2 2v8M10 2 4 6l6 4z" stroke="currentColor" fill="currentColor" stroke-width="1.4" />
          </svg>
        </button>
        <button class="btn small" title="Go to end (End)" onClick={() => ctl.navigate(goToEnd(ctl.view, ctl.bounds))}>
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <path d="M10 2v8M2 2l6 4-6 4z" stroke="currentColor" fill="currentColor" stroke-width="1.4" />
          </svg>
        </button>
      </div>
      <div class="tl-group">
        <button class="btn small" title="Undo zoom: back to the previous window (Ctrl+Z)" disabled={!hist.undo} onClick={() => ctl.undoZoom()} data-testid="zoom-undo">
          ↶
        </button>
        <button class="btn small" title="Redo zoom (Ctrl+Shift+Z)" disabled={!hist.redo} onClick={() => ctl.redoZoom()} data-testid="zoom-redo">
          ↷
        </button>
      </div>
      <div class="tl-group">
        <div class={`input-group tl-time ${timeBad ? 'invalid' : ''}`}>
          <input
            type="text"
            placeholder="Go to HH:MM:SS.mmm"
            value={timeText}
            data-testid="goto-time"
            title="Type a time and press Enter to jump there"
            onInput={(e) => {
              setTimeText((e.target as HTMLInputElement).value);
              setTimeBad(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && goTime()) (e.currentTarget as HTMLInputElement).blur();
            }}
          />
          <button class="toggle-btn" onClick={goTime} title="Jump">
            Go
          </button>
        </div>
      </div>
      <div class="tl-group" title={p.focusName ? `Focused lane: ${p.focusName}` : 'Click a lane to focus it'}>
        <span class="tl-label">{p.focusName ? splitKey(p.focusName).name : 'no lane'}</span>
        <button class="btn small" disabled={!p.focusName} title="Previous change (Shift+N)" onClick={() => p.onNextChange(-1)} data-testid="prev-change">
          ◂ change
        </button>
        <button class="btn small" disabled={!p.focusName} title="Next change (N)" onClick={() => p.onNextChange(1)} data-testid="next-change">
          change ▸
        </button>
        <div class="input-group tl-value">
          <input
            type="text"
            placeholder={p.focusType === 'boolean' ? 'true / false' : 'value'}
            value={valueText}
            disabled={!p.focusName}
            data-testid="value-search"
            title="Next time the focused lane takes this value"
            onInput={(e) => setValueText((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && valueText.trim()) p.onSearchValue(valueText, e.shiftKey ? -1 : 1);
            }}
          />
          <button class="toggle-btn" disabled={!p.focusName || !valueText.trim()} onClick={() => p.onSearchValue(valueText, -1)} title="Previous time">
            ◂
          </button>
          <button class="toggle-btn" disabled={!p.focusName || !valueText.trim()} onClick={() => p.onSearchValue(valueText, 1)} title="Next time" data-testid="value-next">
            ▸
          </button>
        </div>
        {p.busy && <span class="tl-busy">searching…</span>}
        {!p.busy && p.notice && (
          <span class="tl-notice" data-testid="timing-notice" role="status">
            {p.notice}
          </span>
        )}
      </div>
      <div class="tl-spacer" />
      <div class="tl-group">
        <span class="tl-range" title={`${formatDateTime(view.start)} – ${formatDateTime(view.end)}`} data-testid="view-range">
          {formatDuration(s)}
        </span>
        <select value={String(p.laneHeight)} title="Lane height" onChange={(e) => p.onLaneHeight(Number((e.target as HTMLSelectElement).value))} data-testid="lane-density">
          {kLaneHeights.map((h) => (
            <option key={h.px} value={String(h.px)}>
              {h.label}
            </option>
          ))}
        </select>
        <button class={`btn small ${p.panelOpen ? 'on' : ''}`} title="Bookmarks (Ctrl+Shift+B)" onClick={p.onTogglePanel} data-testid="bookmarks-toggle">
          ⚑ Bookmarks
        </button>
      </div>
    </div>
  );
}

// The finished measurement: its duration, the changes inside it, Zoom to
// and clear. It floats (absolutely placed, left of the tools row's export
// buttons), so that measuring never wraps a row or moves the plot.
export function MeasureReadout(p: { ctl: TimingController; counts: Map<string, number> | null; onClear: () => void }) {
  const measure = p.ctl.measureSig.value;
  if (!measure || !measure.done) return null;
  return (
    <div class="tl-group tl-measure" data-testid="measure-readout">
      <span title={`${formatDateTime(measure.a, 6)} → ${formatDateTime(measure.b, 6)}`}>
        Δ <b>{formatDuration(measure.b - measure.a)}</b>
      </span>
      {p.counts && <span class="muted">{[...p.counts.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US')} changes</span>}
      <button class="btn small" onClick={() => p.ctl.zoomToMeasure()} data-testid="zoom-measure">
        Zoom to
      </button>
      <button class="btn small ghost" title="Clear (Esc)" onClick={p.onClear}>
        ✕
      </button>
    </div>
  );
}
