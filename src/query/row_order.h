// Row orders: RowList (the rows a filter+sort yields, as a range or a shared
// row vector, either direction), SortRanks (per-stream and per-value ranks
// for each sort field, built lazily once per session) and SortRows (a stable
// radix sort of a time-ordered row list by rank, so that ties keep time and
// original order). RowList is an immutable value, safe to share between
// threads; SortRanks is thread-safe (std::call_once).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "query/deadline.h"
#include "query/query.h"
#include "store/store.h"

namespace plcscope::query {

struct RowList {
  // Either an explicit vector (ascending in its own order) ...
  std::shared_ptr<const std::vector<RowId>> rows;
  // ... or, when `rows` is null, the row range [begin, end).
  uint64_t begin = 0, end = 0;
  bool reversed = false;

  uint64_t size() const { return rows ? rows->size() : end - begin; }
  RowId at(uint64_t i) const {
    const uint64_t k = reversed ? size() - 1 - i : i;
    return rows ? (*rows)[k] : static_cast<RowId>(begin + k);
  }
};

// The first position i >= from of an ascending list with list.at(i) >= target
// (list.size() when none). REQUIRES: !list.reversed.
uint64_t LowerBoundRow(const RowList& list, uint64_t from, uint64_t target);

class SortRanks {
 public:
  explicit SortRanks(const store::Store& store) : store_(store) {}

  // Rank of each stream for a stream-level field (device, signal, category, type).
  const std::vector<uint32_t>& StreamRanks(SortField field) const;
  // Per stream its signal's type; per value id its rank under each type.
  const std::vector<uint8_t>& StreamTypes() const;
  const std::vector<uint32_t>& ValueRanks(base::ValueType type) const;

 private:
  void BuildStreamRanks() const;
  void BuildValueRanks() const;
  const store::Store& store_;
  mutable std::once_flag stream_once_, value_once_;
  mutable std::vector<uint32_t> device_, signal_, category_, type_;
  mutable std::vector<uint8_t> stream_type_;
  mutable std::vector<uint32_t> value_rank_[4];
};

// Sorts `time_ordered` (ascending rows) by `field` ascending, stable.
// Polls `deadline` every kPollRows rows of each pass (the once-per-session
// rank tables are built to the end). REQUIRES: field != kTimestamp.
base::Result<std::vector<RowId>> SortRows(const store::Store& store, const SortRanks& ranks,
                                          const RowList& time_ordered, SortField field,
                                          const Deadline& deadline = Deadline());

}  // namespace plcscope::query
