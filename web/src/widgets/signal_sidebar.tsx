// The signal sidebar, shared by the log table and the timing diagram: devices
// as collapsible groups with tri-state checkboxes and selected/total counts,
// a search (substring or regex over device or signal), a type filter. It
// edits the list it is given: the timing diagram's lanes (selectedSignals,
// the default) or the log table's signal filter (tableSignals).

import { useMemo, useRef, useEffect, useState } from 'preact/hooks';
import { catalog } from '../state/catalog';
import type { Signal } from '@preact/signals';
import { selectedSignals } from '../state/selection';
import type { SignalType } from '../api/types';
import { TypeSelect } from './type_select';
import { filterGroups, groupState, setKeys, type DeviceGroup } from '../state/signal_tree';

const kMaxRenderedSignals = 1500;
/** The short type tags of the sidebar and the diagram's lane names. */
export const kTypeTags: Record<SignalType, string> = { boolean: 'bool', integer: 'int', float: 'float', string: 'str' };

function TriCheckbox(props: { state: 'none' | 'some' | 'all'; onChange: (on: boolean) => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.state === 'some';
  }, [props.state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={props.label}
      checked={props.state === 'all'}
      onClick={(e) => e.stopPropagation()}
      onChange={() => props.onChange(props.state !== 'all')}
    />
  );
}

export function SignalSidebar(props: { title?: string; target?: Signal<string[]>; hint?: string }) {
  const target = props.target ?? selectedSignals;
  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [type, setType] = useState<SignalType | ''>('');
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [collapsed, setCollapsed] = useState(false);
  const cat = catalog.value;
  const selected = target.value;
  const selectedSet = useMemo(() => new Set(selected), [selected]);

  const { groups, error } = useMemo((): { groups: DeviceGroup[]; error: string | null } => {
    if (!cat) return { groups: [], error: null };
    try {
      return { groups: filterGroups(cat.groups, { query, regex, type }), error: null };
    } catch (e) {
      return { groups: [], error: e instanceof Error ? e.message : String(e) };
    }
  }, [cat, query, regex, type]);

  const filtering = query !== '' || type !== '';
  const visibleKeys = useMemo(() => groups.flatMap((g) => g.signals.map((s) => s.key)), [groups]);
  const autoOpen = filtering && visibleKeys.length <= 300;

  if (collapsed) {
    return (
      <aside class="sidebar collapsed">
        <button class="btn ghost small" title="Show signals" onClick={() => setCollapsed(false)}>
          ›
        </button>
      </aside>
    );
  }

  let rendered = 0;
  return (
    <aside class="sidebar" data-testid="signal-sidebar">
      <div class="sidebar-head">
        <span class="sidebar-title">{props.title ?? 'Signals'}</span>
        <span class="count" title={props.hint ?? 'selected / total signals'}>
          {selected.length} / {cat?.keys.length ?? 0}
        </span>
        <button class="btn ghost small" title="Hide the sidebar" onClick={() => setCollapsed(true)}>
          ‹
        </button>
      </div>
      <div class="sidebar-tools">
        <div class={`input-group ${error ? 'invalid' : ''}`}>
          <input
            type="search"
            placeholder="Search device or signal"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          <button
            class={`toggle-btn ${regex ? 'on' : ''}`}
            title="Regular expression"
            onClick={() => setRegex(!regex)}
          >
            .*
          </button>
        </div>
        {error && <div class="field-error">{error}</div>}
        <div class="row">
          <TypeSelect value={type} onChange={setType} />
          <button
            class="btn small"
            title="Select every signal shown"
            onClick={() => (target.value = setKeys(selected, visibleKeys, true))}
          >
            All
          </button>
          <button
            class="btn small"
            title={filtering ? 'Unselect the signals shown' : 'Clear the selection'}
            onClick={() =>
              (target.value = filtering ? setKeys(selected, visibleKeys, false) : [])
            }
          >
            None
          </button>
        </div>
      </div>
      <div class="sidebar-list">
        {!cat && <div class="muted pad">Signals appear when a session is loaded.</div>}
        {cat && groups.length === 0 && !error && <div class="muted pad">No signal matches.</div>}
        {groups.map((g) => {
          const { state, count } = groupState(g, selectedSet);
          const isOpen = autoOpen || open.has(g.device);
          const keys = g.signals.map((s) => s.key);
          return (
            <div class="dev-group" key={g.device}>
              <div
                class="dev-row"
                onClick={() => {
                  const n = new Set(open);
                  if (n.has(g.device)) n.delete(g.device);
                  else n.add(g.device);
                  setOpen(n);
                }}
                title={g.device}
              >
                <span class={`caret ${isOpen ? 'open' : ''}`}>▸</span>
                <TriCheckbox
                  state={state}
                  label={`Select all signals of ${g.device}`}
                  onChange={(on) => (target.value = setKeys(selected, keys, on))}
                />
                <span class="dev-name">{g.device || '(no device)'}</span>
                <span class="count">
                  {count}/{g.signals.length}
                </span>
              </div>
              {isOpen &&
                g.signals.map((s) => {
                  if (rendered++ >= kMaxRenderedSignals) return null;
                  return (
                    <label class="sig-row" key={s.key} title={s.key}>
                      <input
                        type="checkbox"
                        checked={selectedSet.has(s.key)}
                        onChange={(e) =>
                          (target.value = setKeys(
                            selected,
                            [s.key],
                            (e.target as HTMLInputElement).checked,
                          ))
                        }
                      />
                      <span class="sig-name">{s.name}</span>
                      {s.type && <span class={`type-tag t-${s.type}`}>{kTypeTags[s.type]}</span>}
                    </label>
                  );
                })}
            </div>
          );
        })}
        {rendered > kMaxRenderedSignals && (
          <div class="muted pad">Refine the search to see more signals.</div>
        )}
      </div>
    </aside>
  );
}
