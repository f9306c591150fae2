// The Log Table view: signal sidebar, filter toolbar, virtual grid, keyboard
// selection, copy as TSV, context menu, jump to time and color dialogs.
// `split`: shown under the timing diagram (the Workspace): the diagram then
// takes the bookmark keys, and a row hover marks it only while the mouse is
// on the table.

import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbortError } from '../../api/client';
import { addBookmark, adjacentBookmark } from '../../state/bookmarks';
import { addSelectedSignals, tableSignals } from '../../state/selection';
import { isMerged, session, sessionFiles } from '../../state/session';
import { showError } from '../../state/ui';
import { activeTab } from '../../state/tabs';
import { ContextMenu } from '../../widgets/context_menu';
import { SignalSidebar } from '../../widgets/signal_sidebar';
import { ColorDialog } from './color_dialog';
import { visibleColumns } from './columns';
import { formatCount, formatMs, timestampMs } from '../../base/format';
import { toTsv } from './format';
import { JumpDialog } from './jump_dialog';
import { kEmptySelection, moveFocus, selectAll, selectedCount } from './selection';
import { TableGrid, type GridHandle } from './table_grid';
import { StatusBar, Toolbar } from './toolbar';
import {
  cache,
  cacheVersion,
  isFollowedRow,
  jumpToTime,
  kPageSize,
  kMaxCollectRows,
  layout,
  publishCursor,
  selectedEntries,
  selection,
  total,
} from './table_state';
import { pageRows } from './virtual_scroll';
import { stepMatch } from './match_state';
import { MatchStrip } from './match_strip';

/** Writes text to the clipboard (async API, else a hidden textarea). */
async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
}

/** The Log Table tab. */
export function LogTableView() {
  return <LogTable split={false} />;
}

/** The log table under the timing diagram (the Workspace). */
export function SplitLogTableView() {
  return <LogTable split />;
}

