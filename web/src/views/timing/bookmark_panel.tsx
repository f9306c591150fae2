// The bookmark panel (Ctrl+Shift+B): the open file's bookmarks in time
// order; click to jump, rename inline, delete. Bookmarks live in the shared
// store of state/bookmarks.ts (localStorage, keyed by file), so the log table and
// the map see the same ones.

import { useState } from 'preact/hooks';
import { addBookmark, bookmarks, deleteBookmark, renameBookmark } from '../../state/bookmarks';
import type { TimingController } from './controller';
import { formatDateTime } from './time_format';
import { centerOn } from './viewport';

export function BookmarkPanel(props: { ctl: TimingController; onClose: () => void }) {
  const { ctl } = props;
  const [editing, setEditing] = useState<string | null>(null);
  const list = bookmarks.value;
  return (
    <div class="tl-bookmarks" data-testid="bookmark-panel">
      <div class="tl-bm-head">
        <b>Bookmarks</b>
        <span class="count">{list.length}</span>
        <span class="tl-spacer" />
        <button class="btn small" title="Add at the cursor (Ctrl+B)" onClick={() => addBookmark(ctl.currentTime())}>
          + Add
        </button>
        <button class="btn small ghost" onClick={props.onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {list.length === 0 && <div class="muted pad">No bookmarks yet. Ctrl+B adds one at the cursor.</div>}
      <ul class="tl-bm-list">
        {list.map((b) => (
          <li key={b.id} data-testid="bookmark-item">
            <button
              class="tl-bm-time"
              title="Jump here"
              onClick={() => {
                ctl.setCursor(b.time, true);
                ctl.navigate(centerOn(ctl.view, b.time, ctl.bounds));
              }}
            >
              {formatDateTime(b.time)}
            </button>
            {editing === b.id ? (
              <input
                type="text"
                value={b.name}
                ref={(el) => el?.focus()}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    renameBookmark(b.id, (e.target as HTMLInputElement).value.trim() || b.name);
                    setEditing(null);
                  } else if (e.key === 'Escape') setEditing(null);
                }}
                onBlur={(e) => {
                  renameBookmark(b.id, (e.target as HTMLInputElement).value.trim() || b.name);
                  setEditing(null);
                }}
              />
            ) : (
              <span class="tl-bm-name" title="Double-click to rename" onDblClick={() => setEditing(b.id)}>
                {b.name}
              </span>
            )}
            <button class="btn small ghost" title="Rename" onClick={() => setEditing(b.id)}>
              ✎
            </button>
            <button class="btn small ghost danger" title="Delete" onClick={() => deleteBookmark(b.id)} data-testid="bookmark-delete">
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
