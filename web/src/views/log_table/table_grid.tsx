// The virtual grid of the log table: sticky header (sort, resize, reorder)
// and the visible rows only, drawn from the PageCache. Scrolling maps to row
// indices through virtual_scroll.ts; rows whose page has not arrived show a
// placeholder, never another row's data.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Entry } from '../../api/types';
import { hoverTime } from '../../state/selection';
import { isMerged, sessionFiles } from '../../state/session';
import { compileColorRules, contrastText } from './color_rules';
import { kSortKeyOf, moveColumn, resizeColumn, visibleColumns } from './columns';
import { makeHighlighter, nextSort, splitMatches } from './filters';
import { cellText, kColumnTitles, type ColumnId } from './format';
import { timestampMs } from '../../base/format';
import { extendTo, isSelected, selectOnly, toggle } from './selection';
import {
  cache,
  cacheVersion,
  colorRules,
  filter,
  kPageSize,
  kRowHeight,
  layout,
  queryError,
  scrollRequest,
  selection,
  sort,
  total,
} from './table_state';
import {
  clampVirtual,
  ensureRowVisible,
  isScaled,
  pagesForRows,
  scrollFromVirtual,
  spacerHeight,
  virtualForRowCentered,
  virtualFromScroll,
  visibleRows,
  type ScrollModel,
} from './virtual_scroll';

const kHeaderHeight = 26;
const kOverscanRows = 30;

export interface GridHandle {
  /** Scroll model of the current size (for keyboard paging). */
  model: () => ScrollModel;
  ensureVisible: (row: number) => void;
}

