// Image exports of the timing diagram: the visible lanes over the visible
// window with their names and the time axis, as SVG (vectors, built from the
// last frame's lane models by svg_export.ts) or PNG (the axis and plot
// canvases as drawn, with the names column drawn beside them). Browser only.

import { saveBlob } from '../../base/download';
import type { TimingTheme } from './colors';
import type { TimingController } from './controller';
import { buildSvg, exportFileName, kTypeColor, kTypeTag, type Scene } from './svg_export';
import { formatDateTime } from './time_format';

export type ImageKind = 'png' | 'svg';

const kNamesWidth = 230;

function namesWidth(): number {
  const el = document.querySelector('[data-testid=lane-names]');
  const w = el ? el.getBoundingClientRect().width : 0;
  return w > 0 ? Math.round(w) : kNamesWidth;
}

function drawNames(ctx: CanvasRenderingContext2D, scene: Scene, theme: TimingTheme, nw: number): void {
  const ah = scene.axisHeight;
  ctx.fillStyle = theme.axisBg;
  ctx.fillRect(0, 0, nw, ah);
  ctx.fillStyle = theme.separator;
  ctx.fillRect(0, ah - 1, nw, 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, ah, nw - 1, scene.lanesHeight);
  ctx.clip();
  ctx.translate(0, ah);
  ctx.textBaseline = 'middle';
  for (const g of scene.groups) {
    ctx.fillStyle = theme.groupBg;
    ctx.fillRect(0, g.top, nw, g.height);
    const y = g.top + g.height / 2;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = theme.muted;
    ctx.fillText(g.collapsed ? '▸' : '▾', 8, y);
    ctx.textAlign = 'right';
    ctx.fillText(String(g.lanes), nw - 8, y);
    ctx.textAlign = 'left';
    ctx.font = '600 11.5px system-ui, sans-serif';
    ctx.fillStyle = theme.text;
    ctx.fillText(g.device || '(no device)', 22, y);
  }
  for (const l of scene.lanes) {
    ctx.fillStyle = theme.background;
    if (l.focused) ctx.fillStyle = theme.laneFocus;
    else if (l.index % 2 === 1) ctx.fillStyle = theme.laneAlt;
    ctx.fillRect(0, l.top, nw, l.height);
    const y = l.top + l.height / 2;
    const tag = kTypeTag[l.type];
    const tagW = tag.length * 6 + 8;
    ctx.fillStyle = theme.axisBg;
    ctx.strokeStyle = theme.separator;
    ctx.beginPath();
    ctx.roundRect(8.5, Math.round(y - 7) + 0.5, tagW, 14, 3);
    ctx.fill();
    ctx.stroke();
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = kTypeColor[l.type];
    ctx.textAlign = 'center';
    ctx.fillText(tag, 8.5 + tagW / 2, y + 0.5);
    ctx.textAlign = 'left';
    ctx.font = '12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
    ctx.fillStyle = theme.text;
    ctx.fillText(l.name, 14 + tagW, y + 0.5);
    ctx.fillStyle = theme.separator;
    ctx.fillRect(0, Math.round(l.top + l.height) - 1, nw, 1);
  }
  ctx.restore();
  ctx.fillStyle = theme.separator;
  ctx.fillRect(nw - 1, 0, 1, ah + scene.lanesHeight);
}

function png(scene: Scene, theme: TimingTheme, plot: HTMLCanvasElement, axis: HTMLCanvasElement, nw: number): Promise<Blob> {
  const dpr = plot.width / Math.max(1, plot.clientWidth);
  const W = nw + scene.plotWidth;
  const H = scene.axisHeight + scene.lanesHeight;
  const c = document.createElement('canvas');
  c.width = Math.round(W * dpr);
  c.height = Math.round(H * dpr);
  const ctx = c.getContext('2d');
  if (!ctx) return Promise.reject(new Error('This browser cannot draw the PNG (no 2D canvas).'));
  ctx.scale(dpr, dpr);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, W, H);
  // The canvases as drawn (device pixels), cut to the plot's width and the lanes' height.
  const adpr = axis.width / Math.max(1, axis.clientWidth);
  ctx.drawImage(axis, 0, 0, Math.min(axis.width, scene.plotWidth * adpr), axis.height, nw, 0, Math.min(axis.clientWidth, scene.plotWidth), scene.axisHeight);
  if (scene.lanesHeight > 0) ctx.drawImage(plot, 0, 0, plot.width, Math.round(scene.lanesHeight * dpr), nw, scene.axisHeight, scene.plotWidth, scene.lanesHeight);
  drawNames(ctx, scene, theme, nw);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png'));
}

/**
 * Downloads the diagram as it is drawn now (after the next frame, so that
 * the lane models match the window). `name`: the session's name, for the
 * file name and the SVG's title.
 */
export function exportImage(ctl: TimingController, kind: ImageKind, name: string, onError: (e: unknown) => void): void {
  ctl.whenDrawn(() => {
    const d = ctl.drawn();
    if (!d) {
      onError('Open the timing diagram to export it.');
      return;
    }
    const { scene, theme } = d;
    const nw = namesWidth();
    const file = exportFileName(name, scene.view, kind);
    if (kind === 'svg') {
      const title = `${name || 'plcscope'}: ${formatDateTime(scene.view.start, 3)} – ${formatDateTime(scene.view.end, 3)}`;
      const measure = document.createElement('canvas').getContext('2d');
      if (measure) measure.font = '11.5px ui-monospace, "SF Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
      const svg = buildSvg(scene, theme, { namesWidth: nw, title, textWidth: measure ? (s) => measure.measureText(s).width : undefined });
      saveBlob(new Blob([svg], { type: 'image/svg+xml' }), file);
      return;
    }
    png(scene, theme, d.plot, d.axis, nw).then((b) => saveBlob(b, file), onError);
  }, 5000);
}
