// CompiledFilter: an /entries Filter resolved against one store's
// dictionaries. Text patterns are matched once per distinct string (device
// and signal names, categories, value texts) into per-stream and per-value
// flags; a row then passes with two table look-ups and a bit test. Rows are
// found by a scan of the (stream, value) columns over the filter's time
// range, or, when the filter selects few signals, by the union of their
// per-signal row indexes. Immutable after Compile(); thread-safe. Borrows
// the store.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "query/deadline.h"
#include "query/query.h"
#include "query/signal_names.h"
#include "store/store.h"

namespace plcscope::query {

class CompiledFilter {
 public:
  // InvalidArgument naming the parameter ('search' / 'exclude') for an
  // invalid regex; the Deadline's status (IsStopped) from `deadline` while
  // matching the dictionaries.
  static base::Result<CompiledFilter> Compile(const store::Store& store, const SignalNames& names,
                                              const Filter& filter,
                                              const Deadline& deadline = Deadline());

  // Rows with times in the filter's range.
  uint64_t row_begin() const { return row_begin_; }
  uint64_t row_end() const { return row_end_; }
  // True when every row of [row_begin, row_end) matches.
  bool is_range() const { return is_range_; }

  bool Matches(uint64_t row) const;
  // Appends the matching rows of [begin, end) (clamped to the range) in order.
  void Scan(uint64_t begin, uint64_t end, std::vector<RowId>* out) const;
  // Every matching row, ascending; picks the index path when it is cheaper.
  // Polls `deadline` every kPollRows rows.
  base::Result<std::vector<RowId>> Collect(const Deadline& deadline = Deadline()) const;

 private:
  explicit CompiledFilter(const store::Store& store) : store_(&store) {}
  template <bool kText, bool kChanged>
  void ScanImpl(uint64_t begin, uint64_t end, std::vector<RowId>* out) const;

  // Per stream: kOk, plus the value flag bits of which one is needed
  // (search) and none may be set (exclude).
  static constexpr uint32_t kOk = 1u << 31;
  const store::Store* store_;
  uint64_t row_begin_ = 0, row_end_ = 0;
  bool is_range_ = false;
  bool has_text_ = false;
  bool changed_only_ = false;
  std::vector<uint32_t> stream_flags_;
  // Per value id: bit t = search matches under signal type t; bit 4 + t = exclude does.
  std::vector<uint8_t> value_flags_;
  // Signals that have an accepted stream (for the index path).
  std::vector<uint32_t> signals_;
};

}  // namespace plcscope::query
