// Upload logic of the Home view: the queue items' state machine, the choice
// to gzip in the browser (with its progress: bytes of the file read into the
// compressor), and progress figures (speed, time left). The view renders
// UploadItem signals; network calls go through api/.

import { signal, type Signal } from '@preact/signals';
import { api, isAbortError } from '../../api/client';
import { formatBytes, formatDuration } from '../../base/format';
import type { FileInfo } from '../../api/types';

export type UploadState = 'queued' | 'compressing' | 'uploading' | 'done' | 'error' | 'cancelled';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: UploadState;
  /**
   * Bytes of the body sent so far, and its total (compressed size when
   * gzip); while compressing, bytes of the file read into the compressor and
   * the file's size.
   */
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

export interface CompressProgress {
  /** Whole percent of the file read, 0..100 (100 only when all of it is read). */
  percent: number;
  /** Mean rate since the start, bytes of the file per second (0 in the first 250 ms: the first chunk's wait is no rate). */
  bytesPerSec: number;
  secondsLeft: number | null;
}

/** Whole percent of `total` that `read` is, 0..100 (100 only when all of it is read). */
function wholePercent(read: number, total: number): number {
  return total > 0 ? Math.floor((Math.max(0, Math.min(read, total)) * 100) / total) : 0;
}

/** Progress of compressing a file of `total` bytes of which `read` went into the compressor. */
export function compressProgress(read: number, total: number, startMs: number, nowMs: number): CompressProgress {
  const done = Math.max(0, Math.min(read, total));
  const percent = wholePercent(done, total);
  const dt = (nowMs - startMs) / 1000;
  const bytesPerSec = dt >= 0.25 ? done / dt : 0;
  return { percent, bytesPerSec, secondsLeft: bytesPerSec > 0 ? (total - done) / bytesPerSec : null };
}

/** The queue row's line while compressing: "Compressing (gzip) 42% · 120 MB of 286 MB · 36 MB/s · 4.4 s left". */
export function compressDetail(read: number, total: number, bytesPerSec: number, secondsLeft: number | null): string {
  let s = `Compressing (gzip) ${wholePercent(read, total)}% · ${formatBytes(read)} of ${formatBytes(total)}`;
  if (bytesPerSec > 0) s += ` · ${formatBytes(bytesPerSec)}/s`;
  if (secondsLeft !== null) s += ` · ${formatDuration(secondsLeft * 1000)} left`;
  return s;
}

/** At most this often the queue row is repainted while compressing, and a frame let through. */
const kCompressPaintMs = 100;

/**
 * Gzips `blob` as a stream, calling `onRead` with the bytes of it read into
 * the compressor so far (after every chunk). Aborting `signal` stops reading
 * at once and rejects with an AbortError.
 */
async function gzipBlob(blob: Blob, onRead: (read: number) => void, signal: AbortSignal): Promise<Blob> {
  let read = 0;
  let lastYield = performance.now();
  const counter = new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
    async transform(chunk, ctl) {
      read += chunk.byteLength;
      onRead(read);
      ctl.enqueue(chunk);
      // Every kCompressPaintMs a frame is let through before the next chunk:
      // without it the page ran its frame callbacks but showed no new frame
      // until the compressor was done (seen in Chromium's screencast).
      const now = performance.now();
      if (now - lastYield >= kCompressPaintMs) {
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        lastYield = performance.now();
      }
    },
  });
  try {
    const stream = blob.stream().pipeThrough(counter, { signal }).pipeThrough(new CompressionStream('gzip'), { signal });
    // Chunks gathered here and made one Blob at the end: Response.blob() on
    // the stream held the page for most of a second after the last chunk.
    const parts: Uint8Array<ArrayBuffer>[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    return new Blob(parts, { type: 'application/gzip' });
  } catch (e) {
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    throw e;
  }
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
      const t0 = performance.now();
      let painted = -Infinity;
      body = await gzipBlob(
        blob,
        (read) => {
          const now = performance.now();
          if (now - painted < kCompressPaintMs && read < blob.size) return;
          painted = now;
          const p = compressProgress(read, blob.size, t0, now);
          set({ loaded: read, bytesPerSec: p.bytesPerSec, secondsLeft: p.secondsLeft });
        },
        signal,
      );
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
      set({ state: 'uploading', loaded: 0, total: body.size, bytesPerSec: 0, secondsLeft: null });
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
