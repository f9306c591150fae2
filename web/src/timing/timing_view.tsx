// The Timing Diagram view (placeholder). Built on branch `timing`: one lane per
// signal of state.selectedSignals, the signal sidebar from widgets/, data from
// api/ (waveform), the shared cursor in state.cursorTime.
import { SignalSidebar } from '../widgets/signal_sidebar';
import { selectedSignals } from '../app/state';

export function TimingView() {
  return (
    <div class="view-with-sidebar">
      <SignalSidebar />
      <div class="placeholder-view">
        <h2>Timing Diagram</h2>
        <p>{selectedSignals.value.length} signals selected.</p>
      </div>
    </div>
  );
}
