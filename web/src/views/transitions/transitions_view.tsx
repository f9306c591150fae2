// The Transitions view (tact-time analysis, docs/ui.md "Transitions"): a saved
// list of rules with an editor, results computed by the server over the whole
// session, a results table that jumps the other views to an interval, and
// per-rule statistics, histogram and trend. State lives in module signals so
// it survives tab switches.

import { signal, computed, effect } from '@preact/signals';
import { isAbortError } from '../../api/client';
import { transitions, type ConditionOp, type TransitionResult, type TransitionType } from '../../api/map_api';
import { catalog } from '../../state/catalog';
import { activeTab } from '../../state/tabs';
import { addSelectedSignals, cursorTime, windowRequest } from '../../state/selection';
import { sessionId } from '../../state/session';
import { showError } from '../../state/ui';
import { saveText } from '../../base/download';
import { formatMs } from '../../base/format';
import { Histogram, Trend, type TrendMode } from './charts';
import {
  kOpLabels,
  kTypeLabels,
  laneKeysFor,
  loadRules,
  newRule,
  saveRules,
  toRequest,
  validateRule,
  type ConditionDraft,
  type RuleDraft,
} from './rules';
import { formatDuration, intervalsCsv } from './stats';
import './transitions.css';

const rules = signal<RuleDraft[]>(loadRules());
effect(() => saveRules(rules.value));
const editingId = signal<string | null>(rules.value[0]?.id ?? null);
const results = signal<TransitionResult[] | null>(null);
const resultsFor = signal<string | null>(null);  // session id the results belong to
const running = signal(false);
const elapsedMs = signal<number | null>(null);
const selectedResult = signal(0);
const trendMode = signal<TrendMode>('raw');
const page = signal(0);
const selectedRow = signal<number | null>(null);
const kPageSize = 200;

// Results of another session are stale.
effect(() => {
  if (sessionId.value !== resultsFor.peek()) {
    results.value = null;
    selectedRow.value = null;
  }
});

const editing = computed(() => rules.value.find((r) => r.id === editingId.value) ?? null);

function update(id: string, patch: Partial<RuleDraft>) {
  rules.value = rules.value.map((r) => (r.id === id ? { ...r, ...patch } : r));
}

let inflight: AbortController | null = null;

export async function runRules(): Promise<void> {
  const sid = sessionId.peek();
  if (!sid) return;
  const runnable = rules.peek().filter((r) => r.enabled && validateRule(r).length === 0);
  if (runnable.length === 0) {
    showError(new Error('No enabled rule is complete: set its signals and values first.'));
    return;
  }
  inflight?.abort();
  const ctl = new AbortController();
  inflight = ctl;
  running.value = true;
  const t0 = performance.now();
  try {
    const res = await transitions(sid, runnable.map(toRequest), ctl.signal);
    results.value = res;
    resultsFor.value = sid;
    elapsedMs.value = performance.now() - t0;
    selectedResult.value = Math.min(selectedResult.peek(), Math.max(0, res.length - 1));
    page.value = 0;
    selectedRow.value = null;
  } catch (e) {
    if (!isAbortError(e)) showError(e);
  } finally {
    if (inflight === ctl) running.value = false;
  }
}

/** Moves the shared cursor to an interval's start: the other views follow it. */
function jumpTo(t: number, row: number | null) {
  selectedRow.value = row;
  cursorTime.value = t;
}

