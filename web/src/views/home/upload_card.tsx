// The upload card: drop zone (click, drag and drop, paste of files or text),
// single or multi-file mode, per-file progress (bytes, speed, time left),
// in-browser gzip when it pays off (its own progress: percent of the file
// read, speed, time left; cancellable), retry on failure, merged open.

import type { Signal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { activeTab } from '../../state/tabs';
import { parseAndOpen } from '../../state/lifecycle';
import { formatBytes, formatDuration } from '../../base/format';
import { compressDetail, newItem, runUpload, type CompressMode, type UploadItem } from './uploader';
import { refreshRecent } from './recent_files';

interface QueueEntry {
  item: Signal<UploadItem>;
  blob: Blob;
  ctl: AbortController | null;
}

export function UploadCard() {
  const [multi, setMulti] = useState(false);
  const [compress, setCompress] = useState<CompressMode>('auto');
  const [queue, setQueue] = useState<QueueEntry[]>([]);
  const [over, setOver] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const multiRef = useRef(multi);
  multiRef.current = multi;

  const start = async (q: QueueEntry) => {
    q.ctl?.abort();
    q.ctl = new AbortController();
    const info = await runUpload(q.item, q.blob, compress, q.ctl.signal);
    void refreshRecent();
    if (info && !multiRef.current) await parseAndOpen([info.id]);
  };

  const addBlobs = (blobs: { blob: Blob; name: string }[]) => {
    if (blobs.length === 0) return;
    const list = multiRef.current ? blobs : blobs.slice(0, 1);
    const entries = list.map(({ blob, name }) => ({ item: newItem(name, blob.size), blob, ctl: null }));
    setQueue((old) => (multiRef.current ? [...old, ...entries] : entries));
    void (async () => {
      for (const q of entries) await start(q);
    })();
  };

  const addFiles = (files: FileList | File[] | null | undefined) => {
    if (!files) return;
    addBlobs([...files].map((f) => ({ blob: f, name: f.name })));
  };

  // Paste of files or text while Home is shown.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (activeTab.peek() !== 'home') return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
      const files = e.clipboardData?.files;
      if (files && files.length > 0) {
        e.preventDefault();
        addFiles(files);
        return;
      }
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text.trim()) {
        e.preventDefault();
        const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
        addBlobs([{ blob: new Blob([text], { type: 'text/plain' }), name: `pasted-${stamp}.log` }]);
      }
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);

  // A new mode starts a new queue; uploads still running stay listed.
  const switchMode = (m: boolean) => {
    if (m === multi) return;
    setMulti(m);
    setQueue((old) => old.filter((q) => q.item.value.state === 'uploading' || q.item.value.state === 'compressing'));
  };

  const done = queue.filter((q) => q.item.value.state === 'done' && q.item.value.file);
  return (
    <section class="card upload-card">
      <div class="card-head">
        <h3>Open log files</h3>
        <div class="seg" role="radiogroup" aria-label="Upload mode">
          <button class={!multi ? 'on' : ''} onClick={() => switchMode(false)} data-testid="mode-single">
            Single file
          </button>
          <button class={multi ? 'on' : ''} onClick={() => switchMode(true)} data-testid="mode-multi">
            Merge several
          </button>
        </div>
      </div>
      <div
        class={`drop-zone ${over ? 'over' : ''}`}
        data-testid="drop-zone"
        tabIndex={0}
        role="button"
        onClick={() => inputRef.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && inputRef.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          addFiles(e.dataTransfer?.files);
        }}
      >
        <svg width="34" height="34" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v3.5A1.5 1.5 0 005.5 20h13a1.5 1.5 0 001.5-1.5V15" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round" />
        </svg>
        <div class="drop-title">Drop {multi ? 'log files' : 'a log file'} here, click to choose, or paste</div>
        <div class="muted small">PLC debug traces (bracketed or tab-separated), signal CSV, MCS carrier logs; .gz and .zst are read as they are</div>
        <input
          ref={inputRef}
          type="file"
          multiple={multi}
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const el = e.target as HTMLInputElement;
            addFiles(el.files);
            el.value = '';
          }}
        />
      </div>
      <div class="upload-options">
        <label class="small">
          Compress in the browser
          <select value={compress} onChange={(e) => setCompress((e.target as HTMLSelectElement).value as CompressMode)}>
            <option value="auto">when faster (remote server, large file)</option>
            <option value="on">always</option>
            <option value="off">never</option>
          </select>
        </label>
      </div>
      {queue.length > 0 && (
        <div class="queue" data-testid="upload-queue">
          {queue.map((q) => (
            <QueueRow key={q.item.value.key} q={q} onRetry={() => void start(q)} onCancel={() => q.ctl?.abort()} onRemove={() => setQueue(queue.filter((x) => x !== q))} />
          ))}
          {multi && (
            <div class="row end">
              <span class="muted small">{done.length} of {queue.length} uploaded</span>
              <button class="btn" onClick={() => setQueue([])}>
                Clear
              </button>
              <button
                class="btn primary"
                disabled={done.length < 1 || done.length !== queue.length}
                data-testid="open-merged"
                onClick={() => void parseAndOpen(done.map((q) => q.item.value.file!.id))}
              >
                {done.length > 1 ? `Open ${done.length} files merged` : 'Open'}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function QueueRow(props: { q: QueueEntry; onRetry: () => void; onCancel: () => void; onRemove: () => void }) {
  const it = props.q.item.value;
  const pct = it.total > 0 ? Math.min(100, (it.loaded / it.total) * 100) : 0;
  const active = it.state === 'uploading' || it.state === 'compressing';
  let detail = '';
  if (it.state === 'compressing') detail = compressDetail(it.loaded, it.total, it.bytesPerSec, it.secondsLeft);
  else if (it.state === 'uploading') {
    detail = `${formatBytes(it.loaded)} of ${formatBytes(it.total)}${it.gzip ? ' (gzip)' : ''}`;
    if (it.bytesPerSec > 0) detail += ` · ${formatBytes(it.bytesPerSec)}/s`;
    if (it.secondsLeft !== null) detail += ` · ${formatDuration(it.secondsLeft * 1000)} left`;
  } else if (it.state === 'done') detail = `Uploaded ${formatBytes(it.size)}${it.gzip ? ` (sent ${formatBytes(it.total)} gzip)` : ''}`;
  else if (it.state === 'queued') detail = 'Waiting…';
  return (
    <div class={`queue-row s-${it.state}`} data-testid="queue-row" data-state={it.state}>
      <div class="queue-main">
        <span class="queue-name" title={it.name}>
          {it.name}
        </span>
        <span class="muted small">{formatBytes(it.size)}</span>
        <span class={`state-tag st-${it.state}`}>{it.state}</span>
        {active && (
          <button class="btn ghost small" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {(it.state === 'error' || it.state === 'cancelled') && (
          <button class="btn small" onClick={props.onRetry} data-testid="retry-upload">
            Retry
          </button>
        )}
        {!active && (
          <button class="btn ghost small" onClick={props.onRemove} title="Remove from the list">
            ✕
          </button>
        )}
      </div>
      <div class={`progress ${it.state === 'error' ? 'error' : ''}`}>
        <div class="bar" style={{ width: `${it.state === 'done' ? 100 : pct}%` }} />
      </div>
      <div class="queue-detail small" data-testid="queue-detail">
        {it.error ? (
          <span class="error-text" data-testid="upload-error">
            {it.error}
          </span>
        ) : (
          <span class="muted">{detail}</span>
        )}
      </div>
    </div>
  );
}
