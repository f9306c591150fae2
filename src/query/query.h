// The query engine's public API: every question docs/api.md lists under "Queries
// on a session", asked of one stored session (store::Store) and answered as
// row indices into that store plus small result structs. The HTTP layer
// parses parameters into the request structs below and marshals the results
// (reading values through Store::RowValue / Store::str, or AppendEntryJson).
//
// Times are int64 nanoseconds since the Unix epoch (UTC) everywhere in this
// API; the HTTP layer converts from and to milliseconds.
//
// query::Session owns lazily built caches over a shared, immutable Store. All
// of its methods are const and thread-safe: any number of threads may query
// one Session at once. docs/query.md describes the design.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/value_text.h"
#include "query/condition_search.h"
#include "query/deadline.h"
#include "store/session_meta.h"
#include "store/store.h"

namespace plcscope::query {

// A row of the store (rows are in time order; ties in original order).
using RowId = uint32_t;
inline constexpr RowId kNoRow = UINT32_MAX;

// ---------------------------------------------------------------- filters

// The /entries filters. Every field is optional ("no filter" when empty) and
// all combine with AND.
struct Filter {
  // Substring (or RE2 regex when `regex`) over device name, signal name,
  // category and value text. For the value, both the text as written in the
  // file and the shown text match: "ON" and "true" for a boolean, "0x1F" and
  // "31" for an integer, "2.50" and "2.5" for a float (docs/query.md).
  std::string search;
  // Like `search` (same `regex` / `case_sensitive`), but drops matching rows.
  std::string exclude;
  bool case_sensitive = false;
  bool regex = false;
  // Any of these categories; an empty string item means "no category".
  std::vector<std::string> categories;
  // Any of these resolved signal types.
  std::vector<base::ValueType> types;
  // Any of these signals: a key "dev::sig", or a bare signal name meaning
  // that signal on every device. Unknown items match nothing.
  std::vector<std::string> signals;
  // Any of these device ids.
  std::vector<std::string> devices;
  // Inclusive time range.
  std::optional<int64_t> start_ns;
  std::optional<int64_t> end_ns;
  // Keep a row only if its value differs from the previous sample of the
  // same signal in the whole session (Store::row_changed).
  bool changed_only = false;

  bool empty() const {
    return search.empty() && exclude.empty() && categories.empty() && types.empty() &&
           signals.empty() && devices.empty() && !start_ns && !end_ns && !changed_only;
  }
};

enum class SortField { kTimestamp, kDeviceId, kSignalName, kCategory, kValue, kType };
bool ParseSortField(std::string_view name, SortField* out);  // "timestamp", "deviceId", ...

// Ascending: by the field, ties by time, then original row order. Descending
// is the exact reverse of ascending (ties too). Field orders: device id,
// signal name and category by bytes ("" first); type by its name
// ("boolean" < "float" < "integer" < "string"); value: booleans (false <
// true) < numbers (integers and floats by numeric value) < strings (bytes).
struct Sort {
  SortField field = SortField::kTimestamp;
  bool descending = false;
};

// ---------------------------------------------------------------- entries

struct EntriesQuery {
  Filter filter;
  Sort sort;
  int64_t page = 1;         // >= 1
  int64_t page_size = 100;  // >= 1; values above kMaxPageSize are capped.
};
inline constexpr int64_t kMaxPageSize = 1000;

struct EntriesPage {
  std::vector<RowId> rows;  // this page, in the requested order
  uint64_t total = 0;       // rows matching the filter
  int64_t page = 1;
  int64_t page_size = 100;  // after capping
};

// One item per UTC minute holding a matching row.
struct TimeTreeItem {
  std::string date;  // "YYYY-MM-DD"
  int hour = 0;
  int minute = 0;
  int64_t ts_ns = 0;  // time of the first matching row in that minute
};

// ---------------------------------------------------------------- signals

// Signals are named by a key "dev::sig" or a bare signal name (that signal on
// every device). Unknown names are ignored; the resolved signals are reported.
struct ChunkQuery {
  std::vector<std::string> signals;  // none: every entry of the window
  int64_t start_ns = 0;              // inclusive
  int64_t end_ns = 0;                // inclusive
  uint64_t limit = 100000;           // at most this many rows; more sets `truncated`
};

struct ChunkResult {
  std::vector<RowId> rows;  // time order
  bool truncated = false;
};

struct BoundariesQuery {
  std::vector<std::string> signals;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

struct SignalBoundary {
  uint32_t signal = 0;    // store signal index (key: store.str(signals()[signal].key))
  RowId before = kNoRow;  // last sample with time < start
  RowId after = kNoRow;   // first sample with time > end
};

struct AtTimeQuery {
  std::vector<std::string> signals;  // empty: all signals
  int64_t ts_ns = 0;
};
// AtTime returns, per resolved signal in key order, the row of its latest
// sample with time <= ts; signals without one are left out.

// ---------------------------------------------------------------- waveform

struct WaveformQuery {
  std::vector<std::string> signals;
  int64_t start_ns = 0;
  int64_t end_ns = 0;     // >= start_ns
  uint32_t width = 1000;  // pixel columns, 1..kMaxWaveformWidth
  // Send every change instead of columns while the changes in range are at
  // most this many times `width`.
  double changes_per_pixel = 2.0;
};
inline constexpr uint32_t kMaxWaveformWidth = 20000;

// One signal's summary. Column i covers [bounds[i], bounds[i+1]) where
// bounds[i] = start + (end - start) * i / width; the last column includes end.
struct SignalWaveform {
  uint32_t signal = 0;
  base::ValueType type = base::ValueType::kString;
  RowId initial = kNoRow;         // the sample in force at start: last with time <= start
  uint64_t changes_in_range = 0;  // changed samples with start < t <= end

