// Registers every view with the tab registry, in display order.
import { registerTab } from './tabs';
import { HomeView } from '../home/home_view';
import { LogTableView } from '../log_table/log_table_view';
import { TimingView } from '../timing/timing_view';
import { PlaceholderView } from './placeholder_view';

registerTab({ id: 'home', label: 'Home', needsSession: false, component: HomeView, shortcut: 'Alt+1' });
registerTab({ id: 'log', label: 'Log Table', needsSession: true, component: LogTableView, shortcut: 'Alt+2' });
registerTab({ id: 'timing', label: 'Timing Diagram', needsSession: true, component: TimingView, shortcut: 'Alt+3' });
registerTab({
  id: 'transitions',
  label: 'Transitions',
  needsSession: true,
  component: () => PlaceholderView({ title: 'Transitions' }),
  shortcut: 'Alt+4',
});
registerTab({
  id: 'map',
  label: 'Map',
  needsSession: false,
  component: () => PlaceholderView({ title: 'Map' }),
  shortcut: 'Alt+5',
});
