// Store: a read-only, memory-mapped stored session (format.h,
// docs/store_format.md). Immutable after Open(); every method is const and
// safe to call from many threads at once. Shared by the query engine and
// the server through std::shared_ptr.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/mapped_file.h"
#include "base/status.h"
#include "base/value_text.h"
#include "store/format.h"
#include "store/session_meta.h"

namespace plcscope::store {

// A row's value after its signal's type resolution (docs/formats.md §1 "One type
// per signal"): what the API shows.
struct ShownValue {
  base::ValueType type = base::ValueType::kString;
  bool b = false;      // kBoolean
  int64_t i = 0;       // kInteger
  double d = 0;        // kFloat
  std::string_view s;  // kString: the original text
};

class Store {
 public:
  // Maps the file and proves it: header and per-section checksums, then every
  // id, offset and order a query relies on (docs/store_format.md
  // "Invariants"). A store that fails is a kCorrupt error starting
  // "store damaged: " and naming the section; a Store returned never sends
  // a query out of bounds. Cost: one hash pass and one validation pass over
  // the file (see docs/store_format.md "Verification").
  static base::Result<std::shared_ptr<const Store>> Open(const std::string& path);

  const std::string& path() const { return path_; }
  const SessionMeta& meta() const { return meta_; }
  // The first parse errors (up to 1,000 per file); counts are in meta().
  base::Result<std::vector<ParseErrorRecord>> LoadErrors() const;
  uint64_t file_bytes() const { return file_->size(); }

  // Rows, in time order.
  uint64_t row_count() const { return row_time_.size(); }
  std::span<const int64_t> row_time() const { return row_time_; }
  std::span<const uint32_t> row_stream() const { return row_stream_; }
  std::span<const uint32_t> row_value() const { return row_value_; }
  bool row_changed(uint64_t row) const { return (row_changed_[row >> 6] >> (row & 63)) & 1; }
  std::span<const uint64_t> row_changed_words() const { return row_changed_; }

  // Dictionaries.
  uint32_t string_count() const { return static_cast<uint32_t>(string_offsets_.size() - 1); }
  std::string_view str(uint32_t id) const {
    return {string_bytes_ + string_offsets_[id], string_offsets_[id + 1] - string_offsets_[id]};
  }
  std::span<const DeviceRecord> devices() const { return devices_; }
  std::span<const SignalRecord> signals() const { return signals_; }  // sorted by key text
  std::span<const StreamRecord> streams() const { return streams_; }
  std::span<const ValueRecord> values() const { return values_; }

  // Per-signal rows in time order.
  std::span<const uint32_t> signal_rows(uint32_t signal) const {
    return row_signal_rows_.subspan(signal_row_offsets_[signal],
                                    signal_row_offsets_[signal + 1] - signal_row_offsets_[signal]);
  }

  // Convenience accessors for one row.
  uint32_t row_signal(uint64_t row) const { return streams_[row_stream_[row]].signal; }
  base::ValueType signal_type(uint32_t signal) const {
    return static_cast<base::ValueType>(signals_[signal].type);
  }
  ShownValue Shown(uint32_t signal, uint32_t value_id) const;
  ShownValue RowValue(uint64_t row) const { return Shown(row_signal(row), row_value_[row]); }

  // Finds a signal by its "device::signal" key; -1 when absent.
  int64_t FindSignal(std::string_view key) const;

 private:
  Store() = default;
  // The validation pass of Open(); message names the section.
  base::Status Validate(uint64_t row_count, uint64_t string_bytes) const;
  std::string path_;
  std::unique_ptr<base::MappedFile> file_;
  SessionMeta meta_;
  std::string_view errors_json_;
  std::span<const uint64_t> string_offsets_;
  const char* string_bytes_ = nullptr;
  std::span<const DeviceRecord> devices_;
  std::span<const SignalRecord> signals_;
  std::span<const StreamRecord> streams_;
  std::span<const ValueRecord> values_;
  std::span<const int64_t> row_time_;
  std::span<const uint32_t> row_stream_;
  std::span<const uint32_t> row_value_;
  std::span<const uint64_t> row_changed_;
  std::span<const uint64_t> signal_row_offsets_;
  std::span<const uint32_t> row_signal_rows_;
};

// How a value record is shown under a resolved signal type.
ShownValue ShowValue(base::ValueType signal_type, const ValueRecord& v, std::string_view text);

}  // namespace plcscope::store