  enum class Mode { kChanges, kColumns };
  Mode mode = Mode::kChanges;

  // kChanges: every changed sample (Store::row_changed) with start < t <= end.
  std::vector<RowId> change_rows;

  // kColumns, `width` entries each. Columns without samples have
  // first_row = last_row = kNoRow and changes = 0. `changes` counts the
  // column's samples whose value differs from the signal's previous sample
  // (so a one-sample pulse always shows). min/max: numbers (integer, float)
  // only, over the column's samples; NaN for empty columns and other types.
  std::vector<RowId> first_row;
  std::vector<RowId> last_row;
  std::vector<uint32_t> changes;
  std::vector<uint32_t> samples;
  std::vector<double> min;
  std::vector<double> max;
};

struct WaveformResult {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  uint32_t width = 0;
  std::vector<SignalWaveform> signals;  // in request order, unknown names skipped
};

// ---------------------------------------------------------------- transitions

enum class RuleType { kCycle, kAToB, kValuePopulated };
enum class ConditionOp { kEquals, kNotEquals, kGreater, kLess, kNotEmpty };
bool ParseRuleType(std::string_view name,
                   RuleType* out);  // "cycle", "a_to_b"/"AtoB"/..., "value_populated"
bool ParseConditionOp(std::string_view name, ConditionOp* out);  // "equals"/"==", ...

// A condition on one signal key or a bare signal name (every device's signal
// of that name; each is tracked on its own and their events are merged in
// time order). `value` is compared with the shown value: booleans accept
// true/false/on/off/yes/no/1/0, numbers compare numerically, strings by text.
struct Condition {
  std::string signal;
  ConditionOp op = ConditionOp::kEquals;
  std::string value;
};

struct TransitionRule {
  std::string name;
  RuleType type = RuleType::kAToB;
  Condition start;  // cycle: the condition; value populated: only `signal` is used
  Condition end;    // A->B only
  std::optional<double> target_ms;
  double tolerance_ms = 0;
};

enum class IntervalStatus { kOk, kAbove, kBelow, kNoTarget };
const char* IntervalStatusName(IntervalStatus s);  // "ok", "above", "below", "no-target"

struct TransitionInterval {
  uint32_t device = 0;  // device index of the start's signal (each device is its own series)
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  double duration_ms = 0;
  IntervalStatus status = IntervalStatus::kNoTarget;
  RowId start_row = kNoRow;
  RowId end_row = kNoRow;
};

struct TransitionStats {
  uint64_t count = 0;
  double min_ms = 0, max_ms = 0, mean_ms = 0, stddev_ms = 0;  // population stddev
  uint64_t within = 0, above = 0, below = 0;
};

struct TransitionResult {
  std::string name;
  std::vector<TransitionInterval> intervals;  // in time order
  TransitionStats stats;
};

// ---------------------------------------------------------------- export

enum class ExportFormat { kCsv, kJsonLines };

struct ExportQuery {
  Filter filter;
  Sort sort;
  ExportFormat format = ExportFormat::kCsv;
  // Names of the source files of a merged view (index = source), written as
  // "sourceId" when there are at least two.
  std::vector<std::string> source_ids;
};

// Receives the export in chunks of bounded size; returns false to stop
// (e.g. the client went away), which makes Export return a kIoError status.
using ExportSink = std::function<bool(std::string_view chunk)>;

// ---------------------------------------------------------------- metadata

struct DeviceInfo {
  std::string_view id;
  std::string_view path;
  uint32_t signal_count = 0;
};

struct ErrorsPage {
  std::vector<store::ParseErrorRecord> errors;  // this page of the kept details
  uint64_t total_details = 0;                   // kept details (first 1,000 per file)
  uint64_t error_count = 0;                     // all errors
  std::map<std::string, uint64_t> counts_by_reason;
  int64_t page = 1;
  int64_t page_size = 100;
};

// Appends the compat Entry JSON object of `row` to `out`:
// {"deviceId","signalName","timestamp","value","signalType","category"?,"sourceId"?}.
// `source_ids` names the source files of a merged view (index = source);
// when it has fewer than two items, "sourceId" is omitted. With
// `floats_as_strings` a float signal's entry says "signalType":"string" and
// its value is the number's text ("2.5"), for clients that know only
// boolean, integer and string (docs/api.md "Float values").
void AppendEntryJson(const store::Store& store, RowId row, std::span<const std::string> source_ids,
                     std::string* out, bool floats_as_strings = false);
// Appends a JSON value (true, 42, 2.5, "text") for the row's shown value.
void AppendValueJson(const store::Store& store, RowId row, std::string* out);

struct SessionOptions {
  size_t order_cache_entries = 16;               // cached filter+sort orders
  size_t order_cache_bytes = size_t{256} << 20;  // their total row-list bytes
};

class Session {
 public:
  explicit Session(std::shared_ptr<const store::Store> store, SessionOptions options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const store::Store& store() const { return *store_; }
  const std::shared_ptr<const store::Store>& shared_store() const { return store_; }

  // Every long-running call below takes a Deadline (default: none). It is
  // polled every kPollRows rows while filters scan, orders sort, lists are
  // searched and rules evaluated; past it, or once its flag is set, the call
  // returns the Deadline's kResourceExhausted status (IsStopped). A stopped call caches nothing:
  // the next call computes the same answer from the start.

  // A page of entries. InvalidArgument for page < 1, page_size < 1 or an
  // invalid regex (naming 'search' or 'exclude', then RE2's message).
  base::Result<EntriesPage> Entries(const EntriesQuery& q,
                                    const Deadline& deadline = Deadline()) const;
  // Rows matching the filter (the `total` of Entries).
  base::Result<uint64_t> Count(const Filter& filter, const Deadline& deadline = Deadline()) const;
  // 0-based position of the first row with time >= ts in filter+sort order, or -1.
  base::Result<int64_t> IndexOfTime(const Filter& filter, const Sort& sort, int64_t ts_ns,
                                    const Deadline& deadline = Deadline()) const;
  // InvalidArgument naming the bound when more than `max_items` minutes hold rows.
  base::Result<std::vector<TimeTreeItem>> TimeTree(const Filter& filter,
                                                   const Deadline& deadline = Deadline(),
                                                   uint64_t max_items = UINT64_MAX) const;
  // True when the rows of filter+sort are known without a scan or a sort:
  // their order is cached, or the filter is a time range only and the sort
  // is by time. Such questions cost O(page); the others are "heavy".
  bool IsCached(const Filter& filter, const Sort& sort) const;
  // Computes and caches the order of filter+sort (what Entries would), so
  // that later pages and exports of it cost O(page).
  base::Status Prepare(const Filter& filter, const Sort& sort,
                       const Deadline& deadline = Deadline()) const;

  base::Result<ChunkResult> Chunk(const ChunkQuery& q) const;
  base::Result<std::vector<SignalBoundary>> Boundaries(const BoundariesQuery& q) const;
  base::Result<std::vector<RowId>> AtTime(const AtTimeQuery& q) const;
  base::Result<WaveformResult> Waveform(const WaveformQuery& q,
                                        const Deadline& deadline = Deadline()) const;
  // Per rule, over the whole session. InvalidArgument for an unknown signal
  // or a value that the operator cannot compare (e.g. "greater than abc"),
  // and naming the bound when the rules give more than `max_intervals`
  // intervals in all.
  base::Result<std::vector<TransitionResult>> Transitions(
      std::span<const TransitionRule> rules, const Deadline& deadline = Deadline(),
      uint64_t max_intervals = UINT64_MAX) const;

  // Where a multi-signal condition holds (condition_search.h): the next and
  // previous interval around q.at_ns and the count over the whole session.
  base::Result<ConditionSearchResult> SearchCondition(const ConditionSearchQuery& q,
                                                      const Deadline& deadline = Deadline()) const;

  // Streams every row matching the filter, in sort order, to `sink`.
  base::Status Export(const ExportQuery& q, const ExportSink& sink,
                      const Deadline& deadline = Deadline()) const;

  // Metadata.
  // Resolves keys / bare names to store signal indices (in order, no duplicates).
  std::vector<uint32_t> ResolveSignals(std::span<const std::string> names) const;
  std::vector<std::string_view> SignalKeys() const;  // sorted
  std::vector<DeviceInfo> Devices() const;           // sorted by id
  std::vector<std::string_view> Categories() const;  // sorted, non-empty
  int64_t min_ts() const { return store_->meta().min_ts; }
  int64_t max_ts() const { return store_->meta().max_ts; }
  const std::vector<store::InputFileMeta>& files() const { return store_->meta().files; }
  base::Result<ErrorsPage> Errors(int64_t page, int64_t page_size) const;

 private:
  struct Impl;
  std::shared_ptr<const store::Store> store_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plcscope::query
