// The validation pass of Store::Open(): every id, offset and order the query
// layer follows without checking (docs/store_format.md "Invariants"). One
// sequential pass over each column (and one cursor a signal).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "store/store.h"

namespace plcscope::store {
namespace {

base::Status Bad(const char* section, const std::string& what) {
  return base::Corrupt(std::string("section '") + section + "' " + what);
}

std::string At(uint64_t i) { return " at " + std::to_string(i); }

}  // namespace

base::Status Store::Validate(uint64_t n, uint64_t string_bytes) const {
  // Shapes.
  if (row_time_.size() != n) return Bad("row_time", "does not hold row_count rows");
  if (row_stream_.size() != n) return Bad("row_stream", "does not hold row_count rows");
  if (row_value_.size() != n) return Bad("row_value", "does not hold row_count rows");
  if (row_signal_rows_.size() != n) return Bad("signal_rows", "does not hold row_count rows");
  if (row_changed_.size() != (n + 63) / 64) return Bad("row_changed", "has the wrong length");
  if (n > std::numeric_limits<uint32_t>::max()) return Bad("row_time", "holds too many rows");
  if (meta_.row_count != n) return Bad("meta", "disagrees with the header's row count");

  // Strings: offsets[0] == 0, non-decreasing, ending at the byte count.
  const uint64_t sc = string_offsets_.size();
  if (sc == 0 || sc - 1 > std::numeric_limits<uint32_t>::max()) {
    return Bad("string_offsets", "has no strings");
  }
  if (string_offsets_[0] != 0) return Bad("string_offsets", "does not start at 0");
  for (uint64_t i = 1; i < sc; ++i) {
    if (string_offsets_[i] < string_offsets_[i - 1])
      return Bad("string_offsets", "decreases" + At(i));
  }
  if (string_offsets_.back() != string_bytes) {
    return Bad("string_offsets", "does not end at the string bytes' length");
  }
  const uint64_t strings = sc - 1;

  for (size_t i = 0; i < devices_.size(); ++i) {
    if (devices_[i].name >= strings || devices_[i].path >= strings) {
      return Bad("devices", "names a string out of range" + At(i));
    }
  }
  for (size_t i = 0; i < signals_.size(); ++i) {
    const SignalRecord& sig = signals_[i];
    if (sig.key >= strings || sig.name >= strings) {
      return Bad("signals", "names a string out of range" + At(i));
    }
    if (sig.device >= devices_.size()) return Bad("signals", "names a device out of range" + At(i));
    if (sig.type > static_cast<uint8_t>(base::ValueType::kString)) {
      return Bad("signals", "has an unknown type" + At(i));
    }
    if (i > 0 && str(sig.key) < str(signals_[i - 1].key)) {
      return Bad("signals", "is not sorted by key" + At(i));
    }
  }
  for (size_t i = 0; i < streams_.size(); ++i) {
    const StreamRecord& st = streams_[i];
    if (st.signal >= signals_.size()) return Bad("streams", "names a signal out of range" + At(i));
    if (st.category >= strings) return Bad("streams", "names a string out of range" + At(i));
    if (st.source >= meta_.files.size()) {
      return Bad("streams", "names a source file out of range" + At(i));
    }
  }
  for (size_t i = 0; i < values_.size(); ++i) {
    if (values_[i].text >= strings) return Bad("values", "names a string out of range" + At(i));
    if (values_[i].kind > static_cast<uint8_t>(base::ValueType::kString)) {
      return Bad("values", "has an unknown kind" + At(i));
    }
  }

  // Row columns; each is dropped from the resident set after its pass
  // (Store::Open reads every byte once; the page cache keeps them).
  auto release = [&](const auto& column) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(column.data());
    file_->Release(static_cast<size_t>(p - file_->data()), column.size_bytes());
  };
  const uint64_t stream_count = streams_.size();
  const uint64_t value_count = values_.size();
  constexpr uint64_t kReleaseRows = uint64_t{2} << 20;
  for (uint64_t r = 0; r < n; ++r) {
    if (row_stream_[r] >= stream_count)
      return Bad("row_stream", "names a stream out of range" + At(r));
    if ((r + 1) % kReleaseRows == 0)
      release(row_stream_.subspan(r + 1 - kReleaseRows, kReleaseRows));
  }
  release(row_stream_);
  for (uint64_t r = 0; r < n; ++r) {
    if (row_value_[r] >= value_count) return Bad("row_value", "names a value out of range" + At(r));
    if ((r + 1) % kReleaseRows == 0)
      release(row_value_.subspan(r + 1 - kReleaseRows, kReleaseRows));
  }
  release(row_value_);
  for (uint64_t r = 1; r < n; ++r) {
    if (row_time_[r] < row_time_[r - 1]) return Bad("row_time", "decreases" + At(r));
    if (r % kReleaseRows == 0) release(row_time_.subspan(r - kReleaseRows, kReleaseRows));
  }
  release(row_time_);

  // Per-signal index: offsets partition [0, n); each signal's rows ascend
  // and belong to it, so every row is listed exactly once.
  if (signal_row_offsets_.size() != signals_.size() + 1) {
    return Bad("signal_row_offsets", "does not hold signal_count + 1 offsets");
  }
  if (signal_row_offsets_[0] != 0) return Bad("signal_row_offsets", "does not start at 0");
  for (size_t i = 1; i < signal_row_offsets_.size(); ++i) {
    if (signal_row_offsets_[i] < signal_row_offsets_[i - 1]) {
      return Bad("signal_row_offsets", "decreases" + At(i));
    }
  }
  if (signal_row_offsets_.back() != n)
    return Bad("signal_row_offsets", "does not end at row_count");
  // One pass in row order: row r of signal s must be the next entry of s's
  // range. With the offsets partitioning [0, n), this says each signal lists
  // exactly its rows, ascending. row_stream is read in order and released
  // behind; signal_rows is read at one cursor per signal and released as a
  // whole now and then (the pages under the cursors come back cheaply), so
  // the pass never holds the two columns resident.
  std::vector<uint64_t> cursor(signal_row_offsets_.begin(), signal_row_offsets_.end() - 1);
  for (uint64_t r = 0; r < n; ++r) {
    const uint32_t sig = streams_[row_stream_[r]].signal;
    const uint64_t k = cursor[sig]++;
    if (k >= signal_row_offsets_[sig + 1]) {
      return Bad("signal_rows", "leaves out a row of its signal" + At(r));
    }
    const uint32_t row = row_signal_rows_[k];
    if (row >= n) return Bad("signal_rows", "names a row out of range" + At(k));
    if (row != r) {
      return Bad("signal_rows", k > signal_row_offsets_[sig] && row <= row_signal_rows_[k - 1]
                                    ? "does not ascend" + At(k)
                                    : "lists a row of another signal" + At(k));
    }
    if ((r + 1) % kReleaseRows == 0) {
      release(row_stream_.subspan(r + 1 - kReleaseRows, kReleaseRows));
      release(row_signal_rows_);
    }
  }
  release(row_signal_rows_);
  release(row_stream_);
  return base::Status::Ok();
}

}  // namespace plcscope::store
