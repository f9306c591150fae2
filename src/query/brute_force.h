// A brute-force reference of the query semantics, for property tests: every
// answer computed by a plain scan of all rows of a store, sharing no code
// with the engine beyond Store and ShowValue. Slow by design; tests only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/query.h"
#include "store/store.h"

namespace plcscope::query::testing {

class BruteForce {
 public:
  explicit BruteForce(const store::Store& store);

  // Every row matching `f`, in `s` order; false for an invalid regex.
  bool Rows(const Filter& f, const Sort& s, std::vector<RowId>* out) const;
  int64_t IndexOfTime(const std::vector<RowId>& order, int64_t ts) const;
  std::vector<TimeTreeItem> TimeTree(const std::vector<RowId>& time_ordered) const;
  std::vector<uint32_t> Resolve(const std::vector<std::string>& names) const;
  std::vector<RowId> AtTime(const std::vector<std::string>& names, int64_t ts) const;
  std::vector<RowId> Chunk(const std::vector<std::string>& names, int64_t start, int64_t end) const;
  SignalBoundary Boundary(uint32_t signal, int64_t start, int64_t end) const;
  // Checks one waveform signal against a scan; returns a description of the
  // first difference, or "".
  std::string CheckWaveform(const WaveformQuery& q, const SignalWaveform& w) const;
  std::vector<TransitionInterval> Transitions(const TransitionRule& rule) const;

  bool changed(RowId r) const { return changed_[r]; }

 private:
  std::string Shown(RowId r) const;
  bool Holds(const Condition& c, RowId r) const;
  const store::Store& store_;
  std::vector<bool> changed_;  // recomputed from shown values
};

}  // namespace plcscope::query::testing
