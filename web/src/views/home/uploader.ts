// Upload logic of the Home view: the queue items' state machine, the choice
// to gzip in the browser, and progress figures (speed, time left). The view
// renders UploadItem signals; network calls go through api/.

import { signal, type Signal } from '@preact/signals';
import { api, isAbortError } from '../../api/client';
import type { FileInfo } from '../../api/types';

export type UploadState = 'queued' | 'compressing' | 'uploading' | 'done' | 'error' | 'cancelled';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: UploadState;
  /** Bytes of the body sent so far, and its total (compressed size when gzip). */
  loaded: number;
  total: number;
  gzip: boolean;
  bytesPerSec: number;
  secondsLeft: number | null;
  error: string | null;
  file: FileInfo | null;
}

export type CompressMode = 'auto' | 'on' | 'off';

/** Files smaller than this are never worth compressing. */
export const kCompressMinBytes = 8 * 1024 * 1024;

/**
 * True when gzip in the browser should pay off: a big, not already
 * compressed file, and a server that is not on this machine (on loopback the
 * raw upload is faster than CompressionStream). `mode` forces either way.
 */
export function shouldCompress(name: string, size: number, host: string, mode: CompressMode, hasCompressionStream: boolean): boolean {
  if (!hasCompressionStream || mode === 'off') return false;
  if (/\.(gz|gzip|zst|zstd|zip|bz2|xz|7z)$/i.test(name)) return false;
  if (mode === 'on') return size > 0;
  if (size < kCompressMinBytes) return false;
  return !isLoopbackHost(host);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h.endsWith('.localhost');
}

/** Smooths the transfer speed (exponential moving average of samples). */
export class SpeedMeter {
  private lastT: number | null = null;
  private lastBytes = 0;
  bytesPerSec = 0;

  sample(bytes: number, nowMs: number): number {
    if (this.lastT === null) {
      this.lastT = nowMs;
      this.lastBytes = bytes;
      return this.bytesPerSec;
    }
    const dt = (nowMs - this.lastT) / 1000;
    if (dt < 0.2) return this.bytesPerSec;
    const inst = (bytes - this.lastBytes) / dt;
    this.bytesPerSec = this.bytesPerSec === 0 ? inst : 0.7 * this.bytesPerSec + 0.3 * inst;
    this.lastT = nowMs;
    this.lastBytes = bytes;
    return this.bytesPerSec;
  }

  /** Seconds until `remaining` bytes are sent at the current speed, or null. */
  secondsLeft(remaining: number): number | null {
    return this.bytesPerSec > 0 ? remaining / this.bytesPerSec : null;
  }
}

let nextKey = 1;

export function newItem(name: string, size: number): Signal<UploadItem> {
  return signal<UploadItem>({
    key: `u${nextKey++}`,
    name,
    size,
    state: 'queued',
    loaded: 0,
    total: size,
    gzip: false,
    bytesPerSec: 0,
    secondsLeft: null,
    error: null,
    file: null,
  });
}

async function gzipBlob(blob: Blob): Promise<Blob> {
  const stream = blob.stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

/**
 * Uploads one blob, updating `item` as it goes. Resolves with the FileInfo,
 * or null when it failed (item.error says why) or was cancelled.
 */
export async function runUpload(
  item: Signal<UploadItem>,
  blob: Blob,
  mode: CompressMode,
  signal: AbortSignal,
): Promise<FileInfo | null> {
  const set = (patch: Partial<UploadItem>) => (item.value = { ...item.value, ...patch });
  const meter = new SpeedMeter();
  try {
    const gzip = shouldCompress(item.value.name, blob.size, location.hostname, mode, typeof CompressionStream !== 'undefined');
    let body = blob;
    set({ state: gzip ? 'compressing' : 'uploading', gzip, error: null, loaded: 0, total: blob.size, bytesPerSec: 0, secondsLeft: null });
    if (gzip) {
      body = await gzipBlob(blob);
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
      set({ state: 'uploading', total: body.size });
    }
    const info = await api.uploadRaw(item.value.name, body, {
      gzip,
      signal,
      onProgress: (p) => {
        const bps = meter.sample(p.loaded, performance.now());
        set({ loaded: p.loaded, total: p.total || body.size, bytesPerSec: bps, secondsLeft: meter.secondsLeft((p.total || body.size) - p.loaded) });
      },
    });
    set({ state: 'done', loaded: body.size, file: info, secondsLeft: 0 });
    return info;
  } catch (e) {
    if (isAbortError(e)) set({ state: 'cancelled', error: 'Cancelled.' });
    else set({ state: 'error', error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}