function ConditionEditor({
  label,
  c,
  onChange,
  showOp = true,
}: {
  label: string;
  c: ConditionDraft;
  onChange: (c: ConditionDraft) => void;
  showOp?: boolean;
}) {
  return (
    <fieldset class="tr-cond">
      <legend>{label}</legend>
      <input
        class="tr-signal"
        list="tr-signal-list"
        placeholder="device::signal or signal name"
        value={c.signal}
        onInput={(e) => onChange({ ...c, signal: (e.target as HTMLInputElement).value })}
        aria-label={`${label} signal`}
      />
      {showOp && (
        <select
          value={c.op}
          onChange={(e) => onChange({ ...c, op: (e.target as HTMLSelectElement).value as ConditionOp })}
          aria-label={`${label} condition`}
        >
          {Object.entries(kOpLabels).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      )}
      {showOp && c.op !== 'notEmpty' && (
        <input
          class="tr-value"
          placeholder="value"
          value={c.value}
          onInput={(e) => onChange({ ...c, value: (e.target as HTMLInputElement).value })}
          aria-label={`${label} value`}
        />
      )}
    </fieldset>
  );
}

function RuleEditor({ r }: { r: RuleDraft }) {
  const problems = validateRule(r);
  return (
    <div class="tr-editor" data-testid="tr-editor">
      <label>
        Name
        <input value={r.name} onInput={(e) => update(r.id, { name: (e.target as HTMLInputElement).value })} aria-label="Rule name" />
      </label>
      <label>
        Type
        <select
          value={r.type}
          onChange={(e) => update(r.id, { type: (e.target as HTMLSelectElement).value as TransitionType })}
          aria-label="Rule type"
        >
          {Object.entries(kTypeLabels).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <ConditionEditor
        label={r.type === 'a_to_b' ? 'Start (A)' : r.type === 'cycle' ? 'Condition (A)' : 'Signal'}
        c={r.start}
        onChange={(start) => update(r.id, { start })}
        showOp={r.type !== 'value_populated'}
      />
      {r.type === 'a_to_b' && <ConditionEditor label="End (B)" c={r.end} onChange={(end) => update(r.id, { end })} />}
      <div class="tr-target-row">
        <label>
          Target ms
          <input value={r.target} placeholder="none" onInput={(e) => update(r.id, { target: (e.target as HTMLInputElement).value })} aria-label="Target ms" />
        </label>
        <label>
          ± tolerance ms
          <input value={r.tolerance} placeholder="0" onInput={(e) => update(r.id, { tolerance: (e.target as HTMLInputElement).value })} aria-label="Tolerance ms" />
        </label>
      </div>
      {problems.length > 0 && <ul class="tr-problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
    </div>
  );
}

function RuleList() {
  return (
    <div class="tr-rules">
      <div class="tr-rules-head">
        <strong>Rules</strong>
        <button
          onClick={() => {
            const r = newRule(rules.value.length + 1);
            rules.value = [...rules.value, r];
            editingId.value = r.id;
          }}
          data-testid="tr-add"
        >
          + Add
        </button>
      </div>
      <ul>
        {rules.value.map((r) => (
          <li key={r.id} class={r.id === editingId.value ? 'active' : ''} onClick={() => (editingId.value = r.id)}>
            <input
              type="checkbox"
              checked={r.enabled}
              onClick={(e) => e.stopPropagation()}
              onChange={(e) => update(r.id, { enabled: (e.target as HTMLInputElement).checked })}
              aria-label={`Enable ${r.name}`}
            />
            <span class="tr-rule-name">{r.name}</span>
            <span class="tr-rule-type">{kTypeLabels[r.type]}</span>
            <button
              class="tr-del"
              title="Delete rule"
              onClick={(e) => {
                e.stopPropagation();
                rules.value = rules.value.filter((x) => x.id !== r.id);
                if (editingId.value === r.id) editingId.value = rules.value[0]?.id ?? null;
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {editing.value && <RuleEditor r={editing.value} />}
      <button class="primary tr-run" disabled={running.value || !sessionId.value} onClick={() => void runRules()} data-testid="tr-run">
        {running.value ? 'Computing…' : 'Compute over the whole session'}
      </button>
      {elapsedMs.value !== null && results.value && (
        <div class="tr-muted">Computed in {elapsedMs.value.toFixed(0)} ms (request round trip).</div>
      )}
    </div>
  );
}

function StatsTable({ res }: { res: TransitionResult[] }) {
  return (
    <table class="tr-stats" data-testid="tr-stats">
      <thead>
        <tr>
          <th>Rule</th><th>Count</th><th>Min</th><th>Max</th><th>Mean</th><th>Std dev</th><th>Within</th><th>Above</th><th>Below</th>
        </tr>
      </thead>
      <tbody>
        {res.map((r, i) => (
          <tr key={i} class={i === selectedResult.value ? 'active' : ''} onClick={() => ((selectedResult.value = i), (page.value = 0))}>
            <td>{r.name}</td>
            <td>{r.stats.count}</td>
            <td>{formatDuration(r.stats.minMs)}</td>
            <td>{formatDuration(r.stats.maxMs)}</td>
            <td>{formatDuration(r.stats.meanMs)}</td>
            <td>{formatDuration(r.stats.stddevMs)}</td>
            <td>{r.stats.within}</td>
            <td>{r.stats.above}</td>
            <td>{r.stats.below}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function downloadCsv(r: TransitionResult): void {
  saveText(intervalsCsv(r), `${(r.name || 'transitions').replace(/[^\w.-]+/g, '_')}.csv`, 'text/csv');
}

/** A click on an interval: the cursor at its start, the diagram zoomed to it, its signals as lanes. */
function showInterval(r: TransitionResult, i: number, draft: RuleDraft | undefined): void {
  jumpTo(r.intervals.start[i]!, i);
  windowRequest.value = { start: r.intervals.start[i]!, end: r.intervals.end[i]! };
  const device = r.intervals.device[i];
  if (draft && device) addSelectedSignals(laneKeysFor(draft, device, new Set(catalog.peek()?.keys ?? [])));
}

function ResultsTable({ r, draft }: { r: TransitionResult; draft: RuleDraft | undefined }) {
  const n = r.intervals.start.length;
  const pages = Math.max(1, Math.ceil(n / kPageSize));
  const p = Math.min(page.value, pages - 1);
  const rows: number[] = [];
  for (let i = p * kPageSize; i < Math.min(n, (p + 1) * kPageSize); i++) rows.push(i);
  return (
    <div class="tr-results">
      <div class="tr-pager">
        <span>
          {n.toLocaleString()} intervals of <strong>{r.name}</strong>
        </span>
        <button disabled={p === 0} onClick={() => (page.value = p - 1)}>‹</button>
        <span>
          page {p + 1} / {pages}
        </span>
        <button disabled={p >= pages - 1} onClick={() => (page.value = p + 1)}>›</button>
        <button disabled={n === 0} onClick={() => downloadCsv(r)} data-testid="tr-csv" title="Every interval of this rule as a CSV file">
          ⤓ CSV
        </button>
      </div>
      <table class="tr-table" data-testid="tr-results">
        <thead>
          <tr>
            <th>#</th><th>Device</th><th>Start</th><th>End</th><th>Duration</th><th>Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr
              key={i}
              class={`st-${r.intervals.status[i]} ${selectedRow.value === i ? 'selected' : ''}`}
              onClick={() => showInterval(r, i, draft)}
              onDblClick={() => {
                jumpTo(r.intervals.start[i]!, i);
                activeTab.value = 'log';
              }}
              title="Click: move the other views here (the diagram shows this interval with the rule's signals as lanes). Double-click: open the Log Table there."
            >
              <td>{i + 1}</td>
              <td>{r.intervals.device[i]}</td>
              <td>{formatMs(r.intervals.start[i]!)}</td>
              <td>{formatMs(r.intervals.end[i]!)}</td>
              <td>{formatDuration(r.intervals.durationMs[i]!)}</td>
              <td><span class={`tr-status st-${r.intervals.status[i]}`}>{r.intervals.status[i]}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TransitionsView() {
  const res = results.value;
  const r = res?.[selectedResult.value];
  const draft = r ? rules.value.find((x) => x.enabled && x.name.trim() === r.name) : undefined;
  const target = draft && draft.target.trim() !== '' ? Number(draft.target) : undefined;
  const keys = catalog.value?.keys ?? [];
  return (
    <div class="tr-view">
      <datalist id="tr-signal-list">
        {keys.slice(0, 5000).map((k) => <option key={k} value={k} />)}
      </datalist>
      <RuleList />
      <div class="tr-main">
        {!res && <div class="tr-empty">Add a rule and compute it: every interval of the whole session appears here.</div>}
        {res && <StatsTable res={res} />}
        {r && (
          <>
            <div class="tr-charts">
              <div>
                <div class="tr-chart-title">Histogram of durations</div>
                <Histogram durations={r.intervals.durationMs} target={target} />
              </div>
              <div>
                <div class="tr-chart-title">
                  Duration over time{' '}
                  <select value={trendMode.value} onChange={(e) => (trendMode.value = (e.target as HTMLSelectElement).value as TrendMode)} aria-label="Trend mode">
                    <option value="raw">raw</option>
                    <option value="moving">moving average</option>
                    <option value="buckets">time buckets (mean, min–max)</option>
                  </select>
                </div>
                <Trend starts={r.intervals.start} durations={r.intervals.durationMs} mode={trendMode.value} target={target} onPick={(t) => jumpTo(t, null)} />
              </div>
            </div>
            <ResultsTable r={r} draft={draft} />
          </>
        )}
      </div>
    </div>
  );
}