export function TableGrid(props: {
  gridRef?: { current: GridHandle | null };
  onContextMenu: (x: number, y: number) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  /** True: the hover mark (hoverTime) is cleared when the mouse leaves the grid (the diagram is on the same screen). */
  hoverOnlyInside?: boolean;
}) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [vh, setVh] = useState(400);
  const [vTop, setVTopState] = useState(0);
  const vTopRef = useRef(0);
  const lastSetScroll = useRef(0);
  const n = total.value ?? 0;
  const m: ScrollModel = { rowCount: n, rowHeight: kRowHeight, viewportHeight: vh };
  const mRef = useRef(m);
  mRef.current = m;
  const c = cache.value;
  void cacheVersion.value;

  const merged = isMerged.value;
  const cols = visibleColumns(layout.value, merged);
  const widths = layout.value.widths;
  const totalWidth = cols.reduce((w, col) => w + widths[col], 0);

  const setV = (v: number) => {
    const mm = mRef.current;
    const cv = clampVirtual(mm, v);
    vTopRef.current = cv;
    const el = scrollerRef.current;
    if (el) {
      el.scrollTop = scrollFromVirtual(mm, cv);
      lastSetScroll.current = el.scrollTop;
    }
    setVTopState(cv);
  };

  // Viewport size.
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setVh(Math.max(0, el.clientHeight - kHeaderHeight)));
    ro.observe(el);
    setVh(Math.max(0, el.clientHeight - kHeaderHeight));
    return () => ro.disconnect();
  }, []);

  // A new query starts at the top.
  useLayoutEffect(() => {
    vTopRef.current = 0;
    lastSetScroll.current = 0;
    if (scrollerRef.current) scrollerRef.current.scrollTop = 0;
    setVTopState(0);
  }, [c]);

  // Keep scrollTop consistent when the row count or viewport changes.
  useLayoutEffect(() => {
    setV(vTopRef.current);
  }, [n, vh]);

  // Scroll requests (jump to time, sync), each applied once.
  const appliedSeq = useRef(0);
  useLayoutEffect(() => {
    const r = scrollRequest.value;
    if (!r || n === 0 || r.seq <= appliedSeq.current) return;
    appliedSeq.current = r.seq;
    const mm = mRef.current;
    setV(r.align === 'center' ? virtualForRowCentered(mm, r.row) : ensureRowVisible(mm, vTopRef.current, r.row));
  }, [scrollRequest.value, n]);

  if (props.gridRef) {
    props.gridRef.current = {
      model: () => mRef.current,
      ensureVisible: (row) => setV(ensureRowVisible(mRef.current, vTopRef.current, row)),
    };
  }

  // Wheel: in a scaled scroller one native wheel step would jump thousands of
  // rows, so move the virtual offset by the wheel's pixels instead.
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const mm = mRef.current;
      if (!isScaled(mm) || e.ctrlKey) return;
      let dy = e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY;
      let dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      if (e.deltaMode === 1) {
        dy *= kRowHeight;
        dx *= 16;
      } else if (e.deltaMode === 2) {
        dy *= mm.viewportHeight;
        dx *= el.clientWidth;
      }
      e.preventDefault();
      if (dx) el.scrollLeft += dx;
      if (dy) setV(vTopRef.current + dy);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const onScroll = () => {
    const el = scrollerRef.current;
    if (!el) return;
    const st = el.scrollTop;
    if (Math.abs(st - lastSetScroll.current) < 1) return;
    lastSetScroll.current = st;
    const v = virtualFromScroll(mRef.current, st);
    vTopRef.current = v;
    setVTopState(v);
  };

  const vis = visibleRows(m, vTop);

  // Ask the cache for the visible pages (plus a margin).
  useEffect(() => {
    if (!c || total.peek() === null) return;
    const first = Math.max(0, vis.first - kOverscanRows);
    const last = Math.min(n - 1, vis.first + vis.count + kOverscanRows);
    c.want(pagesForRows(first, last, kPageSize));
  }, [c, vis.first, vis.count, n]);

  const highlighter = useMemo(() => {
    try {
      return makeHighlighter(filter.value);
    } catch {
      return null;
    }
  }, [filter.value]);
  const colorOf = useMemo(() => compileColorRules(colorRules.value), [colorRules.value]);
  const sourceName = useMemo(() => {
    const names = new Map(sessionFiles.value.map((f) => [f.id, f.name]));
    return (id: string) => names.get(id) ?? id;
  }, [sessionFiles.value]);
  const sel = selection.value;

  const onRowMouseDown = (e: MouseEvent, i: number) => {
    if (e.button === 2) {
      if (!isSelected(selection.peek(), i)) selection.value = selectOnly(i);
      return;
    }
    if (e.button !== 0) return;
    const s = selection.peek();
    if (e.shiftKey) selection.value = extendTo(s, i, e.ctrlKey || e.metaKey);
    else if (e.ctrlKey || e.metaKey) selection.value = toggle(s, i);
    else selection.value = selectOnly(i);
    scrollerRef.current?.focus({ preventScroll: true });
  };

  const rows = [];
  for (let k = 0; k < vis.count; k++) {
    const i = vis.first + k;
    const e = c?.row(i);
    rows.push(
      <Row
        key={i}
        index={i}
        entry={e}
        cols={cols}
        widths={widths}
        selected={isSelected(sel, i)}
        focused={sel.focus === i}
        colors={e ? colorOf(e) : {}}
        highlighter={highlighter}
        highlightMode={filter.value.highlight}
        sourceName={sourceName}
        onMouseDown={onRowMouseDown}
      />,
    );
  }

  return (
    <div
      class="grid-scroller"
      ref={scrollerRef}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={props.onKeyDown}
      onMouseLeave={props.hoverOnlyInside ? () => (hoverTime.value = null) : undefined}
      onContextMenu={(e) => {
        if ((e.target as HTMLElement).closest('.grid-row')) {
          e.preventDefault();
          props.onContextMenu(e.clientX, e.clientY);
        }
      }}
      data-testid="log-grid"
      data-total={n}
      data-first-row={vis.first}
    >
      <div class="grid-inner" style={{ width: `${totalWidth}px`, height: `${spacerHeight(m) + kHeaderHeight}px` }}>
        <Header cols={cols} widths={widths} />
        <div class="grid-body" style={{ height: `${vh}px`, top: `${kHeaderHeight}px` }}>
          <div class="grid-rows" style={{ transform: `translateY(${-vis.offset}px)` }}>
            {rows}
          </div>
          {n === 0 && total.value !== null && !queryError.value && <div class="grid-empty">No rows match the filters.</div>}
          {total.value === null && c && <div class="grid-empty">Loading…</div>}
        </div>
      </div>
    </div>
  );
}

