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

// Float64 is a plain number; an Int64 aggregate (quantileExact of ns) is quoted.
double Double(const nlohmann::json& v) {
  if (v.is_string()) return std::stod(v.get<std::string>());
  return v.get<double>();
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

base::Result<std::optional<std::string>> FleetReader::SignalWhere(
    const std::string& signal, std::optional<int64_t> start_ns,
    std::optional<int64_t> end_ns) const {
  auto files = Files();
  if (!files.ok()) return files.status();
  if (files->empty()) return std::optional<std::string>();
  std::string in;
  for (const FleetFile& f : *files) in += (in.empty() ? "" : ", ") + std::to_string(f.file);
  std::string where = "file IN (" + in + ")";
  const size_t sep = signal.find("::");
  if (sep == std::string::npos) {
    where += " AND signal = " + SqlString(signal);
  } else {
    where += " AND device = " + SqlString(signal.substr(0, sep)) +
             " AND signal = " + SqlString(signal.substr(sep + 2));
  }
  if (start_ns) where += " AND ts >= " + std::to_string(*start_ns);
  if (end_ns) where += " AND ts <= " + std::to_string(*end_ns);
  return std::optional<std::string>(std::move(where));
}

base::Result<SearchResult> FleetReader::Search(const SearchQuery& q) const {
  SearchResult result;
  auto where_or = SignalWhere(q.signal, q.start_ns, q.end_ns);
  if (!where_or.ok()) return where_or.status();
  if (!*where_or) return result;
  std::string where = **where_or;
  if (q.value) where += " AND value = " + SqlString(*q.value);
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

base::Result<std::vector<DeviceCycles>> FleetReader::Cycles(const CycleQuery& q) const {
  std::vector<DeviceCycles> out;
  auto where = SignalWhere(q.signal, q.start_ns, q.end_ns);
  if (!where.ok()) return where.status();
  if (!*where) return out;
  // `changed` marks a sample whose value differs from the previous one of its
  // signal in the file (and a signal's first sample), so "value = V AND
  // changed" are the matches. Per (device, file), the sorted match times give
  // the cycles as differences of neighbours (no window functions in 18.16);
  // then per device the statistics over all its cycles, in ns. Arrays count
  // from 1: the i-th cycle (i from 0) is t[i + 2] - t[i + 1].
  const std::string sql =
      "SELECT device, uniqExact(file), count(), min(d), max(d), avg(d), stddevPop(d), "
      "quantileExact(0.5)(d), quantileExact(0.95)(d) FROM (SELECT device, file, "
      "arrayJoin(arrayMap(i -> t[i + 2] - t[i + 1], range(toUInt64(length(t) - 1)))) AS d FROM "
      "(SELECT device, file, arraySort(groupArray(ts)) AS t FROM " +
      database_ + ".samples WHERE " + **where + " AND value = " + SqlString(q.value) +
      " AND changed = 1 GROUP BY device, file)) GROUP BY device ORDER BY device";
  auto body = Query(sql);
  if (!body.ok()) return body.status();
  auto rows = Rows(*body);
  if (!rows.ok()) return rows.status();
  constexpr double kNsPerMs = 1e6;
  try {
    for (const auto& r : *rows) {
      DeviceCycles c;
      c.device = r[0].get<std::string>();
      c.files = U64(r[1]);
      c.count = U64(r[2]);
      c.min_ms = static_cast<double>(I64(r[3])) / kNsPerMs;
      c.max_ms = static_cast<double>(I64(r[4])) / kNsPerMs;
      c.mean_ms = Double(r[5]) / kNsPerMs;
      c.stddev_ms = Double(r[6]) / kNsPerMs;
      c.p50_ms = Double(r[7]) / kNsPerMs;
      c.p95_ms = Double(r[8]) / kNsPerMs;
      out.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    return base::IoError(std::string("ClickHouse's cycles answer has an unexpected shape: ") +
                         e.what());
  }
  return out;
}

}  // namespace plcscope::fleet
