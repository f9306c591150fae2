// The timing view's Layouts menu: save the lanes (order, collapsed groups,
// lane height, each lane's display) under a name on the server, where everyone who opens the
// session finds them; load or delete one; export the current layout as a
// file and import one (docs/ui.md "Layouts").

import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { LayoutSummary } from '../../api/types';
import { showError } from '../../state/ui';
import { saveText } from '../../base/download';
import { pickTextFile } from '../../widgets/file_pick';
import { NameSaveRow } from '../../widgets/name_save_row';
import { PopoverButton } from '../../widgets/popover';
import { applicableLanes, layoutFileName, layoutFileText, layoutSettings, parseLayoutFile, setupOf, type LaneSetup } from './layout_file';

export interface LayoutsMenuProps {
  sessionId: string;
  /** What is on screen now. */
  current: LaneSetup;
  /** The session's signal keys (a layout's other lanes are skipped). */
  known: ReadonlySet<string>;
  onApply: (s: LaneSetup) => void;
}

export function LayoutsMenu(p: LayoutsMenuProps) {
  return (
    <PopoverButton label="Layouts" title="Save, load, export and import lane layouts" testId="layouts-button" align="right">
      {() => <LayoutsPanel {...p} />}
    </PopoverButton>
  );
}

/** The open menu: the session's layouts are read each time it opens. */
function LayoutsPanel(p: LayoutsMenuProps) {
  const [list, setList] = useState<LayoutSummary[] | null>(null);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = (): void => {
    api.layouts(p.sessionId).then((r) => setList(r.layouts), showError);
  };
  useEffect(refresh, [p.sessionId]);
  const apply = (label: string, s: LaneSetup): void => {
    const { lanes, missing } = applicableLanes(s.lanes, p.known);
    p.onApply({ ...s, lanes });
    setNotice(`${label}: ${lanes.length} lanes${missing > 0 ? ` (${missing} not in this session, skipped)` : ''}`);
  };
  const save = (): void => {
    const n = name.trim();
    if (!n) return;
    api.saveLayout(p.sessionId, n, { lanes: p.current.lanes, settings: layoutSettings(p.current) }).then((saved) => {
      setNotice(`Saved “${saved.name}” (${saved.lanes.length} lanes)`);
      refresh();
    }, showError);
  };
  const load = (n: string): void => {
    api.layout(p.sessionId, n).then((l) => apply(`Loaded “${l.name}”`, setupOf(l.lanes, l.settings)), showError);
  };
  const remove = (n: string): void => {
    api.deleteLayout(p.sessionId, n).then(refresh, showError);
  };
  const importFile = async (): Promise<void> => {
    const f = await pickTextFile('.json,application/json');
    if (!f) return;
    const r = parseLayoutFile(f.text);
    if ('error' in r) {
      showError(r.error);
      return;
    }
    if (r.name) setName(r.name);
    apply(`Imported “${r.name || f.name}”`, r.setup);
  };

  return (
          <div class="tl-layouts" data-testid="layouts-menu">
            <NameSaveRow
              name={name}
              onName={setName}
              onSave={save}
              placeholder="Layout name"
              title="Save the lanes under this name for everyone who opens this session"
              testId="layout"
              canSave={p.current.lanes.length > 0}
            />
            {list === null && <div class="muted small">Loading…</div>}
            {list !== null && list.length === 0 && <div class="muted small">No saved layouts in this session.</div>}
            {list !== null && list.length > 0 && (
              <ul class="tl-layout-list" data-testid="layout-list">
                {list.map((l) => (
                  <li key={l.name}>
                    <button class="btn small ghost tl-layout-load" title={`Load “${l.name}” (${l.laneCount} lanes)`} onClick={() => load(l.name)} data-testid="layout-load">
                      {l.name} <span class="muted">· {l.laneCount}</span>
                    </button>
                    <button class="btn small ghost" title={`Delete “${l.name}”`} onClick={() => remove(l.name)} data-testid="layout-delete">
                      ✕
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div class="tl-layout-files">
              <button
                class="btn small"
                disabled={p.current.lanes.length === 0}
                data-testid="layout-export"
                title="Download the current lanes as a layout file"
                onClick={() => saveText(layoutFileText(name.trim(), p.current), layoutFileName(name.trim() || 'layout'), 'application/json')}
              >
                ⤓ Export file
              </button>
              <button class="btn small" data-testid="layout-import" title="Load a layout file" onClick={() => void importFile().catch(showError)}>
                ⤒ Import file
              </button>
            </div>
            {notice && (
              <div class="muted small" data-testid="layout-notice">
                {notice}
              </div>
            )}
          </div>
  );
}
