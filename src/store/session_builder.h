// SessionBuilder: collects interned samples from one or more source files and
// writes a store (format.h). Finish() puts rows in time order (stable: source
// file, then the order rows were added), drops cross-file duplicates
// (docs/formats.md §6), resolves each signal's type (docs/formats.md §1), marks value
// changes and builds the per-signal index.
//
// Usage: intern devices/signals/streams/values, AddRow() in line order per
// source, AddError() for bad lines, Finish(). Not thread-safe: parallel
// ingest interns chunk-locally and hands rows to one builder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/value_text.h"
#include "store/format.h"
#include "store/session_meta.h"
#include "store/string_pool.h"

namespace plcscope::store {

struct BuildOptions {
  double dedup_tolerance_ms = 1000;  // docs/formats.md §6
  size_t max_error_details_per_file = 1000;
  // Beyond this many rows, full row blocks go to a temporary file in
  // spill_dir (default: the system's temporary directory) instead of memory.
  size_t max_rows_in_memory = size_t{16} << 20;
  std::string spill_dir;
  // Rows of the per-signal index built per pass over spilled rows.
  size_t index_slice_rows = size_t{32} << 20;
};

class SessionBuilder {
 public:
  explicit SessionBuilder(BuildOptions options = {});

  uint32_t InternString(std::string_view s) { return strings_.Intern(s); }
  // A device by its id; the first path given for it is kept.
  uint32_t Device(std::string_view name, std::string_view path);
  uint32_t Signal(uint32_t device, std::string_view name);
  uint32_t Stream(uint32_t signal, std::string_view category, uint32_t source);
  // A value by its trimmed text and declaration; parsed once per distinct pair.
  uint32_t Value(std::string_view text, base::DeclaredType declared);

  struct Row {
    int64_t ts;
    uint32_t stream;
    uint32_t value;
  };
  // REQUIRES: rows of one source are added in their line order.
  void AddRow(int64_t ts, uint32_t stream, uint32_t value) {
    if (tail_used_ == kRowsPerBlock) NewBlock();
    tail_[tail_used_++] = {ts, stream, value};
    // Order and per-signal statistics, kept as rows arrive so that Finish()
    // can skip passes over sorted single-source input.
    const StreamRecord& st = streams_[stream];
    if (ts < last_ts_ || (ts == last_ts_ && st.source < last_source_)) in_order_ = false;
    last_ts_ = ts;
    last_source_ = st.source;
    if (st.signal >= signal_stats_.size()) signal_stats_.resize(signals_.size());
    SignalStats& ss = signal_stats_[st.signal];
    ss.votes |= value_votes_[value];
    ++ss.rows;
  }
  // Rows live in fixed blocks (no reallocation spikes); kept for callers
  // that know their size up front.
  void ReserveRows(size_t n) { blocks_.reserve(n / kRowsPerBlock + 1); }
  size_t row_count() const {
    return blocks_.empty() ? 0 : (blocks_.size() - 1) * kRowsPerBlock + tail_used_;
  }

  // Counts the error by reason in meta; keeps the first details per file.
  void AddError(uint32_t source, uint64_t line, std::string_view reason, std::string_view content);
  // Counts `n` errors of a reason whose details are not kept.
  void CountErrors(std::string_view reason, uint64_t n);

  // Files, parser name, timings: filled by the caller before Finish().
  SessionMeta& meta() { return meta_; }

  // Writes the store to `path` (atomically). The builder is spent afterwards.
  // Memory: up to max_rows_in_memory rows (16 bytes each) plus the
  // per-signal index (4 bytes a row, built in slices of at most 128 MB when
  // rows were spilled). Rows in time order from one source stream from the
  // spill file; sorting or merging several sources loads all rows back.
  base::Status Finish(const std::string& path);
  ~SessionBuilder();

 private:
  struct DeviceEntry {
    uint32_t name;
    uint32_t path;
  };
  struct SignalEntry {
    uint32_t device;
    uint32_t name;
  };
  struct ValueEntry {
    uint32_t text;
    base::ParsedValue parsed;
  };

  BuildOptions options_;
  StringPool strings_;
  std::vector<DeviceEntry> devices_;
  std::unordered_map<uint32_t, uint32_t> device_by_name_;
  std::vector<SignalEntry> signals_;
  std::unordered_map<uint64_t, uint32_t> signal_by_pair_;
  std::vector<StreamRecord> streams_;
  struct StreamKey {
    uint32_t signal, category, source;
    bool operator==(const StreamKey&) const = default;
  };
  struct StreamKeyHash {
    size_t operator()(const StreamKey& k) const {
      return (static_cast<size_t>(k.signal) * 0x9E3779B97F4A7C15ull) ^
             (static_cast<size_t>(k.category) << 20) ^ k.source;
    }
  };
  std::unordered_map<StreamKey, uint32_t, StreamKeyHash> stream_index_;
  std::vector<ValueEntry> values_;
  std::unordered_map<uint64_t, uint32_t> value_index_;  // (text id << 8 | declared)
  static constexpr size_t kRowsPerBlock = size_t{1} << 20;
  void NewBlock();
  // REQUIRES: the row is in memory (not spilled).
  Row& RowAt(size_t i) {
    return sorted_ ? sorted_[i] : blocks_[i / kRowsPerBlock][i % kRowsPerBlock];
  }
  // Writes full in-memory blocks to the spill file and frees them.
  base::Status Spill();
  // Reads spilled block b into buf.
  base::Status ReadSpilled(size_t b, Row* buf) const;
  // Calls fn(rows, count, first_row_index) over the first n rows in order.
  template <typename Fn>
  base::Status ForEachBlock(size_t n, Fn fn);
  // Moves all rows into sorted_ (one array).
  base::Status Materialize(size_t n);
  base::Status SortRows(size_t n);
  size_t DropDuplicates(size_t n, uint32_t source_count);

  // Row blocks in order; a spilled block's pointer is null (it lives in the
  // spill file at offset b * kRowsPerBlock * sizeof(Row)).
  std::vector<std::unique_ptr<Row[]>> blocks_;
  int spill_fd_ = -1;
  base::Status spill_status_;
  Row* tail_ = nullptr;
  size_t tail_used_ = kRowsPerBlock;
  std::unique_ptr<Row[]> sorted_;  // all rows, when Finish() had to sort them
  struct SignalStats {
    uint64_t rows = 0;
    uint8_t votes = 0;  // TypeVote bits (session_builder.cc)
  };
  std::vector<SignalStats> signal_stats_;  // by signal, over the rows added
  std::vector<uint8_t> value_votes_;       // by value
  bool in_order_ = true;
  int64_t last_ts_ = INT64_MIN;
  uint32_t last_source_ = 0;
  std::vector<ParseErrorRecord> errors_;
  std::vector<uint64_t> error_details_per_source_;
  SessionMeta meta_;
};

}  // namespace plcscope::store
