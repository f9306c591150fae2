#include "store/session_meta.h"

#include <nlohmann/json.hpp>

#include "base/utf8.h"

namespace plcscope::store {
using nlohmann::json;

namespace {

base::Result<SessionMeta> FromJsonOrThrow(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return base::Corrupt("session metadata is not JSON");
  SessionMeta m;
  m.parser_version = j.value("parserVersion", 0);
  m.parser_name = j.value("parserName", "");
  if (j.contains("files") && j["files"].is_array()) {
    for (const auto& f : j["files"]) {
      if (!f.is_object()) return base::Corrupt("session metadata has a file that is not an object");
      InputFileMeta fm;
      fm.name = f.value("name", "");
      fm.path = f.value("path", "");
      fm.size = f.value("size", uint64_t{0});
      fm.mtime_ns = f.value("mtimeNs", int64_t{0});
      fm.hash = f.value("hash", uint64_t{0});
      fm.format = f.value("format", "");
      fm.lines = f.value("lines", uint64_t{0});
      fm.samples = f.value("samples", uint64_t{0});
      fm.error_count = f.value("errorCount", uint64_t{0});
      fm.bytes_read = f.value("bytesRead", uint64_t{0});
      m.files.push_back(std::move(fm));
    }
  }
  if (j.contains("errorCounts") && j["errorCounts"].is_object()) {
    for (auto it = j["errorCounts"].begin(); it != j["errorCounts"].end(); ++it) {
      m.error_counts[it.key()] = it.value().get<uint64_t>();
    }
  }
  m.error_count = j.value("errorCount", uint64_t{0});
  m.duplicates_dropped = j.value("duplicatesDropped", uint64_t{0});
  m.dedup_tolerance_ms = j.value("dedupToleranceMs", 1000.0);
  m.row_count = j.value("rowCount", uint64_t{0});
  m.min_ts = j.value("minTs", int64_t{0});
  m.max_ts = j.value("maxTs", int64_t{0});
  m.processing_time_ms = j.value("processingTimeMs", 0.0);
  m.input_was_sorted = j.value("inputWasSorted", true);
  return m;
}

}  // namespace

std::string SessionMeta::ToJson() const {
  json j;
  j["parserVersion"] = parser_version;
  // Names and paths come from the file system and may be any bytes (a
  // Latin-1 "St\xf6rung.log"); JSON holds them repaired (base/utf8.h).
  j["parserName"] = base::RepairUtf8(parser_name);
  json files_j = json::array();
  for (const auto& f : files) {
    files_j.push_back({{"name", base::RepairUtf8(f.name)},
                       {"path", base::RepairUtf8(f.path)},
                       {"size", f.size},
                       {"mtimeNs", f.mtime_ns},
                       {"hash", f.hash},
                       {"format", base::RepairUtf8(f.format)},
                       {"lines", f.lines},
                       {"samples", f.samples},
                       {"errorCount", f.error_count},
                       {"bytesRead", f.bytes_read}});
  }
  j["files"] = files_j;
  json counts = json::object();
  for (const auto& [reason, n] : error_counts) counts[base::RepairUtf8(reason)] = n;
  j["errorCounts"] = counts;
  j["errorCount"] = error_count;
  j["duplicatesDropped"] = duplicates_dropped;
  j["dedupToleranceMs"] = dedup_tolerance_ms;
  j["rowCount"] = row_count;
  j["minTs"] = min_ts;
  j["maxTs"] = max_ts;
  j["processingTimeMs"] = processing_time_ms;
  j["inputWasSorted"] = input_was_sorted;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

base::Result<SessionMeta> SessionMeta::FromJson(std::string_view text) {
  // Fields of the wrong type make nlohmann throw; a store is untrusted
  // bytes, so any throw is a damaged store, not a crash.
  try {
    return FromJsonOrThrow(text);
  } catch (const std::exception& e) {
    return base::Corrupt(std::string("session metadata has a field of the wrong type: ") +
                         e.what());
  }
}

std::string ErrorsToJson(const std::vector<ParseErrorRecord>& errors) {
  json a = json::array();
  for (const auto& e : errors) {
    // Contents may hold invalid UTF-8; replace rather than fail.
    a.push_back({{"source", e.source},
                 {"line", e.line},
                 {"reason", base::RepairUtf8(e.reason)},
                 {"content", base::RepairUtf8(e.content)}});
  }
  return a.dump(-1, ' ', false, json::error_handler_t::replace);
}

base::Result<std::vector<ParseErrorRecord>> ErrorsFromJson(std::string_view text) {
  json a = json::parse(text, nullptr, false);
  if (a.is_discarded() || !a.is_array()) return base::Corrupt("error list is not JSON");
  std::vector<ParseErrorRecord> out;
  out.reserve(a.size());
  for (const auto& e : a) {
    if (!e.is_object()) return base::Corrupt("error list holds an entry that is not an object");
    ParseErrorRecord r;
    try {
      r.source = e.value("source", 0u);
      r.line = e.value("line", uint64_t{0});
      r.reason = e.value("reason", "");
      r.content = e.value("content", "");
    } catch (const std::exception& ex) {
      return base::Corrupt(std::string("error list has a field of the wrong type: ") + ex.what());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace plcscope::store
