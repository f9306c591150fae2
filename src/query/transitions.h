// Transitions (tact time, docs/ui.md "Transitions") over a whole session. A rule's
// conditions are evaluated on the rows of the signals they name only (the
// per-signal row index), never on the whole row table. Semantics
// (docs/query.md): a condition "matches" at a sample where it is true and
// was not true at the signal's previous sample (or the sample is the
// signal's first). A bare signal name is one series per device that has it;
// the devices' intervals are merged in time order, each with its device.
//   cycle:  an interval between each two consecutive matches of one device;
//   A->B:   from a start match to the next end match strictly after it
//           (start matches while an interval is open are ignored); the end
//           on the start's device when the end's signal is there too;
//   value populated: per signal, from a sample whose value became empty to
//           the next non-empty sample.
// A pure function; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "query/query.h"
#include "query/signal_names.h"
#include "store/store.h"

namespace plcscope::query {

base::Result<std::vector<TransitionResult>> ComputeTransitions(
    const store::Store& store, const SignalNames& names, std::span<const TransitionRule> rules,
    const Deadline& deadline = Deadline(), uint64_t max_intervals = UINT64_MAX);

}  // namespace plcscope::query
