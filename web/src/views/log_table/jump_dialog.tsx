// Jump to time (Ctrl+Shift+G): date → hour → minute pickers fed by the
// session's time tree under the current filter, or a typed time. Jumps to
// the first row at or after the time and selects it.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, isAbortError } from '../../api/client';
import type { TimeTreeItem } from '../../api/types';
import { session, sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { Dialog } from '../../widgets/dialog';
import { formatMs, parseTypedTime } from '../../base/format';
import { jumpToTime, query } from './table_state';

const pad = (n: number) => String(n).padStart(2, '0');

export function JumpDialog({ onClose }: { onClose: () => void }) {
  const [tree, setTree] = useState<TimeTreeItem[] | null>(null);
  const [date, setDate] = useState('');
  const [hour, setHour] = useState<number | null>(null);
  const [minute, setMinute] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const id = sessionId.peek();
    if (!id) return;
    const ctl = new AbortController();
    api.timeTree(id, query.peek(), ctl.signal).then(
      (t) => {
        setTree(t);
        if (t.length > 0) {
          setDate(t[0]!.date);
          setHour(t[0]!.hour);
        }
      },
      (e) => !isAbortError(e) && showError(e),
    );
    inputRef.current?.focus();
    return () => ctl.abort();
  }, []);

  const dates = useMemo(() => [...new Set((tree ?? []).map((t) => t.date))], [tree]);
  const hours = useMemo(() => [...new Set((tree ?? []).filter((t) => t.date === date).map((t) => t.hour))], [tree, date]);
  const minutes = useMemo(
    () => (tree ?? []).filter((t) => t.date === date && t.hour === hour),
    [tree, date, hour],
  );

  const go = async (ts: number) => {
    const idx = await jumpToTime(ts);
    if (idx < 0) setMsg(`No row at or after ${formatMs(ts)} under the current filter.`);
    else onClose();
  };

  const submitTyped = () => {
    const s = session.peek();
    const defDate = date || (s ? formatMs(s.startTime).slice(0, 10) : undefined);
    const ts = parseTypedTime(typed, defDate);
    if (ts === null) {
      setMsg('Write a time as HH:MM:SS.mmm, or YYYY-MM-DD HH:MM:SS.mmm (UTC).');
      return;
    }
    void go(ts);
  };

  return (
    <Dialog title="Jump to time" onClose={onClose} testId="jump-dialog">
      <div class="jump">
        <label class="jump-typed">
          <span>Time (UTC)</span>
          <input
            ref={inputRef}
            type="text"
            placeholder="HH:MM:SS.mmm or YYYY-MM-DD HH:MM:SS.mmm"
            value={typed}
            data-testid="jump-input"
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => e.key === 'Enter' && submitTyped()}
          />
          <button class="btn primary" onClick={submitTyped} data-testid="jump-go">
            Go
          </button>
        </label>
        <div class="jump-pickers">
          <div class="picker">
            <div class="picker-title">Date</div>
            {tree === null && <div class="muted pad">Loading…</div>}
            {dates.map((d) => (
              <button key={d} class={`pick ${d === date ? 'on' : ''}`} onClick={() => (setDate(d), setHour(tree?.find((t) => t.date === d)?.hour ?? null), setMinute(null))}>
                {d}
              </button>
            ))}
          </div>
          <div class="picker">
            <div class="picker-title">Hour</div>
            {hours.map((h) => (
              <button key={h} class={`pick ${h === hour ? 'on' : ''}`} onClick={() => (setHour(h), setMinute(null))}>
                {pad(h)}:00
              </button>
            ))}
          </div>
          <div class="picker">
            <div class="picker-title">Minute</div>
            {minutes.map((m) => (
              <button
                key={m.minute}
                class={`pick ${m.minute === minute ? 'on' : ''}`}
                onClick={() => setMinute(m.minute)}
                onDblClick={() => void go(m.ts)}
                title={`First row: ${formatMs(m.ts)}`}
              >
                {pad(m.hour)}:{pad(m.minute)}
              </button>
            ))}
          </div>
        </div>
        {msg && <div class="field-error">{msg}</div>}
        <div class="row end">
          <span class="muted">Double-click a minute to jump.</span>
          <button
            class="btn primary"
            disabled={minute === null}
            onClick={() => {
              const m = minutes.find((x) => x.minute === minute);
              if (m) void go(m.ts);
            }}
          >
            Jump
          </button>
        </div>
      </div>
    </Dialog>
  );
}
