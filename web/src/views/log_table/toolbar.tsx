// The log table's filter toolbar: search (debounced, Regex and Aa toggles),
// exclude, Changes only, Highlight, category popover, type, time range, and
// the actions (jump, colors, copy, export) with the filtered count.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { catalog } from '../../state/catalog';
import { session, sessionId } from '../../state/session';
import { PopoverButton } from '../../widgets/popover';
import { TypeSelect } from '../../widgets/type_select';
import { isFiltering } from './filters';
import { formatCount, formatMs, parseTypedTime } from '../../base/format';
import { selectedCount } from './selection';
import { filter, query, queryError, selection, sort, total } from './table_state';
import { matchLabel } from './match_nav';
import { FilterSetsMenu } from './filter_sets_menu';
import { matchK, matchQuery, matchToolsShown, matchTotal } from './match_state';

const kDebounceMs = 250;

/** A text input that writes to the filter after typing pauses. */
function DebouncedInput(props: {
  value: string;
  onCommit: (v: string) => void;
  placeholder: string;
  inputRef?: { current: HTMLInputElement | null };
  testId?: string;
  /** Enter (Shift: shiftKey) after committing. */
  onEnter?: (shift: boolean) => void;
}) {
  const [text, setText] = useState(props.value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setText(props.value), [props.value]);
  const commit = (v: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (v !== props.value) props.onCommit(v);
  };
  return (
    <input
      ref={props.inputRef}
      type="search"
      placeholder={props.placeholder}
      value={text}
      data-testid={props.testId}
      onInput={(e) => {
        const v = (e.target as HTMLInputElement).value;
        setText(v);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(v), kDebounceMs);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Enter') return;
        commit((e.target as HTMLInputElement).value);
        if (props.onEnter) {
          e.preventDefault();
          props.onEnter(e.shiftKey);
        }
      }}
    />
  );
}

function CategoryPopover() {
  const [q, setQ] = useState('');
  const cats = catalog.value?.categories ?? [];
  const chosen = filter.value.categories;
  const shown = useMemo(() => {
    const all = ['', ...cats];
    const lq = q.toLowerCase();
    return all.filter((c) => (c || '(no category)').toLowerCase().includes(lq));
  }, [cats, q]);
  const set = (list: string[]) => (filter.value = { ...filter.value, categories: list });
  return (
    <PopoverButton
      label={
        <>
          Category{chosen.length > 0 && <span class="badge" data-testid="category-count">{chosen.length}</span>}
        </>
      }
      active={chosen.length > 0}
      title="Filter by category"
      testId="category-button"
    >
      {() => (
        <div class="cat-pop" data-testid="category-popover">
          <div class="row">
            <input type="search" placeholder="Search categories" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
            <button class="btn small" onClick={() => set([])} disabled={chosen.length === 0}>
              Clear
            </button>
          </div>
          <div class="check-list">
            {cats.length === 0 && <div class="muted pad">This session has no categories.</div>}
            {cats.length > 0 &&
              shown.map((c) => (
                <label key={c || '(none)'} class="check-row">
                  <input
                    type="checkbox"
                    checked={chosen.includes(c)}
                    onChange={(e) =>
                      set((e.target as HTMLInputElement).checked ? [...chosen, c] : chosen.filter((x) => x !== c))
                    }
                  />
                  <span class={c ? '' : 'muted'}>{c || '(no category)'}</span>
                </label>
              ))}
          </div>
        </div>
      )}
    </PopoverButton>
  );
}

function TimeRangePopover() {
  const f = filter.value;
  const s = session.value;
  const defDate = s && s.startTime ? formatMs(s.startTime).slice(0, 10) : undefined;
  const [from, setFrom] = useState(f.start !== null ? formatMs(f.start) : '');
  const [to, setTo] = useState(f.end !== null ? formatMs(f.end) : '');
  const [err, setErr] = useState<string | null>(null);
  const active = f.start !== null || f.end !== null;
  const apply = (close: () => void) => {
    const a = from.trim() ? parseTypedTime(from, defDate) : null;
    const b = to.trim() ? parseTypedTime(to, defDate) : null;
    if ((from.trim() && a === null) || (to.trim() && b === null)) {
      setErr('Write times as YYYY-MM-DD HH:MM:SS.mmm or HH:MM:SS.mmm (UTC).');
      return;
    }
    setErr(null);
    filter.value = { ...filter.value, start: a, end: b };
    close();
  };
  return (
    <PopoverButton label="Time range" active={active} title="Show only rows in a time range (UTC)" testId="time-range-button">
      {(close) => (
        <div class="time-pop">
          <label>
            From
            <input type="text" placeholder={s ? formatMs(s.startTime) : 'YYYY-MM-DD HH:MM:SS.mmm'} value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            To
            <input type="text" placeholder={s ? formatMs(s.endTime) : 'YYYY-MM-DD HH:MM:SS.mmm'} value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          {err && <div class="field-error">{err}</div>}
          <div class="row end">
            <button
              class="btn small"
              onClick={() => {
                setFrom('');
                setTo('');
                filter.value = { ...filter.value, start: null, end: null };
                close();
              }}
            >
              Clear
            </button>
            <button class="btn small primary" onClick={() => apply(close)}>
              Apply
            </button>
          </div>
        </div>
      )}
    </PopoverButton>
  );
}

