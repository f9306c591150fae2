// The recent files list: open on click, inline rename, delete, multi-select
// (Ctrl+click or checkboxes) → Merge & open.

import { signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { FileInfo } from '../../api/types';
import { closeSession, parseAndOpen } from '../../state/lifecycle';
import { session, sessionFiles } from '../../state/session';
import { showError } from '../../state/ui';
import { formatBytes, relativeTime } from '../../base/format';

export const recentFiles = signal<FileInfo[] | null>(null);

export async function refreshRecent(): Promise<void> {
  try {
    recentFiles.value = await api.recentFiles();
  } catch (e) {
    showError(e);
  }
}

export function RecentFiles() {
  const [checked, setChecked] = useState<string[]>([]);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const files = recentFiles.value;
  const openIds = new Set(sessionFiles.value.map((f) => f.id));

  const toggle = (id: string) => setChecked(checked.includes(id) ? checked.filter((x) => x !== id) : [...checked, id]);

  const rename = async (f: FileInfo) => {
    setRenaming(null);
    const name = draft.trim();
    if (!name || name === f.name) return;
    try {
      const renamed = await api.renameFile(f.id, name);
      // The open file: the header and the session card show the new name.
      if (sessionFiles.peek().some((x) => x.id === f.id)) {
        sessionFiles.value = sessionFiles.peek().map((x) => (x.id === f.id ? { ...x, name: renamed.name ?? name } : x));
      }
      await refreshRecent();
    } catch (e) {
      showError(e);
    }
  };

  const remove = async (f: FileInfo) => {
    if (!confirm(`Delete ${f.name} and everything parsed from it?`)) return;
    try {
      await api.deleteFile(f.id);
      setChecked(checked.filter((x) => x !== f.id));
      // The open file is gone with its sessions: no stale header or card.
      if (sessionFiles.peek().some((x) => x.id === f.id) || session.peek()?.fileIds?.includes(f.id) || session.peek()?.fileId === f.id) {
        closeSession();
      }
      await refreshRecent();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <section class="card recent-card" data-testid="recent-files">
      <div class="card-head">
        <h3>Recent files</h3>
        <div class="row">
          {checked.length > 0 && <span class="muted small">{checked.length} selected</span>}
          <button class="btn primary small" disabled={checked.length < 2} onClick={() => void parseAndOpen(checked)} data-testid="merge-open" title="Open the selected files as one merged view">
            Merge &amp; open
          </button>
        </div>
      </div>
      {files === null && <div class="muted pad">Loading…</div>}
      {files && files.length === 0 && <div class="muted pad">No files yet. Upload one above.</div>}
      {files && files.length > 0 && (
        <table class="files-table">
          <thead>
            <tr>
              <th />
              <th>Name</th>
              <th class="r">Size</th>
              <th>Uploaded</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr
                key={f.id}
                class={`${checked.includes(f.id) ? 'checked' : ''} ${openIds.has(f.id) ? 'open' : ''}`}
                data-testid="recent-row"
                onClick={(e) => {
                  if (renaming === f.id) return;
                  if (e.ctrlKey || e.metaKey) toggle(f.id);
                  else void parseAndOpen([f.id]);
                }}
                title="Click to open; Ctrl+click to select for merging"
              >
                <td onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" checked={checked.includes(f.id)} onChange={() => toggle(f.id)} aria-label={`Select ${f.name}`} />
                </td>
                <td class="fname">
                  {renaming === f.id ? (
                    <input
                      type="text"
                      value={draft}
                      autoFocus
                      onClick={(e) => e.stopPropagation()}
                      onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
                      onBlur={() => void rename(f)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') void rename(f);
                        else if (e.key === 'Escape') setRenaming(null);
                      }}
                    />
                  ) : (
                    <>
                      <span>{f.name}</span>
                      {openIds.has(f.id) && <span class="badge">open</span>}
                    </>
                  )}
                </td>
                <td class="r num">{formatBytes(f.size)}</td>
                <td class="muted" title={f.uploadedAt}>
                  {relativeTime(f.uploadedAt)}
                </td>
                <td class="actions" onClick={(e) => e.stopPropagation()}>
                  <button
                    class="btn ghost small"
                    onClick={() => {
                      setDraft(f.name);
                      setRenaming(f.id);
                    }}
                  >
                    Rename
                  </button>
                  <button class="btn ghost small danger" onClick={() => void remove(f)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
