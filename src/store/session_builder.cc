#include "store/session_builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <optional>
#include <thread>
#include <utility>

#include "store/store_writer.h"

namespace plcscope::store {
using base::ValueType;

namespace {

// What a value contributes to its signal's type (docs/formats.md §1 "One type
// per signal"), as bits OR-ed over the signal's rows.
enum TypeVote : uint8_t {
  kVoteBool = 1,
  kVoteInt = 2,
  kVoteIntNot01 = 4,
  kVoteFloat = 8,
  kVoteString = 16,
};

uint8_t VoteOf(const base::ParsedValue& v) {
  switch (v.kind) {
    case ValueType::kBoolean:
      return kVoteBool;
    case ValueType::kInteger:
      return (v.bits == 0 || v.bits == 1) ? kVoteInt : kVoteInt | kVoteIntNot01;
    case ValueType::kFloat:
      return kVoteFloat;
    case ValueType::kString:
      return kVoteString;
  }
  return kVoteString;
}

ValueType Resolve(uint8_t votes) {
  if (votes & kVoteString) return ValueType::kString;
  if (votes & kVoteFloat) return ValueType::kFloat;
  if (votes & kVoteInt) {
    return ((votes & kVoteBool) && !(votes & kVoteIntNot01)) ? ValueType::kBoolean
                                                             : ValueType::kInteger;
  }
  return ValueType::kBoolean;
}

}  // namespace

SessionBuilder::SessionBuilder(BuildOptions options) : options_(std::move(options)) {
  meta_.dedup_tolerance_ms = options_.dedup_tolerance_ms;
}

SessionBuilder::~SessionBuilder() {
  if (spill_fd_ >= 0) ::close(spill_fd_);
  if (rows_fd_ >= 0 && rows_fd_ != spill_fd_) ::close(rows_fd_);
}

namespace {

constexpr std::string_view kSpillPrefix = "plcscope-rows-";

base::Status WriteAll(int fd, const void* data, size_t bytes, uint64_t offset) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    ssize_t w = ::pwrite(fd, p, bytes, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno == ENOSPC
                 ? base::ResourceExhausted("disk full while spilling rows")
                 : base::IoError(std::string("cannot write a spill file: ") + std::strerror(errno));
    }
    p += w, offset += static_cast<uint64_t>(w), bytes -= static_cast<size_t>(w);
  }
  return base::Status::Ok();
}

base::Status ReadAll(int fd, void* data, size_t bytes, uint64_t offset) {
  char* p = static_cast<char*>(data);
  while (bytes > 0) {
    ssize_t r = ::pread(fd, p, bytes, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return base::IoError("cannot read a spill file");
    p += r, offset += static_cast<uint64_t>(r), bytes -= static_cast<size_t>(r);
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<int> SessionBuilder::CreateSpillFile() {
  const std::string dir = options_.spill_dir.empty()
                              ? std::filesystem::temp_directory_path().string()
                              : options_.spill_dir;
  if (spill_fd_ < 0 && rows_fd_ < 0) {
    // Spill files are unlinked at once, so a named one is left only by a
    // process that died between mkstemp() and unlink(): remove those.
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.path().filename().string().rfind(kSpillPrefix, 0) == 0) {
        std::filesystem::remove(e.path(), ec);
      }
    }
  }
  std::string tmpl = dir + "/" + std::string(kSpillPrefix) + "XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    return base::IoError("cannot create a spill file in " + dir + ": " + std::strerror(errno));
  }
  ::unlink(tmpl.c_str());  // gone with the descriptor
  return fd;
}

void SessionBuilder::SortRun() {
  std::stable_sort(run_.get(), run_.get() + run_used_, [&](const Row& a, const Row& b) {
    if (a.ts != b.ts) return a.ts < b.ts;
    return streams_[a.stream].source < streams_[b.stream].source;
  });
}

void SessionBuilder::FlushRun() {
  if (!run_) {
    run_capacity_ = std::max(options_.max_rows_in_memory, kMinRunRows);
    // Pages are touched only as rows arrive.
    run_.reset(new Row[run_capacity_]);
    return;
  }
  if (run_used_ == 0) return;
  if (spill_status_.ok() && spill_fd_ < 0) {
    auto fd = CreateSpillFile();
    if (fd.ok()) {
      spill_fd_ = *fd;
    } else {
      spill_status_ = fd.status();
    }
  }
  if (spill_status_.ok()) {
    // Rows that all came in order are a sorted run as they are.
    if (!in_order_) SortRun();
    spill_status_ =
        WriteAll(spill_fd_, run_.get(), run_used_ * sizeof(Row), spilled_rows_ * sizeof(Row));
  }
  // After a failure rows are dropped: Finish() reports the error.
  runs_.push_back({spilled_rows_, run_used_});
  spilled_rows_ += run_used_;
  run_used_ = 0;
}