/** The status bar under the table: filtered count, selection, sort. */
export function StatusBar() {
  const n = total.value;
  const all = session.value?.entryCount ?? 0;
  const nSel = selectedCount(selection.value);
  const q = query.value;
  return (
    <div class="statusbar">
      <span class="row-count num" data-testid="row-count">
        {n === null ? 'Counting…' : isFiltering(q) ? `${formatCount(n)} of ${formatCount(all)} rows` : `${formatCount(n)} rows`}
      </span>
      {nSel > 0 && <span class="sel-count num">{formatCount(nSel)} selected</span>}
      {q.sort && (
        <span class="muted">
          sorted by {q.sort} {q.order === 'desc' ? '↓' : '↑'}
        </span>
      )}
      {q.changedOnly && <span class="muted">changes only</span>}
      <div class="spacer" />
      <span class="muted">Times in UTC as written in the file</span>
    </div>
  );
}

/** Highlight mode: previous / next match and "k / N". */
function MatchNav(props: { onStep: (dir: 1 | -1) => void }) {
  if (!matchToolsShown.value) return null;
  const byTime = matchQuery.value !== null;
  const n = matchTotal.value;
  const why = byTime ? undefined : `Sort by time (ascending) to step through the matches (sorted by ${sort.value.key})`;
  return (
    <div class="match-nav" data-testid="match-nav">
      <button class="btn small" disabled={!byTime || n === 0} title={why ?? 'Previous match (Shift+F3, Shift+Enter in the search box)'} onClick={() => props.onStep(-1)} data-testid="match-prev">
        ▲
      </button>
      <button class="btn small" disabled={!byTime || n === 0} title={why ?? 'Next match (F3, Enter in the search box)'} onClick={() => props.onStep(1)} data-testid="match-next">
        ▼
      </button>
      <span class="match-count num" data-testid="match-count" title="This match / matches over the session under the other filters">
        {byTime ? matchLabel(matchK.value, n) : 'sort by time'}
      </span>
    </div>
  );
}

export function Toolbar(props: {
  searchRef: { current: HTMLInputElement | null };
  onStep: (dir: 1 | -1) => void;
  onJump: () => void;
  onColors: () => void;
  onCopy: () => void;
}) {
  const f = filter.value;
  const set = (patch: Partial<typeof f>) => (filter.value = { ...filter.value, ...patch });
  const err = queryError.value;
  const nSel = selectedCount(selection.value);
  const id = sessionId.value;
  return (
    <div class="toolbar" data-testid="log-toolbar">
      <div class="search-box">
        <div class={`input-group ${err ? 'invalid' : ''}`}>
          <DebouncedInput
            value={f.search}
            onCommit={(v) => set({ search: v })}
            placeholder={f.highlight ? 'Highlight…' : 'Search…'}
            inputRef={props.searchRef}
            testId="search-input"
            onEnter={f.highlight ? (shift) => props.onStep(shift ? -1 : 1) : undefined}
          />
          <button class={`toggle-btn ${f.caseSensitive ? 'on' : ''}`} title="Match case" onClick={() => set({ caseSensitive: !f.caseSensitive })} data-testid="case-toggle">
            Aa
          </button>
          <button class={`toggle-btn ${f.regex ? 'on' : ''}`} title="Regular expression" onClick={() => set({ regex: !f.regex })} data-testid="regex-toggle">
            .*
          </button>
        </div>
        {err && (
          <div class="search-error" data-testid="search-error" title={err}>
            {err}
          </div>
        )}
      </div>
      <MatchNav onStep={props.onStep} />
      <div class="input-group exclude">
        <DebouncedInput value={f.exclude} onCommit={(v) => set({ exclude: v })} placeholder="Exclude…" testId="exclude-input" />
      </div>
      <label class="check" title="Only rows whose value differs from the previous sample of the same signal (whole session)">
        <input type="checkbox" checked={f.changedOnly} onChange={(e) => set({ changedOnly: (e.target as HTMLInputElement).checked })} data-testid="changes-only" />
        Changes only
      </label>
      <label class="check" title="Show all rows and mark the search matches">
        <input type="checkbox" checked={f.highlight} onChange={(e) => set({ highlight: (e.target as HTMLInputElement).checked })} data-testid="highlight-mode" />
        Highlight
      </label>
      <CategoryPopover />
      <TypeSelect value={f.types[0] ?? ''} onChange={(v) => set({ types: v ? [v] : [] })} testId="type-filter" />
      <TimeRangePopover />
      <FilterSetsMenu />
      <div class="spacer" />
      <button class="btn" onClick={props.onJump} title="Jump to a time (Ctrl+Shift+G)" data-testid="jump-button">
        Go to time
      </button>
      <button class="btn" onClick={props.onCopy} disabled={nSel === 0} title="Copy the selected rows (Ctrl+C)" data-testid="copy-button">
        Copy
      </button>
      <button class="btn" onClick={props.onColors} title="Color coding rules">
        Colors
      </button>
      {id ? (
        <a class="btn" href={api.exportUrl(id, query.value, 'csv')} download title="Download the filtered rows as CSV" data-testid="export-csv">
          Export CSV
        </a>
      ) : null}
    </div>
  );
}
