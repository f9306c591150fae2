#include "store/session_builder.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "store/store_writer.h"

namespace plcscope::store {
using base::ValueType;

SessionBuilder::SessionBuilder(BuildOptions options) : options_(options) {
  meta_.dedup_tolerance_ms = options.dedup_tolerance_ms;
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
  value_index_.emplace(key, id);
  return id;
}

void SessionBuilder::AddError(uint32_t source, uint64_t line, std::string_view reason,
                              std::string_view content) {
  ++meta_.error_counts[std::string(reason)];
  ++meta_.error_count;
  if (source >= error_details_per_source_.size()) error_details_per_source_.resize(source + 1);
  if (error_details_per_source_[source] >= options_.max_error_details_per_file) return;
  ++error_details_per_source_[source];
  errors_.push_back({source, line, std::string(reason),
                     std::string(content.substr(0, std::min<size_t>(content.size(), 512)))});
}

namespace {

// A value's identity under a resolved type, for change detection and dedup.
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

// formats.md §1 "One type per signal".
struct TypeVotes {
  bool has_bool = false, has_int = false, int_not_01 = false, has_float = false,
       has_string = false;
  void Add(const base::ParsedValue& v) {
    switch (v.kind) {
      case ValueType::kBoolean: has_bool = true; break;
      case ValueType::kInteger:
        has_int = true;
        if (v.bits != 0 && v.bits != 1) int_not_01 = true;
        break;
      case ValueType::kFloat: has_float = true; break;
      case ValueType::kString: has_string = true; break;
    }
  }
  ValueType Resolve() const {
    if (has_string) return ValueType::kString;
    if (has_float) return ValueType::kFloat;
    if (has_int) return (has_bool && !int_not_01) ? ValueType::kBoolean : ValueType::kInteger;
    return ValueType::kBoolean;
  }
};

}  // namespace

base::Status SessionBuilder::Finish(const std::string& path) {
  const size_t n_in = rows_.size();

  // 1. Time order: (ts, source, insertion order). Skip the sort when already so.
  auto source_of = [&](const Row& r) { return streams_[r.stream].source; };
  bool sorted = true;
  for (size_t i = 1; i < n_in && sorted; ++i) {
    const Row& a = rows_[i - 1];
    const Row& b = rows_[i];
    sorted = a.ts < b.ts || (a.ts == b.ts && source_of(a) <= source_of(b));
  }
  meta_.input_was_sorted = sorted;
  if (!sorted) {
    std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
      if (a.ts != b.ts) return a.ts < b.ts;
      return source_of(a) < source_of(b);
    });
  }

  // 2. Cross-file deduplication (formats.md §6): only with several sources.
  uint32_t source_count = 0;
  for (const auto& s : streams_) source_count = std::max(source_count, s.source + 1);
  source_count = std::max<uint32_t>(source_count, static_cast<uint32_t>(meta_.files.size()));
  std::vector<ValueType> raw_type_of_value(values_.size());
  if (source_count > 1) {
    const int64_t tol_ns = static_cast<int64_t>(options_.dedup_tolerance_ms * 1e6);
    struct Kept {
      int64_t ts;
      uint32_t value;
      uint32_t source;
      bool valid = false;
    };
    // Per signal: the last kept row of each source.
    std::vector<std::vector<Kept>> last(signals_.size());
    auto same_value = [&](uint32_t a, uint32_t b) {
      if (a == b) return true;
      const ValueEntry& va = values_[a];
      const ValueEntry& vb = values_[b];
      if (va.text == vb.text) return true;
      return va.parsed.kind != ValueType::kString && va.parsed.kind == vb.parsed.kind &&
             va.parsed.bits == vb.parsed.bits;
    };
    size_t out = 0;
    uint64_t dropped = 0;
    for (size_t i = 0; i < n_in; ++i) {
      const Row r = rows_[i];
      const StreamRecord& st = streams_[r.stream];
      auto& per_source = last[st.signal];
      if (per_source.size() < source_count) per_source.resize(source_count);
      // The latest kept row of this signal from another source.
      const Kept* other = nullptr;
      for (uint32_t s = 0; s < source_count; ++s) {
        if (s == st.source || !per_source[s].valid) continue;
        if (other == nullptr || per_source[s].ts > other->ts ||
            (per_source[s].ts == other->ts && s > other->source)) {
          other = &per_source[s];
        }
      }
      if (other != nullptr && r.ts - other->ts < tol_ns && same_value(other->value, r.value)) {
        ++dropped;
        continue;
      }
      per_source[st.source] = {r.ts, r.value, st.source, true};
      rows_[out++] = r;
    }
    rows_.resize(out);
    meta_.duplicates_dropped = dropped;
  }
  const size_t n = rows_.size();

  // 3. Resolve each signal's type over its kept rows.
  std::vector<TypeVotes> votes(signals_.size());
  for (const Row& r : rows_) votes[streams_[r.stream].signal].Add(values_[r.value].parsed);
  std::vector<ValueType> sig_type(signals_.size());
  for (size_t s = 0; s < signals_.size(); ++s) sig_type[s] = votes[s].Resolve();

  // 4. Signals sorted by key text; remap.
  std::vector<std::string> keys(signals_.size());
  for (size_t s = 0; s < signals_.size(); ++s) {
    keys[s] = std::string(strings_.Get(devices_[signals_[s].device].name)) + "::" +
              std::string(strings_.Get(signals_[s].name));
  }
  std::vector<uint32_t> order(signals_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<uint32_t> new_id(signals_.size());
  std::vector<SignalRecord> signal_records(signals_.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    uint32_t old = order[i];
    new_id[old] = i;
    SignalRecord& rec = signal_records[i];
    rec = {};
    rec.key = strings_.Intern(keys[old]);
    rec.device = signals_[old].device;
    rec.name = signals_[old].name;
    rec.type = static_cast<uint8_t>(sig_type[old]);
  }
  std::vector<StreamRecord> stream_records = streams_;
  for (auto& st : stream_records) st.signal = new_id[st.signal];

  // 5. Change bits and per-signal index.
  std::vector<uint64_t> changed((n + 63) / 64, 0);
  std::vector<uint64_t> sig_offsets(signals_.size() + 1, 0);
  {
    std::vector<uint64_t> prev_key(signals_.size());
    std::vector<bool> seen(signals_.size(), false);
    for (size_t i = 0; i < n; ++i) {
      const Row& r = rows_[i];
      uint32_t old_sig = streams_[r.stream].signal;
      const ValueEntry& v = values_[r.value];
      uint64_t key = CanonicalKey(sig_type[old_sig], v.text, v.parsed);
      if (!seen[old_sig] || prev_key[old_sig] != key) changed[i >> 6] |= uint64_t{1} << (i & 63);
      seen[old_sig] = true;
      prev_key[old_sig] = key;
      ++sig_offsets[new_id[old_sig] + 1];
    }
  }
  for (size_t s = 0; s < signals_.size(); ++s) sig_offsets[s + 1] += sig_offsets[s];
  std::vector<uint32_t> sig_rows(n);
  {
    std::vector<uint64_t> cursor(sig_offsets.begin(), sig_offsets.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      sig_rows[cursor[stream_records[rows_[i].stream].signal]++] = static_cast<uint32_t>(i);
    }
  }

  // 6. Dictionaries and metadata.
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
  meta_.min_ts = n ? rows_.front().ts : 0;
  meta_.max_ts = n ? rows_.back().ts : 0;
  if (meta_.files.size() < source_count) meta_.files.resize(source_count);

  // 7. Write.
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
  // Columns from the row array, in blocks.
  constexpr size_t kBlock = 1 << 16;
  std::vector<int64_t> ts_buf;
  std::vector<uint32_t> u32_buf;
  PLCSCOPE_RETURN_IF_ERROR(w.BeginSection(SectionId::kRowTime));
  for (size_t i = 0; i < n; i += kBlock) {
    ts_buf.clear();
    for (size_t j = i; j < std::min(n, i + kBlock); ++j) ts_buf.push_back(rows_[j].ts);
    PLCSCOPE_RETURN_IF_ERROR(w.Append(ts_buf.data(), ts_buf.size() * 8));
  }
  PLCSCOPE_RETURN_IF_ERROR(w.EndSection());
  for (int col = 0; col < 2; ++col) {
    PLCSCOPE_RETURN_IF_ERROR(w.BeginSection(col == 0 ? SectionId::kRowStream
                                                     : SectionId::kRowValue));
    for (size_t i = 0; i < n; i += kBlock) {
      u32_buf.clear();
      for (size_t j = i; j < std::min(n, i + kBlock); ++j) {
        u32_buf.push_back(col == 0 ? rows_[j].stream : rows_[j].value);
      }
      PLCSCOPE_RETURN_IF_ERROR(w.Append(u32_buf.data(), u32_buf.size() * 4));
    }
    PLCSCOPE_RETURN_IF_ERROR(w.EndSection());
  }
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kRowChanged, changed));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kSignalRowOffsets, sig_offsets));
  PLCSCOPE_RETURN_IF_ERROR(w.AddSection(SectionId::kSignalRows, sig_rows));
  rows_.clear();
  rows_.shrink_to_fit();
  return w.Finish(n);
}

}  // namespace plcscope::store
