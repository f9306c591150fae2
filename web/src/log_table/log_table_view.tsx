// The Log Table view.
import { SignalSidebar } from '../widgets/signal_sidebar';

export function LogTableView() {
  return (
    <div class="view-with-sidebar">
      <SignalSidebar />
      <div class="log-table">Log table</div>
    </div>
  );
}
