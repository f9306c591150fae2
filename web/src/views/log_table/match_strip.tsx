// The match-density strip beside the table in Highlight mode: one tick per
// minute with a search match (GET /time-tree with the search), over the
// session's time span, top to bottom. A click selects the first match at
// or after the minute of the nearest tick (else of the time clicked).

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbortError } from '../../api/client';
import type { TimeTreeItem } from '../../api/types';
import { formatMs } from '../../base/format';
import { session, sessionId } from '../../state/session';
import { useElementHeight } from '../../widgets/element_height';
import { clickTime, tickRows } from './density';
import { jumpToMatchAt, matchQuery, searchQuery } from './match_state';
import { queryKey } from './table_state';

export function MatchStrip(props: { onNotice: (msg: string) => void }) {
  const q = searchQuery.value;
  const id = sessionId.value;
  const key = queryKey.value;
  const s = session.value;
  const [items, setItems] = useState<TimeTreeItem[] | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const height = useElementHeight(ref, q !== null);

  useEffect(() => {
    setItems(null);
    if (!q || !id || !key) return;
    const ctl = new AbortController();
    api.timeTree(id, q, ctl.signal).then(setItems, (e: unknown) => {
      if (!isAbortError(e)) setItems([]);
    });
    return () => ctl.abort();
  }, [q, id, key]);


  if (!q || !s) return null;
  const start = s.startTime;
  const end = s.endTime;
  const rows = items ? tickRows(items, start, end, height) : [];
  const steps = matchQuery.value !== null;
  return (
    <div class="match-strip" title={steps ? 'Where the matches are in time (a tick per minute with a match); click to go there' : 'Where the matches are in time; sort by time to go there'}>
      <div
        class="match-strip-track"
        ref={ref}
        data-testid="match-strip"
        data-ticks={items === null ? undefined : rows.length}
        onClick={(e) => {
          if (!items || !steps) return;
          const y = e.clientY - (e.currentTarget as HTMLElement).getBoundingClientRect().top;
          const t = clickTime(items, start, end, height, Math.round(y));
          void jumpToMatchAt(t).then((msg) => msg && props.onNotice(`${msg} (after ${formatMs(t)})`));
        }}
      >
        {rows.map((y) => (
          <div key={y} class="match-tick" style={{ top: `${y}px` }} data-y={y} />
        ))}
      </div>
    </div>
  );
}
