// The command palette (Ctrl+K, from every view, like Surfer's and
// Perfetto's): one box that finds, by fuzzy name (base/fuzzy.ts), the open
// session's signals (Enter adds the signal as a lane of the timing diagram,
// or focuses it if it is one, and shows the diagram), devices (adds their
// signals as lanes), the views (switches) and the actions views register
// (state/commands.ts: fit, undo zoom, export …). "> " searches the actions
// and views only. Arrows move, Enter runs, Escape closes.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { rankFuzzy, type Ranked } from '../base/fuzzy';
import type { SignalType } from '../api/types';
import { catalog } from '../state/catalog';
import { commands } from '../state/commands';
import { addSelectedSignals, laneFocusRequest, selectedSignals } from '../state/selection';
import { activeTab } from '../state/tabs';
import { kTypeTags } from '../widgets/signal_sidebar';
import { tabs } from './views';

type Kind = 'action' | 'view' | 'device' | 'signal';

interface Item {
  readonly kind: Kind;
  readonly id: string;
  /** The text matched and shown. */
  readonly text: string;
  /** Where `text` starts being the name (a signal's key: after "device::"). */
  readonly nameFrom: number;
  readonly detail: string;
  readonly keys?: string;
  readonly type?: SignalType;
  readonly run: () => void;
}

const kLimit = 60;
const kKindLabel: Record<Kind, string> = { action: 'action', view: 'view', device: 'device', signal: 'signal' };
// On equal matches: actions and views first (few, and what a short query
// usually means), then devices, then signals.
const kBias: Record<Kind, number> = { action: 3, view: 3, device: 1, signal: 0 };

function showLane(key: string): void {
  addSelectedSignals([key]);
  laneFocusRequest.value = key;
  activeTab.value = 'timing';
}

function buildItems(): Item[] {
  const items: Item[] = [];
  for (const c of commands()) {
    items.push({ kind: 'action', id: `a:${c.id}`, text: c.label, nameFrom: 0, detail: c.scope, keys: c.keys, run: c.run });
  }
  for (const t of tabs()) {
    items.push({ kind: 'view', id: `v:${t.id}`, text: t.label, nameFrom: 0, detail: 'switch view', keys: t.shortcut, run: () => (activeTab.value = t.id) });
  }
  const cat = catalog.peek();
  if (cat) {
    const lanes = new Set(selectedSignals.peek());
    for (const g of cat.groups) {
      const keys = g.signals.map((s) => s.key);
      const missing = keys.filter((k) => !lanes.has(k)).length;
      items.push({
        kind: 'device',
        id: `d:${g.device}`,
        text: g.device,
        nameFrom: 0,
        detail: missing > 0 ? `add ${missing} of ${keys.length} signals as lanes` : `all ${keys.length} signals are lanes: focus`,
        run: () => {
          addSelectedSignals(keys);
          if (keys[0]) laneFocusRequest.value = keys[0];
          activeTab.value = 'timing';
        },
      });
    }
    for (const key of cat.keys) {
      const i = key.lastIndexOf('::');
      items.push({
        kind: 'signal',
        id: `s:${key}`,
        text: key,
        nameFrom: i < 0 ? 0 : i + 2,
        detail: lanes.has(key) ? 'focus lane' : 'add as lane',
        type: cat.types[key],
        run: () => showLane(key),
      });
    }
  }
  return items;
}

function Highlighted(props: { text: string; positions: readonly number[]; nameFrom: number }) {
  const hit = new Set(props.positions);
  const parts: preact.JSX.Element[] = [];
  let i = 0;
  while (i < props.text.length) {
    const on = hit.has(i);
    const dim = i < props.nameFrom;
    let j = i + 1;
    while (j < props.text.length && hit.has(j) === on && j < props.nameFrom === dim) j++;
    const s = props.text.slice(i, j);
    parts.push(
      <span key={i} class={`${on ? 'cp-hit' : ''} ${dim ? 'cp-dim' : ''}`}>
        {s}
      </span>,
    );
    i = j;
  }
  return <span class="cp-text">{parts}</span>;
}

export function CommandPalette({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  // The items when the palette opens (the catalog and the lanes do not change under it).
  const items = useMemo(buildItems, []);
  const actionsOnly = query.startsWith('>');
  const q = actionsOnly ? query.slice(1) : query;
  const pool = useMemo(() => (actionsOnly ? items.filter((it) => it.kind === 'action' || it.kind === 'view') : items), [items, actionsOnly]);
  const results: Ranked<Item>[] = useMemo(() => {
    if (q.trim() === '') {
      // Nothing typed: the actions and views, then the devices.
      return pool.filter((it) => it.kind !== 'signal').slice(0, kLimit).map((item) => ({ item, score: 0, positions: [] }));
    }
    return rankFuzzy(q, pool, (it) => it.text, kLimit, (it) => kBias[it.kind]);
  }, [pool, q]);
  const sel = Math.min(index, Math.max(0, results.length - 1));

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${sel}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [sel, results]);

  const run = (r: Ranked<Item> | undefined): void => {
    if (!r) return;
    onClose();
    r.item.run();
  };

  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown' || (e.ctrlKey && e.key === 'n')) setIndex(Math.min(sel + 1, results.length - 1));
    else if (e.key === 'ArrowUp' || (e.ctrlKey && e.key === 'p')) setIndex(Math.max(sel - 1, 0));
    else if (e.key === 'PageDown') setIndex(Math.min(sel + 8, results.length - 1));
    else if (e.key === 'PageUp') setIndex(Math.max(sel - 8, 0));
    else if (e.key === 'Enter') run(results[sel]);
    else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div class="cp-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div class="cp" role="dialog" aria-label="Command palette" data-testid="command-palette">
        <input
          ref={input}
          class="cp-input"
          type="text"
          spellcheck={false}
          placeholder="Find a signal, device, view or action (> actions only)"
          value={query}
          data-testid="command-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="cp-list"
          onInput={(e) => {
            setQuery((e.target as HTMLInputElement).value);
            setIndex(0);
          }}
          onKeyDown={onKey}
        />
        <div class="cp-list" id="cp-list" role="listbox" ref={list} data-testid="command-results">
          {results.length === 0 && <div class="cp-empty">Nothing matches “{q.trim()}”.</div>}
          {results.map((r, i) => (
            <div
              key={r.item.id}
              class={`cp-item ${i === sel ? 'sel' : ''}`}
              role="option"
              aria-selected={i === sel}
              data-index={i}
              data-kind={r.item.kind}
              data-id={r.item.id}
              data-testid="command-item"
              onMouseMove={() => i !== sel && setIndex(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                run(r);
              }}
            >
              <span class={`cp-kind k-${r.item.kind}`}>{kKindLabel[r.item.kind]}</span>
              {r.item.type && <span class={`type-tag t-${r.item.type}`}>{kTypeTags[r.item.type]}</span>}
              <Highlighted text={r.item.text} positions={r.positions} nameFrom={r.item.nameFrom} />
              <span class="cp-detail">{r.item.detail}</span>
              {r.item.keys && <kbd class="cp-keys">{r.item.keys}</kbd>}
            </div>
          ))}
        </div>
        <div class="cp-foot">
          <span>
            <kbd>↑</kbd> <kbd>↓</kbd> move
          </span>
          <span>
            <kbd>Enter</kbd> run
          </span>
          <span>
            <kbd>Esc</kbd> close
          </span>
          <span>
            <kbd>&gt;</kbd> actions only
          </span>
        </div>
      </div>
    </div>
  );
}
