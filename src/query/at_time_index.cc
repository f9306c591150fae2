#include "query/at_time_index.h"

#include <algorithm>
#include <bit>

namespace plcscope::query {

AtTimeIndex::AtTimeIndex(const store::Store& store) : store_(store) {
  const uint64_t signals = store.signals().size();
  const uint64_t n = store.row_count();
  stride_ = std::bit_ceil(std::max<uint64_t>(uint64_t{1} << 16, signals * 64));
  const uint64_t count = n / stride_ + 1;
  checkpoints_.assign(count * signals, kNoRow);
  if (signals == 0) return;
  std::vector<RowId> latest(signals, kNoRow);
  const uint32_t* stream = store.row_stream().data();
  const auto streams = store.streams();
  for (uint64_t c = 1; c < count; ++c) {
    for (uint64_t r = (c - 1) * stride_; r < c * stride_; ++r) {
      latest[streams[stream[r]].signal] = static_cast<RowId>(r);
    }
    std::copy(latest.begin(), latest.end(), checkpoints_.begin() + c * signals);
  }
}

void AtTimeIndex::LatestBefore(uint64_t row_end, std::vector<RowId>* latest) const {
  const uint64_t signals = store_.signals().size();
  row_end = std::min<uint64_t>(row_end, store_.row_count());
  const uint64_t c = row_end / stride_;
  latest->assign(checkpoints_.begin() + c * signals, checkpoints_.begin() + (c + 1) * signals);
  const uint32_t* stream = store_.row_stream().data();
  const auto streams = store_.streams();
  for (uint64_t r = c * stride_; r < row_end; ++r) {
    (*latest)[streams[stream[r]].signal] = static_cast<RowId>(r);
  }
}

}  // namespace plcscope::query