function Row(props: {
  index: number;
  entry: Entry | undefined;
  cols: ColumnId[];
  widths: Record<ColumnId, number>;
  selected: boolean;
  focused: boolean;
  colors: { row?: string; value?: string };
  highlighter: RegExp | null;
  highlightMode: boolean;
  sourceName: (id: string) => string;
  onMouseDown: (e: MouseEvent, i: number) => void;
}) {
  const { entry: e, index } = props;
  if (!e) {
    return (
      <div class="grid-row placeholder" data-row={index} data-loading="true">
        {props.cols.map((col) => (
          <div class="cell" key={col} style={{ width: `${props.widths[col]}px` }}>
            <span class="ph-bar" />
          </div>
        ))}
      </div>
    );
  }
  let matched = false;
  const cells = props.cols.map((col) => {
    const text = cellText(e, col, props.sourceName);
    const markable = col === 'device' || col === 'signal' || col === 'category' || col === 'value';
    const parts = markable && props.highlighter ? splitMatches(text, props.highlighter) : null;
    if (parts && parts.some((p) => p.match)) matched = true;
    const style: Record<string, string> = { width: `${props.widths[col]}px` };
    if (col === 'value' && props.colors.value) {
      style.background = props.colors.value;
      const fg = contrastText(props.colors.value);
      if (fg) style.color = fg;
    }
    return (
      <div class={`cell c-${col}`} key={col} style={style} title={text.length > 24 ? text : undefined}>
        {parts ? parts.map((p, k) => (p.match ? <mark key={k}>{p.text}</mark> : p.text)) : text}
      </div>
    );
  });
  const cls = ['grid-row', index % 2 ? 'alt' : '', props.selected ? 'selected' : '', props.focused ? 'focused' : ''];
  if (props.highlightMode && matched) cls.push('matched');
  if (props.colors.row && !props.selected) cls.push('tinted');
  return (
    <div
      class={cls.join(' ')}
      data-row={index}
      style={
        props.colors.row && !props.selected
          ? { background: props.colors.row, color: contrastText(props.colors.row) ?? undefined }
          : undefined
      }
      onMouseDown={(ev) => props.onMouseDown(ev, index)}
      onMouseEnter={() => (hoverTime.value = timestampMs(e.timestamp))}
    >
      {cells}
    </div>
  );
}

/** True while a column resize drag is under way (no reorder drag then). */
let resizing = false;

function Header(props: { cols: ColumnId[]; widths: Record<ColumnId, number> }) {
  const [dragOver, setDragOver] = useState<ColumnId | null>(null);
  const s = sort.value;
  return (
    <div class="grid-header" role="row">
      {props.cols.map((col) => {
        const key = kSortKeyOf[col];
        const sorted = key && s.key === key;
        return (
          <div
            key={col}
            class={`hcell c-${col} ${key ? 'sortable' : ''} ${dragOver === col ? 'drop-target' : ''}`}
            style={{ width: `${props.widths[col]}px` }}
            data-col={col}
            draggable
            onDragStart={(e) => {
              if (resizing) {
                e.preventDefault();
                return;
              }
              e.dataTransfer?.setData('text/x-plcscope-col', col);
              if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => {
              if (e.dataTransfer?.types.includes('text/x-plcscope-col')) {
                e.preventDefault();
                setDragOver(col);
              }
            }}
            onDragLeave={() => setDragOver(null)}
            onDrop={(e) => {
              e.preventDefault();
              setDragOver(null);
              const from = e.dataTransfer?.getData('text/x-plcscope-col') as ColumnId | undefined;
              if (from) layout.value = moveColumn(layout.value, from, col);
            }}
            onClick={() => key && (sort.value = nextSort(sort.value, key))}
            title={key ? 'Sort by this column (click again to reverse); drag to reorder' : 'Drag to reorder'}
          >
            <span class="htext">{kColumnTitles[col]}</span>
            {sorted && <span class="sort-ind">{s.order === 'asc' ? '▲' : '▼'}</span>}
            <span
              class="resize-handle"
              onClick={(e) => e.stopPropagation()}
              onMouseDown={(e) => e.preventDefault()}
              onPointerDown={(e) => {
                e.stopPropagation();
                e.preventDefault();
                resizing = true;
                const startX = e.clientX;
                const startW = props.widths[col];
                const target = e.currentTarget as HTMLElement;
                target.setPointerCapture(e.pointerId);
                const move = (ev: PointerEvent) =>
                  (layout.value = resizeColumn(layout.value, col, startW + ev.clientX - startX));
                const up = () => {
                  resizing = false;
                  target.removeEventListener('pointermove', move);
                  target.removeEventListener('pointerup', up);
                };
                target.addEventListener('pointermove', move);
                target.addEventListener('pointerup', up);
              }}
            />
          </div>
        );
      })}
    </div>
  );
}
