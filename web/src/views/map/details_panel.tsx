// The Map view's unit details: the selected unit's carriers (click one to
// follow it) and its devices' signal values at the playback time, as the
// server's /map/unit answered (map_state.ts loadUnitDetails).

import { formatMs } from '../../base/format';
import { details, follow, search, selectedUnit } from './map_state';

export function DetailsPanel() {
  const d = details.value;
  const id = selectedUnit.value;
  if (!id) return null;
  return (
    <aside class="mv-details" data-testid="mv-details">
      <div class="mv-details-head">
        <strong>{id}</strong>
        <button onClick={() => ((selectedUnit.value = null), (details.value = null))} aria-label="Close">×</button>
      </div>
      {!d && <div class="mv-muted">Loading…</div>}
      {d && (
        <>
          <div class="mv-muted">at {formatMs(d.t)}</div>
          <h4>Carriers ({d.carriers.length})</h4>
          <ul class="mv-carrier-list">
            {d.carriers.map((c) => (
              <li key={c.carrierId}>
                <a onClick={() => ((search.value = c.carrierId), (follow.value = c.carrierId))}>{c.carrierId}</a>{' '}
                <span class="mv-muted">since {formatMs(c.since).slice(11)}</span>
              </li>
            ))}
          </ul>
          <h4>Devices ({d.devices.length})</h4>
          {d.devices.map((dev) => (
            <details key={dev.id} open={d.devices.length <= 3}>
              <summary title={dev.path}>{dev.id}</summary>
              <table class="mv-values">
                <tbody>
                  {dev.signals.map((s) => (
                    <tr key={s.name}>
                      <td>{s.name}</td>
                      <td class="mv-value">{s.value === null ? '—' : String(s.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
        </>
      )}
    </aside>
  );
}
