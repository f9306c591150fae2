#include "store/store.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace plcscope::store {
namespace {

template <typename T>
base::Status Span(const std::map<uint32_t, std::span<const uint8_t>>& sections, SectionId id,
                  std::span<const T>* out) {
  auto it = sections.find(static_cast<uint32_t>(id));
  if (it == sections.end()) {
    return base::Corrupt("store misses section " + std::to_string(static_cast<int>(id)));
  }
  if (it->second.size() % sizeof(T) != 0) {
    return base::Corrupt("store section " + std::to_string(static_cast<int>(id)) +
                         " has a partial record");
  }
  *out = {reinterpret_cast<const T*>(it->second.data()), it->second.size() / sizeof(T)};
  return base::Status::Ok();
}

}  // namespace

ShownValue ShowValue(base::ValueType signal_type, const ValueRecord& v, std::string_view text) {
  using base::ValueType;
  ShownValue out;
  out.type = signal_type;
  const auto kind = static_cast<ValueType>(v.kind);
  switch (signal_type) {
    case ValueType::kString:
      out.s = text;
      break;
    case ValueType::kBoolean:
      out.b = v.bits != 0;
      break;
    case ValueType::kInteger:
      out.i = v.bits;
      break;
    case ValueType::kFloat:
      if (kind == ValueType::kFloat) {
        std::memcpy(&out.d, &v.bits, sizeof out.d);
      } else {
        out.d = static_cast<double>(v.bits);
      }
      break;
  }
  return out;
}

ShownValue Store::Shown(uint32_t signal, uint32_t value_id) const {
  const ValueRecord& v = values_[value_id];
  return ShowValue(signal_type(signal), v, str(v.text));
}

int64_t Store::FindSignal(std::string_view key) const {
  auto it = std::lower_bound(signals_.begin(), signals_.end(), key,
                             [&](const SignalRecord& s, std::string_view k) {
                               return str(s.key) < k;
                             });
  if (it == signals_.end() || str(it->key) != key) return -1;
  return it - signals_.begin();
}

base::Result<std::vector<ParseErrorRecord>> Store::LoadErrors() const {
  if (errors_json_.empty()) return std::vector<ParseErrorRecord>{};
  return ErrorsFromJson(errors_json_);
}

base::Result<std::shared_ptr<const Store>> Store::Open(const std::string& path) {
  auto file = base::MappedFile::Open(path);
  if (!file.ok()) return file.status();
  std::shared_ptr<Store> s(new Store());
  s->path_ = path;
  s->file_ = std::move(file.value());
  const uint8_t* base = s->file_->data();
  const uint64_t size = s->file_->size();
  if (size < sizeof(FileHeader)) return base::Corrupt(path + " is too small to be a store");
  FileHeader h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof h.magic) != 0) {
    return base::Corrupt(path + " is not a plcscope store");
  }
  if (h.version != kFormatVersion) {
    return base::Corrupt(path + " has store format " + std::to_string(h.version) +
                         ", expected " + std::to_string(kFormatVersion));
  }
  if (h.section_table_offset > size ||
      (size - h.section_table_offset) / sizeof(SectionEntry) < h.section_count) {
    return base::Corrupt(path + " has a truncated section table");
  }
  std::map<uint32_t, std::span<const uint8_t>> sections;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, base + h.section_table_offset + i * sizeof(SectionEntry), sizeof e);
    if (e.offset > size || e.length > size - e.offset || e.offset % 8 != 0) {
      return base::Corrupt(path + " has a section out of bounds");
    }
    sections[e.id] = {base + e.offset, e.length};
  }
  std::span<const char> meta_json, errors_json, string_bytes;
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kMeta, &meta_json));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kErrors, &errors_json));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kStringOffsets, &s->string_offsets_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kStringBytes, &string_bytes));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kDevices, &s->devices_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kSignals, &s->signals_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kStreams, &s->streams_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kValues, &s->values_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kRowTime, &s->row_time_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kRowStream, &s->row_stream_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kRowValue, &s->row_value_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kRowChanged, &s->row_changed_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kSignalRowOffsets, &s->signal_row_offsets_));
  PLCSCOPE_RETURN_IF_ERROR(Span(sections, SectionId::kSignalRows, &s->row_signal_rows_));
  s->string_bytes_ = string_bytes.data();
  s->errors_json_ = {errors_json.data(), errors_json.size()};

  // Structural checks so that a damaged file is an error, not a crash.
  const uint64_t n = h.row_count;
  if (s->row_time_.size() != n || s->row_stream_.size() != n || s->row_value_.size() != n ||
      s->row_signal_rows_.size() != n || s->row_changed_.size() != (n + 63) / 64) {
    return base::Corrupt(path + " has row columns of different lengths");
  }
  if (s->string_offsets_.empty() || s->string_offsets_.back() != string_bytes.size()) {
    return base::Corrupt(path + " has a damaged string table");
  }
  if (s->signal_row_offsets_.size() != s->signals_.size() + 1 ||
      s->signal_row_offsets_.back() != n) {
    return base::Corrupt(path + " has a damaged signal index");
  }
  auto meta = SessionMeta::FromJson({meta_json.data(), meta_json.size()});
  if (!meta.ok()) return meta.status();
  s->meta_ = std::move(meta.value());
  return std::shared_ptr<const Store>(std::move(s));
}

}  // namespace plcscope::store
