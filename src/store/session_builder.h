// SessionBuilder: collects interned samples from one or more source files and
// writes a store (format.h). Finish() puts rows in time order (stable: source
// file, then the order rows were added), drops cross-file duplicates
// (docs/formats.md §6), resolves each signal's type (docs/formats.md §1), marks value
// changes and builds the per-signal index.
//
// Memory does not grow with the input: rows are collected in one run of at
// most max_rows_in_memory rows; a full run is sorted (unless every row so
// far came in order) and appended to an unlinked spill file next to the
// store. Finish() then streams the rows: from the spill file as they are
// when they came in order from one source, else through a k-way merge of
// the runs (ties: source, then run order, so the result equals one stable
// sort) that drops duplicates on the way into a second unlinked file.
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
  // Rows kept in memory (16 bytes each) before they are sorted and spilled
  // as one run to a temporary file in spill_dir (default: the system's
  // temporary directory). At least kMinRunRows.
  size_t max_rows_in_memory = size_t{2} << 20;
  std::string spill_dir;
  // Rows of the per-signal index built per pass over the rows.
  size_t index_slice_rows = size_t{16} << 20;
  // Rows buffered for all runs together while merging (at least 256 a run).
  size_t merge_buffer_rows = size_t{1} << 20;
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
    if (run_used_ == run_capacity_) FlushRun();
    run_[run_used_++] = {ts, stream, value};
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
  // Kept for callers that know their size up front (memory is bounded anyway).
  void ReserveRows(size_t) {}
  size_t row_count() const { return spilled_rows_ + run_used_; }
  // Runs written to the spill file so far (tests, benchmarks).
  size_t spilled_runs() const { return runs_.size(); }

  static constexpr size_t kMinRunRows = 1024;

  // Counts the error by reason in meta; keeps the first details per file.
  void AddError(uint32_t source, uint64_t line, std::string_view reason, std::string_view content);
  // Counts `n` errors of a reason whose details are not kept.
  void CountErrors(std::string_view reason, uint64_t n);

  // Files, parser name, timings: filled by the caller before Finish().
  SessionMeta& meta() { return meta_; }

  // Writes the store to `path` (atomically). The builder is spent afterwards.
  // Memory: the run (max_rows_in_memory rows of 16 bytes, and half as much
  // again while it is sorted), the merge buffers (merge_buffer_rows rows),
  // the per-signal index slice (4 bytes a row, index_slice_rows rows at
  // most) and 1 bit a row for the change marks; the dictionaries besides.
  // The spill files are unlinked when created (none is left behind on
  // success, failure or a crash) and stale ones of a crashed process
  // ("plcscope-rows-*" in spill_dir) are removed when the first is made.
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
  // Rows per piece when rows are streamed in Finish().
  static constexpr size_t kPieceRows = size_t{256} << 10;
  // Sorts the run (when needed) and appends it to the spill file.
  void FlushRun();
  // Creates an unlinked temporary file in the spill directory.
  base::Result<int> CreateSpillFile();
  // Sorts the in-memory run by (ts, source), stably.
  void SortRun();
  // Merges the spilled runs and the in-memory run into rows_fd_ (dropping
  // duplicates when source_count > 1); returns the rows kept.
  base::Result<size_t> MergeRuns(uint32_t source_count);
  // Calls fn(rows, count, first_row_index) over the first n rows in order,
  // in pieces: from rows_fd_ (its first file_rows_ rows), then from run_.
  template <typename Fn>
  base::Status ForEachBlock(size_t n, Fn fn);
  // docs/formats.md §6 over rows in their final order (session_builder.cc).
  class Deduper;
  size_t DropDuplicates(size_t n, uint32_t source_count);

  // The run being collected; spilled runs live in spill_fd_ at
  // runs_[i].first_row * sizeof(Row).
  std::unique_ptr<Row[]> run_;
  size_t run_used_ = 0;
  size_t run_capacity_ = 0;  // 0 until the first AddRow allocates run_
  struct RunRef {
    uint64_t first_row, rows;
  };
  std::vector<RunRef> runs_;
  uint64_t spilled_rows_ = 0;
  int spill_fd_ = -1;
  // Finish(): the file the final rows come from (spill_fd_ or the merge's)
  // and how many of them; the rest are run_'s.
  int rows_fd_ = -1;
  uint64_t file_rows_ = 0;
  base::Status spill_status_;
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
