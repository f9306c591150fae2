#include "store/store.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>

namespace plcscope::store {
namespace {

template <typename T>
base::Status Span(const std::map<uint32_t, std::span<const uint8_t>>& sections, SectionId id,
                  std::span<const T>* out) {
  auto it = sections.find(static_cast<uint32_t>(id));
  if (it == sections.end()) {
    return base::Corrupt(std::string("store damaged: section '") +
                         SectionName(static_cast<uint32_t>(id)) + "' is missing");
  }
  if (it->second.size() % sizeof(T) != 0) {
    return base::Corrupt(std::string("store damaged: section '") +
                         SectionName(static_cast<uint32_t>(id)) + "' has a partial record");
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
  auto it =
      std::lower_bound(signals_.begin(), signals_.end(), key,
                       [&](const SignalRecord& s, std::string_view k) { return str(s.key) < k; });
  if (it == signals_.end() || str(it->key) != key) return -1;
  return it - signals_.begin();
}

base::Result<std::vector<ParseErrorRecord>> Store::LoadErrors() const {
  if (errors_json_.empty()) return std::vector<ParseErrorRecord>{};
  return ErrorsFromJson(errors_json_);
}

const char* SectionName(uint32_t id) {
  static const char* const kNames[] = {nullptr,        "meta",
                                       "errors",       "string_offsets",
                                       "string_bytes", "devices",
                                       "signals",      "streams",
                                       "values",       "row_time",
                                       "row_stream",   "row_value",
                                       "row_changed",  "signal_row_offsets",
                                       "signal_rows"};
  if (id >= 1 && id < std::size(kNames)) return kNames[id];
  return "unknown";
}

base::Result<std::shared_ptr<const Store>> Store::Open(const std::string& path) {
  auto file = base::MappedFile::Open(path);
  if (!file.ok()) return file.status();
  std::shared_ptr<Store> s(new Store());
  s->path_ = path;
  s->file_ = std::move(file.value());
  const uint8_t* base = s->file_->data();
  const uint64_t size = s->file_->size();
  auto damaged = [&](const std::string& what) {
    return base::Corrupt("store damaged: " + what + " (" + path + ")");
  };
  if (size < sizeof(FileHeader)) return damaged("the file is too small to be a store");
  FileHeader h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof h.magic) != 0) {
    return base::Corrupt(path + " is not a plcscope store");
  }
  if (h.version != kFormatVersion) {
    return base::Corrupt(path + " has store format " + std::to_string(h.version) + ", expected " +
                         std::to_string(kFormatVersion));
  }
  FileHeader unsummed = h;
  unsummed.header_checksum = 0;
  if (XXH3_64bits(&unsummed, sizeof unsummed) != h.header_checksum) {
    return damaged("header checksum mismatch");
  }
  if (h.section_table_offset > size ||
      (size - h.section_table_offset) / sizeof(SectionEntry) < h.section_count) {
    return damaged("truncated section table");
  }
  const uint8_t* table = base + h.section_table_offset;
  if (XXH3_64bits(table, h.section_count * sizeof(SectionEntry)) != h.table_checksum) {
    return damaged("section table checksum mismatch");
  }
  std::map<uint32_t, std::span<const uint8_t>> sections;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, table + i * sizeof(SectionEntry), sizeof e);
    const std::string name = std::string("section '") + SectionName(e.id) + "'";
    if (e.offset > size || e.length > size - e.offset || e.offset % 8 != 0) {
      return damaged(name + " out of bounds");
    }
    if (!sections.emplace(e.id, std::span<const uint8_t>(base + e.offset, e.length)).second) {
      return damaged(name + " appears twice");
    }
    // Hashed in pieces, each dropped from the resident set once read
    // (MappedFile::Release: the page cache keeps it).
    constexpr uint64_t kPiece = uint64_t{8} << 20;
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    for (uint64_t at = 0; at < e.length; at += kPiece) {
      const uint64_t len = std::min(kPiece, e.length - at);
      XXH3_64bits_update(st, base + e.offset + at, static_cast<size_t>(len));
      if (len == kPiece) s->file_->Release(e.offset + at, len);
    }
    const uint64_t sum = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    if (sum != e.checksum) return damaged(name + " checksum mismatch");
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
  auto meta = SessionMeta::FromJson({meta_json.data(), meta_json.size()});
  if (!meta.ok()) return damaged("section 'meta': " + meta.status().message());
  s->meta_ = std::move(meta.value());
  if (!s->errors_json_.empty()) {
    auto errors = ErrorsFromJson(s->errors_json_);
    if (!errors.ok()) return damaged("section 'errors': " + errors.status().message());
  }
  // Every id and offset a query follows, so that a store that opens cannot
  // send one out of bounds (store_validate.cc).
  base::Status valid = s->Validate(h.row_count, string_bytes.size());
  // The checksums and the validation read every byte once. The pages stay
  // in the page cache, but leave this process's resident set (Validate
  // releases each row column after its pass): opening a store just written
  // (parse) or a multi-GB one does not count it as resident memory; queries
  // fault back what they touch.
  s->file_->Release(0, size);
  if (!valid.ok()) return damaged(valid.message());
  return std::shared_ptr<const Store>(std::move(s));
}

}  // namespace plcscope::store
