// The Map view's toolbar: default maps, uploads of a layout, rules and a
// carrier log, the colour mode, find and follow a carrier, fit and reset, and
// the unit count. Reads and writes the signals of map_state.ts.

import { mapApi } from '../../api/map_api';
import { showError } from '../../state/ui';
import { pickTextFile } from '../../widgets/file_pick';
import type { ColorMode } from './colors';
import {
  carrierIds,
  carrierLog,
  chosenDefault,
  colorMode,
  defaults,
  follow,
  followCarrierLog,
  frameInfo,
  layout,
  rules,
  search,
} from './map_state';

/** A button that picks a local file and sends its text; errors go to the banner. */
function UploadButton({ label, accept, send }: { label: string; accept: string; send: (name: string, text: string) => Promise<void> }) {
  const onClick = async () => {
    const f = await pickTextFile(accept);
    if (f) await send(f.name, f.text);
  };
  return <button onClick={() => void onClick().catch((e) => showError(e))}>{label}</button>;
}

export function Toolbar({ onFit, onReset }: { onFit: () => void; onReset: () => void }) {
  const c = carrierLog.value;
  const run = (f: () => Promise<unknown>) => () => void f().catch((e) => showError(e));
  return (
    <div class="mv-toolbar">
      <select value={chosenDefault.value} onChange={(e) => (chosenDefault.value = (e.target as HTMLSelectElement).value)} aria-label="Default maps">
        {defaults.value.length === 0 && <option value="">no default maps</option>}
        {defaults.value.map((d) => (
          <option key={d.id} value={d.name}>
            {d.name}
          </option>
        ))}
      </select>
      <button
        data-testid="mv-load-default"
        disabled={!chosenDefault.value}
        onClick={run(async () => {
          layout.value = await mapApi.loadDefault(chosenDefault.value);
          rules.value = await mapApi.rules();
        })}
      >
        Load map
      </button>
      <UploadButton label="Upload layout…" accept=".xml,text/xml" send={async (name, text) => {
        await mapApi.uploadLayout(name, text);
        layout.value = await mapApi.layout();
      }} />
      <UploadButton label="Upload rules…" accept=".yaml,.yml" send={async (name, text) => {
        await mapApi.uploadRules(name, text);
        rules.value = await mapApi.rules();
      }} />
      <UploadButton label="Carrier log…" accept=".log,.txt,*" send={async (name, text) => {
        await mapApi.uploadCarrierLog(name, text);
        await followCarrierLog();
      }} />
      {(() => {
        const text = c?.loaded ? `carriers: ${c.fileName || c.sessionId} (${c.status}, ${c.entryCount ?? 0} entries)` : 'carriers: from the session';
        return (
          <span class="mv-muted mv-carrier-status" data-testid="mv-carrier-status" title={text}>
            {text}
          </span>
        );
      })()}
      <span class="mv-sep" />
      <label>
        Color by{' '}
        <select value={colorMode.value} onChange={(e) => (colorMode.value = (e.target as HTMLSelectElement).value as ColorMode)} aria-label="Color by">
          <option value="rules">rules</option>
          <option value="carriers">carrier count</option>
        </select>
      </label>
      <input
        list="mv-carriers"
        placeholder="Find carrier"
        value={search.value}
        onInput={(e) => (search.value = (e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') follow.value = search.value.trim() || null;
        }}
        aria-label="Find carrier"
        data-testid="mv-search"
      />
      <datalist id="mv-carriers">
        {carrierIds.value.slice(0, 2000).map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <button data-testid="mv-follow" onClick={() => (follow.value = follow.value ? null : search.value.trim() || null)}>
        {follow.value ? `Stop following ${follow.value}` : 'Follow'}
      </button>
      <span class="mv-sep" />
      <button onClick={onFit} title="Fit the whole map">Fit</button>
      <button onClick={onReset} title="Scale 1, origin at the top left">Reset</button>
      <span class="mv-muted mv-frame" data-testid="mv-frame">{frameInfo.value}</span>
    </div>
  );
}
