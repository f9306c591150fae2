// Keyboard shortcuts shown in the Help dialog. Views add their own with
// registerShortcuts(); the handlers live with the views.

export interface Shortcut {
  keys: string;
  action: string;
  scope: string;
}

const list: Shortcut[] = [
  { keys: 'Alt+1 … Alt+6', action: 'Switch view: Home, Workspace (diagram over table), Log Table, Timing Diagram, Transitions, Map', scope: 'Global' },
  { keys: '?', action: 'Show this help', scope: 'Global' },
  { keys: 'Ctrl+V', action: 'Paste files or text to upload', scope: 'Home' },
  { keys: 'Click / Ctrl+Click / Shift+Click', action: 'Select a row / toggle a row / select a range', scope: 'Log Table' },
  { keys: '↑ ↓ PgUp PgDn Home End', action: 'Move the selection (Shift extends it)', scope: 'Log Table' },
  { keys: 'Ctrl+A', action: 'Select all rows', scope: 'Log Table' },
  { keys: 'Ctrl+C', action: 'Copy the selected rows as tab-separated lines', scope: 'Log Table' },
  { keys: 'Ctrl+Shift+G', action: 'Jump to a time', scope: 'Log Table' },
  { keys: 'Ctrl+F', action: 'Focus the search box', scope: 'Log Table' },
  { keys: 'F3 / Shift+F3', action: 'Highlight mode: select the next / previous search match', scope: 'Log Table' },
  { keys: 'Enter / Shift+Enter', action: 'In the search box (Highlight mode): next / previous match', scope: 'Log Table' },
  { keys: 'Escape', action: 'Close a dialog or menu; clear the selection', scope: 'Log Table' },
  { keys: 'Ctrl+B', action: 'Bookmark the selected row’s time', scope: 'Log Table' },
  { keys: 'Ctrl+] / Ctrl+[', action: 'Jump to the next / previous bookmark', scope: 'Log Table' },
  { keys: 'Right-click', action: 'Row menu: add signals to the timing diagram, copy, clear selection', scope: 'Log Table' },
];

export function registerShortcuts(items: Shortcut[]): void {
  for (const s of items) {
    if (!list.some((x) => x.keys === s.keys && x.scope === s.scope)) list.push(s);
  }
}

export function shortcuts(): readonly Shortcut[] {
  return list;
}