template <typename Fn>
base::Status SessionBuilder::ForEachBlock(size_t n, Fn fn) {
  std::unique_ptr<Row[]> buf;
  for (size_t i = 0; i < n;) {
    if (i < file_rows_) {
      const size_t m = std::min({kPieceRows, n - i, static_cast<size_t>(file_rows_ - i)});
      if (!buf) buf.reset(new Row[kPieceRows]);
      PLCSCOPE_RETURN_IF_ERROR(ReadAll(rows_fd_, buf.get(), m * sizeof(Row), i * sizeof(Row)));
      fn(static_cast<const Row*>(buf.get()), m, i);
      i += m;
    } else {
      const size_t m = std::min(kPieceRows, n - i);
      fn(static_cast<const Row*>(&run_[i - file_rows_]), m, i);
      i += m;
    }
  }
  return base::Status::Ok();
}

uint32_t SessionBuilder::Device(std::string_view name, std::string_view path) {
  uint32_t name_id = strings_.Intern(name);
  auto it = device_by_name_.find(name_id);
  if (it != device_by_name_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(devices_.size());
  devices_.push_back({name_id, strings_.Intern(path)});
  device_by_name_.emplace(name_id, id);
  return id;
}

uint32_t SessionBuilder::Signal(uint32_t device, std::string_view name) {
  uint32_t name_id = strings_.Intern(name);
  uint64_t key = (static_cast<uint64_t>(device) << 32) | name_id;
  auto it = signal_by_pair_.find(key);
  if (it != signal_by_pair_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(signals_.size());
  signals_.push_back({device, name_id});
  signal_by_pair_.emplace(key, id);
  return id;
}

uint32_t SessionBuilder::Stream(uint32_t signal, std::string_view category, uint32_t source) {
  StreamKey key{signal, strings_.Intern(category), source};
  auto it = stream_index_.find(key);
  if (it != stream_index_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(streams_.size());
  streams_.push_back({signal, key.category, source});
  stream_index_.emplace(key, id);
  return id;
}

uint32_t SessionBuilder::Value(std::string_view text, base::DeclaredType declared) {
  uint32_t text_id = strings_.Intern(text);
  uint64_t key = (static_cast<uint64_t>(text_id) << 8) | static_cast<uint8_t>(declared);
  auto it = value_index_.find(key);
  if (it != value_index_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(values_.size());
  values_.push_back({text_id, base::InferValue(text, declared)});
  value_votes_.push_back(VoteOf(values_.back().parsed));
  value_index_.emplace(key, id);
  return id;
}

void SessionBuilder::AddError(uint32_t source, uint64_t line, std::string_view reason,
                              std::string_view content) {
  CountErrors(reason, 1);
  if (source >= error_details_per_source_.size()) error_details_per_source_.resize(source + 1);
  if (error_details_per_source_[source] >= options_.max_error_details_per_file) return;
  ++error_details_per_source_[source];
  errors_.push_back({source, line, std::string(reason),
                     std::string(content.substr(0, std::min<size_t>(content.size(), 512)))});
}

void SessionBuilder::CountErrors(std::string_view reason, uint64_t n) {
  meta_.error_counts[std::string(reason)] += n;
  meta_.error_count += n;
}

namespace {

// A value's identity under a resolved type, for change detection.
uint64_t CanonicalKey(ValueType type, uint32_t text, const base::ParsedValue& v) {
  switch (type) {
    case ValueType::kString:
      return text;
    case ValueType::kFloat: {
      double d = v.AsDouble();
      if (d == 0) d = 0;  // -0.0 == 0.0
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return bits;
    }
    default:
      return static_cast<uint64_t>(v.bits);
  }
}

}  // namespace

// docs/formats.md §6: a row is dropped when the last kept row of the same
// signal from another source has the same value and is less than the
// tolerance earlier. Rows are fed in their final order.
class SessionBuilder::Deduper {
 public:
  Deduper(const SessionBuilder& b, uint32_t source_count)
      : b_(b),
        source_count_(source_count),
        tol_ns_(static_cast<int64_t>(b.options_.dedup_tolerance_ms * 1e6)),
        last_(b.signals_.size() * source_count, Kept{0, 0, ~0u}) {}

  bool Keep(const Row& r) {
    const StreamRecord& st = b_.streams_[r.stream];
    Kept* per_source = &last_[static_cast<size_t>(st.signal) * source_count_];
    // The latest kept row of this signal from another source.
    const Kept* other = nullptr;
    for (uint32_t s = 0; s < source_count_; ++s) {
      const Kept& k = per_source[s];
      if (s == st.source || k.source == ~0u) continue;
      if (other == nullptr || k.ts >= other->ts) other = &k;
    }
    if (other != nullptr && r.ts - other->ts < tol_ns_ && SameValue(other->value, r.value)) {
      ++dropped_;
      return false;
    }
    per_source[st.source] = {r.ts, r.value, st.source};
    return true;
  }
  uint64_t dropped() const { return dropped_; }

 private:
  struct Kept {
    int64_t ts;
    uint32_t value;
    uint32_t source;
  };
  bool SameValue(uint32_t a, uint32_t b) const {
    if (a == b) return true;
    const ValueEntry& va = b_.values_[a];
    const ValueEntry& vb = b_.values_[b];
    if (va.text == vb.text) return true;
    return va.parsed.kind != ValueType::kString && va.parsed.kind == vb.parsed.kind &&
           va.parsed.bits == vb.parsed.bits;
  }

  const SessionBuilder& b_;
  const uint32_t source_count_;
  const int64_t tol_ns_;
  // Per signal: the last kept row of each source (source == ~0: none).
  std::vector<Kept> last_;
  uint64_t dropped_ = 0;
};

// In memory: compacts run_ in place; returns the new count.
size_t SessionBuilder::DropDuplicates(size_t n, uint32_t source_count) {
  Deduper dedup(*this, source_count);
  size_t out = 0;
  for (size_t i = 0; i < n; ++i) {
    const Row r = run_[i];
    if (dedup.Keep(r)) run_[out++] = r;
  }
  meta_.duplicates_dropped = dedup.dropped();
  return out;
}

// k-way merge of the sorted runs (the spilled ones, then the in-memory one,
// sorted here) by (ts, source, run): the order of one stable sort of all
// rows. Kept rows go to a new spill file, which becomes rows_fd_.
base::Result<size_t> SessionBuilder::MergeRuns(uint32_t source_count) {
  if (!in_order_) SortRun();
  auto out_fd = CreateSpillFile();
  if (!out_fd.ok()) return out_fd.status();
  rows_fd_ = *out_fd;
  struct Cursor {
    uint64_t next = 0, end = 0;  // rows of the run not yet buffered
    const Row* rows = nullptr;   // buffered rows
    size_t pos = 0, len = 0;
    std::unique_ptr<Row[]> buf;  // null for the in-memory run
    uint32_t run = 0;
  };
  const size_t k = runs_.size() + (run_used_ > 0 ? 1 : 0);
  const size_t per_run =
      std::clamp<size_t>(options_.merge_buffer_rows / std::max<size_t>(k, 1), 256, kPieceRows);
  std::vector<Cursor> cursors(k);
  for (size_t i = 0; i < runs_.size(); ++i) {
    cursors[i].next = runs_[i].first_row;
    cursors[i].end = runs_[i].first_row + runs_[i].rows;
    cursors[i].buf.reset(new Row[per_run]);
    cursors[i].run = static_cast<uint32_t>(i);
  }
  if (run_used_ > 0) {
    Cursor& c = cursors.back();
    c.rows = run_.get();
    c.len = run_used_;
    c.run = static_cast<uint32_t>(runs_.size());
  }
  // Refills an exhausted cursor; false when its run is done.
  auto refill = [&](Cursor& c) -> base::Result<bool> {
    if (c.pos < c.len) return true;
    if (!c.buf || c.next == c.end) return false;
    const size_t m = static_cast<size_t>(std::min<uint64_t>(per_run, c.end - c.next));
    PLCSCOPE_RETURN_IF_ERROR(
        ReadAll(spill_fd_, c.buf.get(), m * sizeof(Row), c.next * sizeof(Row)));
    c.rows = c.buf.get();
    c.pos = 0;
    c.len = m;
    c.next += m;
    return true;
  };
  // Min-heap of cursor indices by (ts, source, run).
  auto after = [&](uint32_t a, uint32_t b) {
    const Row& ra = cursors[a].rows[cursors[a].pos];
    const Row& rb = cursors[b].rows[cursors[b].pos];
    if (ra.ts != rb.ts) return ra.ts > rb.ts;
    const uint32_t sa = streams_[ra.stream].source, sb = streams_[rb.stream].source;
    if (sa != sb) return sa > sb;
    return cursors[a].run > cursors[b].run;
  };
  std::vector<uint32_t> heap;
  for (uint32_t i = 0; i < k; ++i) {
    auto more = refill(cursors[i]);
    if (!more.ok()) return more.status();
    if (*more) heap.push_back(i);
  }
  std::make_heap(heap.begin(), heap.end(), after);
  std::optional<Deduper> dedup;
  if (source_count > 1) dedup.emplace(*this, source_count);
  std::unique_ptr<Row[]> out(new Row[kPieceRows]);
  size_t out_used = 0;
  uint64_t kept = 0;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    Cursor& c = cursors[heap.back()];
    const Row r = c.rows[c.pos++];
    auto more = refill(c);
    if (!more.ok()) return more.status();
    if (*more) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
    if (dedup && !dedup->Keep(r)) continue;
    out[out_used++] = r;
    if (out_used == kPieceRows) {
      PLCSCOPE_RETURN_IF_ERROR(
          WriteAll(rows_fd_, out.get(), out_used * sizeof(Row), kept * sizeof(Row)));
      kept += out_used;
      out_used = 0;
    }
  }
  PLCSCOPE_RETURN_IF_ERROR(
      WriteAll(rows_fd_, out.get(), out_used * sizeof(Row), kept * sizeof(Row)));
  kept += out_used;
  if (dedup) meta_.duplicates_dropped = dedup->dropped();
  // The runs are no longer needed.
  ::close(spill_fd_);
  spill_fd_ = -1;
  run_.reset();
  run_used_ = 0;
  file_rows_ = kept;
  return static_cast<size_t>(kept);
}

base::Status SessionBuilder::Finish(const std::string& path) {
  PLCSCOPE_RETURN_IF_ERROR(spill_status_);
  size_t n = row_count();
  const size_t n_signals = signals_.size();
  const bool sorted = in_order_;
  meta_.input_was_sorted = sorted;
  uint32_t source_count = static_cast<uint32_t>(meta_.files.size());
  for (const auto& s : streams_) source_count = std::max(source_count, s.source + 1);

  // 1. Time order: (ts, source, insertion order), as AddRow() saw it, and
  // 2. cross-file deduplication (only with several sources).
  if (runs_.empty()) {
    // All rows are in memory.
    if (!sorted) SortRun();
    if (source_count > 1) n = run_used_ = DropDuplicates(n, source_count);
  } else if (sorted && source_count <= 1) {
    // The spilled runs, then the in-memory rows, are already the result.
    rows_fd_ = spill_fd_;
    file_rows_ = spilled_rows_;
  } else {
    auto kept = MergeRuns(source_count);
    if (!kept.ok()) return kept.status();
    n = *kept;
  }

  // Per-stream signal and per-value vote, so that row passes are lookups.
  std::vector<uint32_t> stream_signal(streams_.size());
  for (size_t i = 0; i < streams_.size(); ++i) stream_signal[i] = streams_[i].signal;

  // 3. Resolve each signal's type over its kept rows; count rows per signal.
  // Sorted single-source rows: the statistics AddRow() kept are final.
  std::vector<uint8_t> votes(n_signals, 0);
  std::vector<uint64_t> sig_count(n_signals, 0);
  int64_t first_ts = 0, last_ts = 0;
  if (sorted && source_count <= 1) {
    signal_stats_.resize(n_signals);
    for (size_t s = 0; s < n_signals; ++s) {
      votes[s] = signal_stats_[s].votes;
      sig_count[s] = signal_stats_[s].rows;
    }
    if (n > 0) {
      PLCSCOPE_RETURN_IF_ERROR(
          ForEachBlock(1, [&](const Row* rows, size_t, size_t) { first_ts = rows[0].ts; }));
      last_ts = last_ts_;
    }
  } else {
    PLCSCOPE_RETURN_IF_ERROR(ForEachBlock(n, [&](const Row* rows, size_t m, size_t first) {
      if (first == 0) first_ts = rows[0].ts;
      last_ts = rows[m - 1].ts;
      for (size_t j = 0; j < m; ++j) {
        const uint32_t sig = stream_signal[rows[j].stream];
        votes[sig] |= value_votes_[rows[j].value];
        ++sig_count[sig];
      }
    }));
  }
  std::vector<ValueType> sig_type(n_signals);
  for (size_t s = 0; s < n_signals; ++s) sig_type[s] = Resolve(votes[s]);

  // 4. Signals sorted by key text ("device::signal"); remap.
  std::string key_bytes;
  std::vector<std::pair<uint32_t, uint32_t>> key_span(n_signals);  // offset, length
  for (size_t s = 0; s < n_signals; ++s) {
    const size_t at = key_bytes.size();
    key_bytes += strings_.Get(devices_[signals_[s].device].name);
    key_bytes += "::";
    key_bytes += strings_.Get(signals_[s].name);
    key_span[s] = {static_cast<uint32_t>(at), static_cast<uint32_t>(key_bytes.size() - at)};
  }
  auto key_of = [&](uint32_t s) {
    return std::string_view(key_bytes).substr(key_span[s].first, key_span[s].second);
  };
  std::vector<uint32_t> order(n_signals);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return key_of(a) < key_of(b); });
  std::vector<uint32_t> new_id(n_signals);
  std::vector<SignalRecord> signal_records(n_signals);
  std::vector<uint64_t> sig_offsets(n_signals + 1, 0);
  for (uint32_t i = 0; i < order.size(); ++i) {
    const uint32_t old = order[i];
    new_id[old] = i;
    SignalRecord& rec = signal_records[i];
    rec = {};
    rec.key = strings_.Intern(key_of(old));
    rec.device = signals_[old].device;
    rec.name = signals_[old].name;
    rec.type = static_cast<uint8_t>(sig_type[old]);
    sig_offsets[i + 1] = sig_offsets[i] + sig_count[old];
  }
  std::vector<StreamRecord> stream_records = streams_;
  for (auto& st : stream_records) st.signal = new_id[st.signal];
  for (size_t i = 0; i < streams_.size(); ++i) stream_signal[i] = new_id[stream_signal[i]];

  // Each value's identity under each type, for change detection.
  std::vector<uint64_t> canon[4];
  for (int t = 0; t < 4; ++t) {
    canon[t].resize(values_.size());
    for (size_t v = 0; v < values_.size(); ++v) {
      canon[t][v] = CanonicalKey(static_cast<ValueType>(t), values_[v].text, values_[v].parsed);
    }
  }
  std::vector<uint8_t> new_sig_type(n_signals);
  for (size_t s = 0; s < n_signals; ++s)
    new_sig_type[new_id[s]] = static_cast<uint8_t>(sig_type[s]);

  // 5. Dictionaries and metadata.
  std::vector<uint64_t> string_offsets(strings_.size() + 1, 0);
  for (uint32_t i = 0; i < strings_.size(); ++i) {
    string_offsets[i + 1] = string_offsets[i] + strings_.Get(i).size();
  }
  std::vector<DeviceRecord> device_records;
  device_records.reserve(devices_.size());
  for (const auto& d : devices_) device_records.push_back({d.name, d.path});
  std::vector<ValueRecord> value_records(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    ValueRecord& vr = value_records[i];
    vr = {};
    vr.text = values_[i].text;
    vr.kind = static_cast<uint8_t>(values_[i].parsed.kind);
    vr.bits = values_[i].parsed.bits;
  }
  meta_.row_count = n;
  meta_.min_ts = n ? first_ts : 0;
  meta_.max_ts = n ? last_ts : 0;
  if (meta_.files.size() < source_count) meta_.files.resize(source_count);

  // 6. Write dictionaries, then the row columns in one pass.
  auto writer_or = StoreWriter::Create(path);
  if (!writer_or.ok()) return writer_or.status();
  StoreWriter& w = *writer_or.value();
  const std::string meta_json = meta_.ToJson();
  const std::string errors_json = ErrorsToJson(errors_);
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kMeta, meta_json.data(), meta_json.size()));
  PLCSCOPE_RETURN_IF_ERROR(
      w.AddSection(SectionId::kErrors, errors_json.data(), errors_json.size()));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kStringOffsets, string_offsets));
  PLCSCOPE_RETURN_IF_ERROR(w.BeginSection(SectionId::kStringBytes));
  for (uint32_t i = 0; i < strings_.size(); ++i) {
    auto s = strings_.Get(i);
    PLCSCOPE_RETURN_IF_ERROR(w.Append(s.data(), s.size()));
  }
  PLCSCOPE_RETURN_IF_ERROR(w.EndSection());
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kDevices, device_records));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kSignals, signal_records));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kStreams, stream_records));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kValues, value_records));

  auto time_at = w.ReserveSection(SectionId::kRowTime, n * 8);
  if (!time_at.ok()) return time_at.status();
  auto stream_at = w.ReserveSection(SectionId::kRowStream, n * 4);
  if (!stream_at.ok()) return stream_at.status();
  auto value_at = w.ReserveSection(SectionId::kRowValue, n * 4);
  if (!value_at.ok()) return value_at.status();

  auto sig_rows_at = w.ReserveSection(SectionId::kSignalRows, n * 4);
  if (!sig_rows_at.ok()) return sig_rows_at.status();

  // The row columns are written by a helper thread while this one marks
  // value changes and fills the per-signal index, one slice per pass over
  // the rows (one pass unless the rows were many).
  base::Status column_status;
  std::thread column_writer([&] {
    std::vector<int64_t> ts_buf(kPieceRows);
    std::vector<uint32_t> stream_buf(kPieceRows), value_buf(kPieceRows);
    column_status = ForEachBlock(n, [&](const Row* rows, size_t m, size_t first) {
      if (!column_status.ok()) return;
      for (size_t j = 0; j < m; ++j) {
        ts_buf[j] = rows[j].ts;
        stream_buf[j] = rows[j].stream;
        value_buf[j] = rows[j].value;
      }
      column_status = w.WriteAt(*time_at + first * 8, ts_buf.data(), m * 8);
      if (column_status.ok()) {
        column_status = w.WriteAt(*stream_at + first * 4, stream_buf.data(), m * 4);
      }
      if (column_status.ok()) {
        column_status = w.WriteAt(*value_at + first * 4, value_buf.data(), m * 4);
      }
    });
  });
  const size_t kSliceRows = std::max<size_t>(options_.index_slice_rows, 1);
  std::vector<uint64_t> changed((n + 63) / 64, 0);
  std::vector<uint32_t> slice(std::min(n, kSliceRows));
  std::vector<uint64_t> cursor(n_signals);
  base::Status index_status;
  for (size_t lo = 0; (lo < n || lo == 0) && index_status.ok(); lo += kSliceRows) {
    const size_t hi = std::min(n, lo + kSliceRows);
    const bool first_pass = lo == 0;
    std::copy(sig_offsets.begin(), sig_offsets.end() - 1, cursor.begin());
    std::vector<uint64_t> prev_key(first_pass ? n_signals : 0, 0);
    std::vector<uint8_t> seen(first_pass ? n_signals : 0, 0);
    index_status = ForEachBlock(n, [&](const Row* rows, size_t m, size_t first) {
      for (size_t j = 0; j < m; ++j) {
        const Row& r = rows[j];
        const uint32_t sig = stream_signal[r.stream];
        const uint64_t pos = cursor[sig]++;
        if (pos >= lo && pos < hi) slice[pos - lo] = static_cast<uint32_t>(first + j);
        if (!first_pass) continue;
        const size_t row = first + j;
        const uint64_t key = canon[new_sig_type[sig]][r.value];
        if (!seen[sig] || prev_key[sig] != key) changed[row >> 6] |= uint64_t{1} << (row & 63);
        seen[sig] = 1;
        prev_key[sig] = key;
      }
    });
    // The writer is used by one thread at a time: the columns are done first.
    if (column_writer.joinable()) column_writer.join();
    if (index_status.ok()) index_status = column_status;
    if (index_status.ok()) {
      index_status = w.WriteAt(*sig_rows_at + lo * 4, slice.data(), (hi - lo) * 4);
    }
    if (n == 0) break;
  }
  if (column_writer.joinable()) column_writer.join();
  PLCSCOPE_RETURN_IF_ERROR(column_status);
  PLCSCOPE_RETURN_IF_ERROR(index_status);
  slice = {};
  run_.reset();
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kRowChanged, changed));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kSignalRowOffsets, sig_offsets));
  return w.Finish(n);
}

}  // namespace plcscope::store
