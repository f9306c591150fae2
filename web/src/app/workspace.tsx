// The Workspace view: the timing diagram on top and the log table below on
// one screen, split by a drag handle (state/workspace.ts holds the ratio).
// The two are the same views the tabs show, so selection, cursor, lanes and
// filters are shared as across tabs; in the Workspace a table hover marks
// the diagram only while the mouse is on the table. docs/ui.md "Workspace".

import { registerShortcuts } from '../state/shortcuts';
import { sessionId } from '../state/session';
import { activeTab } from '../state/tabs';
import { clampSplit, kDefaultSplit, splitRatio } from '../state/workspace';
import { SplitPane } from '../widgets/split_pane';
import { SplitLogTableView } from '../views/log_table/log_table_view';
import { TimingView } from '../views/timing/timing_view';

registerShortcuts([
  { keys: 'Drag the handle / ↑ ↓ on it', action: 'Resize the diagram and the table (Shift: bigger steps; double-click: reset)', scope: 'Workspace' },
  { keys: 'Table keys / other keys', action: 'Act on the table when it has the focus / on the diagram', scope: 'Workspace' },
]);

export function WorkspaceView() {
  if (!sessionId.value) {
    return (
      <div class="empty-view" data-testid="workspace-empty">
        <p>No session is loaded: the Workspace shows its timing diagram and log table together.</p>
        <button class="btn primary" onClick={() => (activeTab.value = 'home')}>
          Open a file on Home
        </button>
      </div>
    );
  }
  return (
    <div class="workspace" data-testid="workspace">
      <SplitPane
        ratio={splitRatio.value}
        onRatio={(r) => (splitRatio.value = r)}
        clamp={(r, h) => clampSplit(r, h)}
        defaultRatio={kDefaultSplit}
        label="Diagram / table split"
        top={<TimingView />}
        bottom={<SplitLogTableView />}
      />
    </div>
  );
}
