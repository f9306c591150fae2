// The view table: every view of the shell, in display order. The shell
// renders it; the views know nothing of it (they switch views through
// state/tabs.ts). Module constant.

import type { ComponentType } from 'preact';
import type { TabId } from '../state/tabs';
import { HomeView } from '../views/home/home_view';
import { LogTableView } from '../views/log_table/log_table_view';
import { TimingView } from '../views/timing/timing_view';
import { TransitionsView } from '../views/transitions/transitions_view';
import { MapView } from '../views/map/map_view';
import { FleetView } from '../views/fleet/fleet_view';
import { fleetDatabase } from '../state/fleet';
import { WorkspaceView } from './workspace';

export interface TabSpec {
  id: TabId;
  label: string;
  /** True when the view shows session data (gets the parsing badge). */
  needsSession: boolean;
  component: ComponentType;
  /** Shortcut shown in Help, e.g. "Alt+2". */
  shortcut?: string;
  /** False hides the view (read in render, so the tab bar follows it). */
  available?: () => boolean;
}

const kViews: readonly TabSpec[] = [
  { id: 'home', label: 'Home', needsSession: false, component: HomeView, shortcut: 'Alt+1' },
  // The timing diagram over the log table, split (app/workspace.tsx).
  { id: 'workspace', label: 'Workspace', needsSession: true, component: WorkspaceView, shortcut: 'Alt+2' },
  { id: 'log', label: 'Log Table', needsSession: true, component: LogTableView, shortcut: 'Alt+3' },
  { id: 'timing', label: 'Timing Diagram', needsSession: true, component: TimingView, shortcut: 'Alt+4' },
  { id: 'transitions', label: 'Transitions', needsSession: true, component: TransitionsView, shortcut: 'Alt+5' },
  { id: 'map', label: 'Map', needsSession: false, component: MapView, shortcut: 'Alt+6' },
  {
    id: 'fleet',
    label: 'Fleet',
    needsSession: false,
    component: FleetView,
    shortcut: 'Alt+7',
    available: () => fleetDatabase.value !== null,
  },
];

/** The views this server offers, in display order. */
export function tabs(): readonly TabSpec[] {
  return kViews.filter((t) => t.available?.() ?? true);
}
