// AtTimeIndex: checkpoints of "the latest row of every signal" every
// `stride` rows, so that the value of all signals at an instant costs one
// copy of a checkpoint plus a scan of fewer than `stride` rows, whatever the
// file's size. The stride grows with the signal count to keep the
// checkpoints at most 1/64 of the row count in entries. Built once by the
// Session (lazily); immutable and thread-safe afterwards. Borrows the store.
#pragma once

#include <cstdint>
#include <vector>

#include "query/query.h"
#include "store/store.h"

namespace plcscope::query {

class AtTimeIndex {
 public:
  explicit AtTimeIndex(const store::Store& store);

  // Resizes `latest` to the signal count and sets, per signal, its last row
  // before `row_end` (kNoRow when none).
  void LatestBefore(uint64_t row_end, std::vector<RowId>* latest) const;

 private:
  const store::Store& store_;
  uint64_t stride_ = 1;
  std::vector<RowId> checkpoints_;  // [checkpoint][signal]
};

}  // namespace plcscope::query
