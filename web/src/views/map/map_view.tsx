// The Map view (docs/ui.md "Map"): a layout drawn in SVG with pan and zoom, unit
// colors from the rules at the playback time, carriers placed by their
// CurrentLocation at that time, playback with speeds and bookmarks, unit
// details, and sync with the other views' time. The parts: map_state.ts (the
// view's signals and metadata), map_feed.ts (unit colours from /map/state and
// carrier windows from /map/carriers/changes, replayed locally, so a frame
// never waits for the network), map_renderer.ts and map_canvas.tsx (drawing),
// map_controller.ts (frame loop, transform, input), and the toolbar, playback
// bar and details panel. This component wires them to the DOM.

import { useEffect, useRef } from 'preact/hooks';
import { isAbortError } from '../../api/client';
import { cursorTime } from '../../state/selection';
import { registerShortcuts } from '../../state/shortcuts';
import { showError } from '../../state/ui';
import { DetailsPanel } from './details_panel';
import { StaticLayer } from './map_canvas';
import { MapController } from './map_controller';
import { badges, model, playTime, range, refreshMeta, selectedUnit, loadUnitDetails, applyDemoCarriers } from './map_state';
import { sessionId } from '../../state/session';
import { Toolbar } from './map_toolbar';
import { PlaybackBar } from './playback_bar';
import './map.css';

registerShortcuts([
  { keys: 'Space', action: 'Play / pause', scope: 'Map' },
  { keys: '← / →', action: 'Back / forward 10 s', scope: 'Map' },
  { keys: 'Wheel, drag', action: 'Zoom at the mouse, pan', scope: 'Map' },
]);

export function MapView() {
  const svgRef = useRef<SVGSVGElement>(null);
  const worldRef = useRef<SVGGElement>(null);
  const staticRef = useRef<SVGGElement>(null);
  const ctlRef = useRef<MapController | null>(null);
  ctlRef.current ??= new MapController(svgRef, worldRef);
  const ctl = ctlRef.current;
  const m = model.value;

  // Metadata once.
  useEffect(() => {
    const abort = new AbortController();
    refreshMeta(abort.signal).catch((e) => !isAbortError(e) && showError(e));
    return () => abort.abort();
  }, []);

  // The demo's carrier log once the demo session is known (it may open after the view).
  const sid = sessionId.value;
  useEffect(() => {
    const abort = new AbortController();
    applyDemoCarriers(abort.signal).catch((e) => !isAbortError(e) && showError(e));
    return () => abort.abort();
  }, [sid]);

  // Playback range.
  useEffect(() => {
    const r = range.value;
    if (r) ctl.setRange(r[0], r[1]);
  }, [range.value?.[0], range.value?.[1]]);

  // Follow the other views' time (Sync on, not playing).
  useEffect(() => ctl.followCursor(cursorTime.value), [cursorTime.value]);

  // New layout: collect DOM handles, fit.
  useEffect(() => {
    if (m && staticRef.current) ctl.attachLayout(staticRef.current);
  }, [m]);

  // Unit details follow the selection and the time (at most every 500 ms).
  useEffect(() => {
    const id = selectedUnit.value;
    return id ? loadUnitDetails(id) : undefined;
  }, [selectedUnit.value, Math.floor(playTime.value / 1000)]);

  // The frame loop.
  useEffect(() => ctl.start(), []);

  useEffect(() => {
    window.addEventListener('keydown', ctl.onKey);
    return () => window.removeEventListener('keydown', ctl.onKey);
  }, []);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    svg.addEventListener('wheel', ctl.onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', ctl.onWheel);
  }, [svgRef.current]);

  return (
    <div class="mv-view">
      <Toolbar onFit={() => ctl.fit()} onReset={() => ctl.reset()} />
      <div class="mv-body">
        <div class="mv-canvas">
          {!m && <div class="mv-empty">No map loaded: pick a default map and press “Load map”, or upload a layout XML.</div>}
          <svg
            ref={svgRef}
            class="mv-svg"
            data-testid="mv-svg"
            onPointerDown={ctl.onPointerDown}
            onPointerMove={ctl.onPointerMove}
            onPointerUp={ctl.onPointerUp}
          >
            <g ref={worldRef}>
              <g ref={staticRef}>{m && <StaticLayer model={m} />}</g>
              <g class="mv-carriers">
                {badges.value.map((b) => (
                  <g key={b.unitId} class={`mv-badge${b.followed ? ' mv-followed' : ''}`} data-badge={b.unitId} data-carriers={b.ids.join(' ')}>
                    <circle cx={b.x} cy={b.y} r={b.followed ? 9 : 7} />
                    <text x={b.x} y={b.y + 3.5}>{b.ids.length}</text>
                    <title>{b.ids.join('\n')}</title>
                  </g>
                ))}
              </g>
            </g>
          </svg>
        </div>
        <DetailsPanel />
      </div>
      <PlaybackBar onSeek={(t) => ctl.seek(t)} onPlay={() => ctl.togglePlay()} />
    </div>
  );
}
