// The loaded session card (name, size, entries, status, progress, parse
// speed, view buttons, Unload) and the parse summary with its errors.

import { useEffect, useState } from 'preact/hooks';
import { api, isAbortError } from '../../api/client';
import type { ErrorsPage } from '../../api/types';
import { catalog } from '../../state/catalog';
import { unloadSession } from '../../state/lifecycle';
import { session, sessionFiles, sessionName } from '../../state/session';
import { showError } from '../../state/ui';
import { activeTab } from '../../state/tabs';
import { formatBytes, formatCount, formatDuration, formatMs } from '../../base/format';
import { sessionStatusLine } from './session_status';

export function SessionCard() {
  const s = session.value;
  if (!s) return null;
  const size = sessionFiles.value.reduce((n, f) => n + f.size, 0);
  const secs = s.processingTimeMs / 1000;
  const speed = secs > 0 && size > 0 && s.status === 'complete' ? `${formatBytes(size / secs)}/s · ${formatCount(Math.round(s.entryCount / secs))} entries/s` : '';
  return (
    <section class="card session-card" data-testid="session-card" data-status={s.status}>
      <div class="card-head">
        <h3>Loaded session</h3>
        <span class={`state-tag st-${s.status}`} data-testid="session-status">
          {s.status}
        </span>
      </div>
      <div class="session-name" title={sessionFiles.value.map((f) => f.name).join('\n')}>
        {sessionName.value}
      </div>
      <div class="kv-row">
        <span>
          <b>{sessionFiles.value.length > 0 ? formatBytes(size) : '—'}</b> size
        </span>
        <span>
          <b data-testid="session-entries">{formatCount(s.entryCount)}</b> entries
        </span>
        {s.parserName && (
          <span>
            format <b>{s.parserName}</b>
          </span>
        )}
        {speed && <span class="muted">{speed}</span>}
      </div>
      <div class={`progress ${s.status === 'error' ? 'error' : ''}`}>
        <div class="bar" style={{ width: `${s.status === 'complete' ? 100 : s.progress}%` }} />
      </div>
      <div class="muted small" data-testid="session-status">
        {sessionStatusLine(s)}
      </div>
      {s.status === 'complete' && s.entryCount === 0 && sessionFiles.value.length > 0 && (
        <div class="notice" data-testid="session-empty" role="status">
          {size === 0 ? 'The file is empty: there is nothing to show.' : 'No entries were read from this file: see the parse errors below.'}
        </div>
      )}
      <div class="row card-actions">
        <button class="btn primary" disabled={s.status !== 'complete'} onClick={() => (activeTab.value = 'workspace')} data-testid="open-workspace" title="The timing diagram over the log table">
          Workspace
        </button>
        <button class="btn" disabled={s.status !== 'complete'} onClick={() => (activeTab.value = 'log')} data-testid="open-log">
          Log Table
        </button>
        <button class="btn" disabled={s.status !== 'complete'} onClick={() => (activeTab.value = 'timing')}>
          Timing Diagram
        </button>
        <button class="btn" disabled={s.status !== 'complete'} onClick={() => (activeTab.value = 'transitions')}>
          Transitions
        </button>
        <div class="spacer" />
        <button class="btn danger" onClick={() => void unloadSession()} data-testid="unload">
          Unload
        </button>
      </div>
    </section>
  );
}

export function ParseSummary() {
  const s = session.value;
  const [errs, setErrs] = useState<ErrorsPage | null>(null);
  const [showErrs, setShowErrs] = useState(false);
  const id = s?.id;
  const complete = s?.status === 'complete';
  useEffect(() => {
    setErrs(null);
    if (!id || !complete) return;
    const ctl = new AbortController();
    api.errors(id, 1, 100, ctl.signal).then(setErrs, (e) => {
      if (isAbortError(e)) return;
      // Servers without /errors: fall back to the session's own list.
      setErrs({ errors: s?.errors ?? [], total: s?.errors?.length ?? 0, errorCount: s?.errorCount ?? s?.errors?.length ?? 0, page: 1, pageSize: 100, countsByReason: s?.errorCounts ?? {} });
      if (!(e instanceof Error && 'status' in e && (e as { status: number }).status === 404)) showError(e);
    });
    return () => ctl.abort();
  }, [id, complete]);
  if (!s || !complete) return null;
  const devices = s.deviceCount ?? catalog.value?.groups.length;
  const errorTotal = errs?.errorCount ?? s.errorCount ?? s.errors.length;
  const counts = errs && Object.keys(errs.countsByReason).length > 0 ? errs.countsByReason : s.errorCounts ?? {};
  return (
    <section class="card summary-card" data-testid="parse-summary">
      <div class="card-head">
        <h3>Parse summary</h3>
      </div>
      <div class="stats">
        <Stat label="Entries" value={formatCount(s.entryCount)} />
        <Stat label="Signals" value={formatCount(s.signalCount)} />
        <Stat label="Devices" value={devices !== undefined ? formatCount(devices) : '—'} />
        <Stat label="Parse time" value={formatDuration(s.processingTimeMs)} />
        <Stat label="Errors" value={formatCount(errorTotal)} warn={errorTotal > 0} />
      </div>
      <div class="kv-row small">
        <span>
          From <b class="mono">{s.startTime ? formatMs(s.startTime) : '—'}</b>
        </span>
        <span>
          to <b class="mono">{s.endTime ? formatMs(s.endTime) : '—'}</b>
        </span>
        <span class="muted">(UTC)</span>
      </div>
      {errorTotal > 0 && (
        <div class="errors-box">
          <div class="row">
            {Object.entries(counts).map(([reason, n]) => (
              <span class="reason-chip" key={reason}>
                {reason} <b>{formatCount(n)}</b>
              </span>
            ))}
            <div class="spacer" />
            <button class="btn small" onClick={() => setShowErrs(!showErrs)} data-testid="show-errors">
              {showErrs ? 'Hide lines' : 'Show lines'}
            </button>
          </div>
          {showErrs && errs && (
            <table class="errors-table" data-testid="errors-table">
              <thead>
                <tr>
                  <th class="r">Line</th>
                  <th>Reason</th>
                  <th>Content</th>
                </tr>
              </thead>
              <tbody>
                {errs.errors.map((e, i) => (
                  <tr key={i}>
                    <td class="r num">{e.line}</td>
                    <td>{e.reason}</td>
                    <td class="mono err-content" title={e.content}>
                      {e.content}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function Stat(props: { label: string; value: string; warn?: boolean }) {
  return (
    <div class={`stat ${props.warn ? 'warn' : ''}`}>
      <div class="stat-value num">{props.value}</div>
      <div class="stat-label">{props.label}</div>
    </div>
  );
}
