// Waveform summaries for the timing diagram (docs/api.md /waveform): per signal,
// the value in force at the window's start and either every change or, per
// pixel column, first/last sample, sample and change counts, and min/max for
// numbers. Cost grows with width x signals: column borders become global row
// numbers once (binary searches on the time column), then each signal walks
// its row index with exponential searches and reads its SignalSeries.
// A pure function; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "query/query.h"
#include "query/signal_series.h"
#include "store/store.h"

namespace plcscope::query {

base::Result<WaveformResult> ComputeWaveform(const store::Store& store, const SeriesCache& series,
                                             const std::vector<uint32_t>& signals,
                                             const WaveformQuery& q,
                                             const Deadline& deadline = Deadline());

}  // namespace plcscope::query
