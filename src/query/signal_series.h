// Per-signal summaries for waveforms, built lazily on a signal's first use
// and kept for the session (Perfetto-style mipmaps):
//  - the positions (into the signal's rows, Store::signal_rows) of its
//    changed samples, so that counting or listing the changes of any range
//    of samples costs a binary search, not a scan;
//  - for numeric signals, the values as doubles and min/max per block of
//    16^k samples (k = 1, 2, ...), so that the min/max of any range of
//    samples costs O(16 * levels).
// SeriesCache builds each signal once (std::call_once per signal); Get() is
// thread-safe and the returned series is immutable. Borrows the store.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "store/store.h"

namespace plcscope::query {

struct SignalSeries {
  static constexpr uint32_t kFanout = 16;
  std::vector<uint32_t> changes;  // ascending sample positions
  bool numeric = false;
  std::vector<double> values;             // numeric: per sample
  std::vector<std::vector<double>> mins;  // level k: per block of 16^(k+1) samples
  std::vector<std::vector<double>> maxs;

  // Number of changed samples among positions [lo, hi).
  uint64_t CountChanges(uint64_t lo, uint64_t hi) const;
  // Min and max of the values at positions [lo, hi) (NaN values ignored);
  // min > max when there is none. REQUIRES: numeric.
  void RangeMinMax(uint64_t lo, uint64_t hi, double* min, double* max) const;
};

class SeriesCache {
 public:
  explicit SeriesCache(const store::Store& store);
  ~SeriesCache();
  const SignalSeries& Get(uint32_t signal) const;

 private:
  const store::Store& store_;
  std::unique_ptr<std::once_flag[]> once_;
  std::unique_ptr<std::unique_ptr<SignalSeries>[]> series_;
};

// The first position in `rows` (ascending) at or after `from` whose row is
// >= target: exponential search from `from`, so that a sweep of increasing
// targets costs O(log gap) each.
uint64_t GallopLowerBound(const uint32_t* rows, uint64_t n, uint64_t from, uint64_t target);

}  // namespace plcscope::query
