// The toolbar's "Sets" menu: saved filter sets (filter_sets.ts) under a
// name, in this browser for every session; apply, delete, export one as a
// JSON file, import one.

import { batch, effect, signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import { loadJson, saveJson } from '../../base/storage';
import { saveText } from '../../base/download';
import { tableSignals } from '../../state/selection';
import { showError } from '../../state/ui';
import { pickTextFile } from '../../widgets/file_pick';
import { NameSaveRow } from '../../widgets/name_save_row';
import { PopoverButton } from '../../widgets/popover';
import {
  describeSet,
  filterOfSet,
  parseSetFile,
  readSetList,
  removeSet,
  setFileName,
  setFileText,
  setFromState,
  upsertSet,
  type FilterSet,
} from './filter_sets';
import { filter } from './table_state';

const kStoreKey = 'plcscope.logTable.filterSets';

export const filterSets = signal<FilterSet[]>(readSetList(loadJson<unknown>(kStoreKey, [])));
effect(() => saveJson(kStoreKey, filterSets.value));

function applySet(s: FilterSet): void {
  batch(() => {
    filter.value = filterOfSet(s, filter.peek());
    tableSignals.value = [...s.signals];
  });
}

export function FilterSetsMenu() {
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const list = filterSets.value;
  const save = () => {
    const n = name.trim();
    if (!n) return;
    const replaced = list.some((s) => s.name === n);
    filterSets.value = upsertSet(list, setFromState(n, filter.peek(), tableSignals.peek()));
    setNotice(`${replaced ? 'Replaced' : 'Saved'} “${n}”`);
  };
  const importFile = async () => {
    const f = await pickTextFile('.json,application/json');
    if (!f) return;
    const r = parseSetFile(f.text);
    if ('error' in r) {
      setNotice(`${f.name}: ${r.error}`);
      return;
    }
    filterSets.value = upsertSet(filterSets.peek(), r.set);
    applySet(r.set);
    setName(r.set.name);
    setNotice(`Imported and applied “${r.set.name}”`);
  };
  return (
    <PopoverButton label="Sets" title="Saved filter sets (this browser, every session)" testId="filter-sets-button" align="right">
      {(close) => (
        <div class="filter-sets" data-testid="filter-sets-menu">
          <NameSaveRow
            name={name}
            onName={setName}
            onSave={save}
            placeholder="Name of the current filters"
            title="Save the search, exclude, categories, types, time range, changes only and signal filter under this name"
            testId="filter-set"
          />
          {list.length === 0 && <div class="muted small">No saved filter sets in this browser.</div>}
          {list.length > 0 && (
            <ul class="filter-set-list" data-testid="filter-set-list">
              {list.map((s) => (
                <li key={s.name} data-name={s.name}>
                  <button
                    class="btn small ghost filter-set-apply"
                    title={`Apply “${s.name}”: ${describeSet(s)}`}
                    onClick={() => {
                      applySet(s);
                      close();
                    }}
                    data-testid="filter-set-apply"
                  >
                    <span class="filter-set-name">{s.name}</span> <span class="muted">· {describeSet(s)}</span>
                  </button>
                  <button class="btn small ghost" title={`Download “${s.name}” as a file`} onClick={() => saveText(setFileText(s), setFileName(s), 'application/json')} data-testid="filter-set-export">
                    ⤓
                  </button>
                  <button
                    class="btn small ghost"
                    title={`Delete “${s.name}”`}
                    onClick={() => {
                      filterSets.value = removeSet(filterSets.peek(), s.name);
                      setNotice(`Deleted “${s.name}”`);
                    }}
                    data-testid="filter-set-delete"
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div class="row">
            <button class="btn small" data-testid="filter-set-import" title="Add a filter set from a file and apply it" onClick={() => void importFile().catch(showError)}>
              ⤒ Import file
            </button>
          </div>
          {notice && (
            <div class="muted small" data-testid="filter-set-notice">
              {notice}
            </div>
          )}
        </div>
      )}
    </PopoverButton>
  );
}
