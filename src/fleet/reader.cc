#include "fleet/reader.h"

#include <nlohmann/json.hpp>

namespace plcscope::fleet {
namespace {

// JSONCompact quotes 64-bit integers; numbers of other widths are plain.
int64_t I64(const nlohmann::json& v) {
  if (v.is_string()) return std::stoll(v.get<std::string>());
  return v.get<int64_t>();
}
uint64_t U64(const nlohmann::json& v) {
  if (v.is_string()) return std::stoull(v.get<std::string>());
  return v.get<uint64_t>();
}

base::Result<nlohmann::json> Rows(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("data") || !j["data"].is_array()) {
    return base::IoError("ClickHouse answered something that is not JSONCompact: " +
                         body.substr(0, 200));
  }
  return std::move(j["data"]);
}

}  // namespace

base::Result<std::string> FleetReader::Query(const std::string& sql) const {
  std::string errors;
  for (const ClickHouseNode& node : nodes_) {
    auto r = node.Query(sql + " SETTINGS max_execution_time = " + std::to_string(timeout_s_) +
                        " FORMAT JSONCompact");
    if (r.ok()) return r;
    if (r.status().message().find("cannot be reached") == std::string::npos) return r.status();
    errors += (errors.empty() ? "" : "; ") + r.status().message();
  }
  return base::IoError(errors.empty() ? "no ClickHouse node configured" : errors);
}

base::Result<std::vector<FleetFile>> FleetReader::Files() const {
  const std::string& db = database_;
  auto body = Query(
      "SELECT file, any(name), any(size), any(format), any(rows), any(signals), any(devices), "
      "any(errors), min(first_ts), max(last_ts), toUInt32(max(pushed_at)) FROM " +
      db + ".files GROUP BY file HAVING sum(shard_rows) = any(rows) ORDER BY min(first_ts), file");
  if (!body.ok()) return body.status();
  auto rows = Rows(*body);
  if (!rows.ok()) return rows.status();
  std::vector<FleetFile> out;
  try {
    for (const auto& r : *rows) {
      FleetFile f;
      f.file = U64(r[0]);
      f.name = r[1].get<std::string>();
      f.size = U64(r[2]);
      f.format = r[3].get<std::string>();
      f.rows = U64(r[4]);
      f.signals = U64(r[5]);
      f.devices = U64(r[6]);
      f.errors = U64(r[7]);
      f.first_ts = I64(r[8]);
      f.last_ts = I64(r[9]);
      f.pushed_at_s = I64(r[10]);
      out.push_back(std::move(f));
    }
  } catch (const std::exception& e) {
    return base::IoError(std::string("ClickHouse's files answer has an unexpected shape: ") +
                         e.what());
  }
  return out;
}

base::Result<SearchResult> FleetReader::Search(const SearchQuery& q) const {
  SearchResult result;
  auto files = Files();
  if (!files.ok()) return files.status();
  if (files->empty()) return result;
  std::string in;
  for (const FleetFile& f : *files) in += (in.empty() ? "" : ", ") + std::to_string(f.file);
  std::string where = "file IN (" + in + ")";
  const size_t sep = q.signal.find("::");
  if (sep == std::string::npos) {
    where += " AND signal = " + SqlString(q.signal);
  } else {
    where += " AND device = " + SqlString(q.signal.substr(0, sep)) +
             " AND signal = " + SqlString(q.signal.substr(sep + 2));
  }
  if (q.value) where += " AND value = " + SqlString(*q.value);
  if (q.start_ns) where += " AND ts >= " + std::to_string(*q.start_ns);
  if (q.end_ns) where += " AND ts <= " + std::to_string(*q.end_ns);
  auto body = Query("SELECT file, device, signal, ts, value, toString(type) FROM " + database_ +
                    ".samples WHERE " + where + " ORDER BY ts, file, seq LIMIT " +
                    std::to_string(static_cast<uint64_t>(q.limit) + 1));
  if (!body.ok()) return body.status();
  auto rows = Rows(*body);
  if (!rows.ok()) return rows.status();
  try {
    for (const auto& r : *rows) {
      if (result.hits.size() == q.limit) {
        result.truncated = true;
        break;
      }
      result.hits.push_back({U64(r[0]), r[1].get<std::string>(), r[2].get<std::string>(),
                             r[4].get<std::string>(), r[5].get<std::string>(), I64(r[3])});
    }
  } catch (const std::exception& e) {
    return base::IoError(std::string("ClickHouse's search answer has an unexpected shape: ") +
                         e.what());
  }
  return result;
}

}  // namespace plcscope::fleet