function LogTable({ split }: { split: boolean }) {
  const gridRef = useRef<GridHandle | null>(null);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const [jumpOpen, setJumpOpen] = useState(false);
  const [colorsOpen, setColorsOpen] = useState(false);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const s = session.value;

  const flash = (msg: string) => {
    setNotice(msg);
    setTimeout(() => setNotice((m) => (m === msg ? null : m)), 2500);
  };

  const copy = async () => {
    const n = selectedCount(selection.peek());
    if (n === 0) return;
    try {
      const rows = await selectedEntries();
      const cols = visibleColumns(layout.peek(), isMerged.peek());
      const names = new Map(sessionFiles.peek().map((f) => [f.id, f.name]));
      const text = toTsv(rows, cols, (id) => names.get(id) ?? id);
      await writeClipboard(text);
      (window as unknown as { __plcscopeLastCopy?: string }).__plcscopeLastCopy = text;
      flash(
        n > kMaxCollectRows
          ? `Copied the first ${formatCount(rows.length)} of ${formatCount(n)} rows (use Export CSV for all).`
          : `Copied ${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'}.`,
      );
    } catch (e) {
      if (!isAbortError(e)) showError(e);
    }
  };

  const step = (dir: 1 | -1) => {
    void stepMatch(dir).then((msg) => msg && flash(msg));
  };

  const addToTiming = async () => {
    try {
      const rows = await selectedEntries();
      const keys = rows.map((e) => `${e.deviceId}::${e.signalName}`);
      addSelectedSignals(keys);
      flash(`Added ${new Set(keys).size} signal(s) to the timing diagram.`);
    } catch (e) {
      if (!isAbortError(e)) showError(e);
    }
  };

  // The selected row's time becomes the shared cursor (Sync), once per new
  // selection the user made: at once when its row is loaded, else when its
  // page arrives (End, Jump to time select rows not loaded yet).
  const focusRow = selection.value.focus;
  const c = cache.value;
  const version = cacheVersion.value;
  const published = useRef<{ cache: unknown; row: number } | null>(null);
  useEffect(() => {
    if (focusRow === null || !c) {
      published.current = null;
      return;
    }
    if (published.current?.cache === c && published.current.row === focusRow) return;
    if (isFollowedRow(c, focusRow)) {
      // Selected by following the diagram's (or map's) cursor: that cursor stays where it was put.
      published.current = { cache: c, row: focusRow };
      return;
    }
    const e = c.row(focusRow);
    if (e) {
      published.current = { cache: c, row: focusRow };
      publishCursor(timestampMs(e.timestamp));
    } else {
      c.want([Math.floor(focusRow / kPageSize)]);
    }
  }, [focusRow, c, version]);

  // View-wide shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!split && activeTab.peek() !== 'log') return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (e.key === 'F3' && !ctrl && !e.altKey) {
        // Next / previous match (Highlight mode), also from the search box.
        e.preventDefault();
        step(e.shiftKey ? -1 : 1);
      } else if (ctrl && e.shiftKey && (e.key === 'G' || e.key === 'g')) {
        e.preventDefault();
        setJumpOpen(true);
      } else if (split && ctrl && (e.key === 'b' || e.key === 'B' || e.key === ']' || e.key === '[')) {
        // The diagram above takes the bookmark keys (at its cursor, which follows the selection).
        return;
      } else if (ctrl && !e.shiftKey && (e.key === 'b' || e.key === 'B')) {
        e.preventDefault();
        const f = selection.peek().focus;
        const row = f === null ? undefined : cache.peek()?.row(f);
        if (row) {
          const b = addBookmark(timestampMs(row.timestamp));
          flash(`${b.name} added at ${formatMs(b.time)}.`);
        } else flash('Select a row to bookmark its time.');
      } else if (ctrl && (e.key === ']' || e.key === '[')) {
        e.preventDefault();
        const f = selection.peek().focus;
        const row = f === null ? undefined : cache.peek()?.row(f);
        const t = row ? timestampMs(row.timestamp) : e.key === ']' ? -Infinity : Infinity;
        const b = adjacentBookmark(t, e.key === ']' ? 1 : -1);
        if (b) void jumpToTime(b.time).then(() => flash(`${b.name} · ${formatMs(b.time)}`));
        else flash(e.key === ']' ? 'No later bookmark.' : 'No earlier bookmark.');
      } else if (ctrl && !e.shiftKey && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [split]);

  const onGridKey = (e: KeyboardEvent) => {
    const n = total.peek() ?? 0;
    const ctrl = e.ctrlKey || e.metaKey;
    const grid = gridRef.current;
    if (!grid) return;
    const page = pageRows(grid.model());
    const sel = selection.peek();
    let next = null;
    switch (e.key) {
      case 'ArrowDown':
        next = moveFocus(sel, n, { delta: 1, extend: e.shiftKey });
        break;
      case 'ArrowUp':
        next = moveFocus(sel, n, { delta: -1, extend: e.shiftKey });
        break;
      case 'PageDown':
        next = moveFocus(sel, n, { delta: page, extend: e.shiftKey });
        break;
      case 'PageUp':
        next = moveFocus(sel, n, { delta: -page, extend: e.shiftKey });
        break;
      case 'Home':
        next = moveFocus(sel, n, { to: 0, extend: e.shiftKey });
        break;
      case 'End':
        next = moveFocus(sel, n, { to: n - 1, extend: e.shiftKey });
        break;
      case 'Escape':
        next = kEmptySelection;
        break;
      default:
        if (ctrl && (e.key === 'a' || e.key === 'A')) next = selectAll(n);
        else if (ctrl && (e.key === 'c' || e.key === 'C')) {
          e.preventDefault();
          void copy();
          return;
        }
    }
    if (next) {
      e.preventDefault();
      selection.value = next;
      if (next.focus !== null && e.key !== 'a' && e.key !== 'A') grid.ensureVisible(next.focus);
    }
  };

  if (!s || s.status !== 'complete') {
    return (
      <div class="view-with-sidebar">
        <SignalSidebar target={tableSignals} title="Filter signals" hint="signals the table shows / total (none: all)" />
        <div class="empty-view">
          {!s && <p>No session is loaded. Open a file from Home.</p>}
          {s && (s.status === 'parsing' || s.status === 'pending') && (
            <div class="parsing-box">
              <p>Parsing… {Math.floor(s.progress)}%</p>
              <div class="progress">
                <div class="bar" style={{ width: `${s.progress}%` }} />
              </div>
            </div>
          )}
          {s && s.status === 'error' && <p class="error-text">Parsing failed: {s.error ?? 'see Home for details'}.</p>}
        </div>
      </div>
    );
  }

  const nSel = selectedCount(selection.value);
  return (
    <div class="view-with-sidebar">
      <SignalSidebar target={tableSignals} title="Filter signals" hint="signals the table shows / total (none: all)" />
      <div class="log-table">
        <Toolbar searchRef={searchRef} onStep={step} onJump={() => setJumpOpen(true)} onColors={() => setColorsOpen(true)} onCopy={() => void copy()} />
        <div class="grid-and-strip">
          <TableGrid gridRef={gridRef} onKeyDown={onGridKey} onContextMenu={(x, y) => setMenu({ x, y })} hoverOnlyInside={split} />
          <MatchStrip onNotice={flash} />
        </div>
        <StatusBar />
        {notice && (
          <div class="toast" data-testid="toast">
            {notice}
          </div>
        )}
        {menu && (
          <ContextMenu
            x={menu.x}
            y={menu.y}
            onClose={() => setMenu(null)}
            items={[
              { label: `Add signals of ${formatCount(nSel)} row(s) to the Timing Diagram`, action: () => void addToTiming(), disabled: nSel === 0 },
              { label: `Copy ${formatCount(nSel)} row(s)`, action: () => void copy(), disabled: nSel === 0 },
              { label: 'Clear selection', action: () => (selection.value = kEmptySelection), separatorBefore: true },
            ]}
          />
        )}
        {jumpOpen && <JumpDialog onClose={() => setJumpOpen(false)} />}
        {colorsOpen && <ColorDialog onClose={() => setColorsOpen(false)} />}
      </div>
    </div>
  );
}

