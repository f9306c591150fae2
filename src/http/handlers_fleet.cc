// Handlers: the fleet questions (docs/clickhouse.md "Reading"), answered
// from the ClickHouse cluster `serve --clickhouse` names: the files it holds,
// and where one signal (or one of its values) occurs across all of them.
// Without --clickhouse they are 404 NO_FLEET; a cluster that cannot be
// reached is 502 CLICKHOUSE_UNAVAILABLE naming each node tried, and leaves
// every local route working.
#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/time_util.h"
#include "fleet/reader.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"

namespace plcscope::http {
namespace {

constexpr int64_t kMaxSearchHits = 10000;

Response FleetError(const base::Status& st) {
  return ErrorResponse(502, "CLICKHOUSE_UNAVAILABLE", st.message());
}

Response NoFleet() {
  return ErrorResponse(404, "NO_FLEET",
                       "This server has no ClickHouse backend (plcscope serve --clickhouse URL).");
}

}  // namespace

void Api::AddFleetRoutes() {
  router_.Add("GET", "/api/fleet/files", [this](Request&) {
    if (!fleet_) return NoFleet();
    auto files = fleet_->Files();
    if (!files.ok()) return FleetError(files.status());
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("database", fleet_->database()).Key("files").BeginArray();
    for (const fleet::FleetFile& f : *files) {
      w.BeginObject()
          .Field("id", base::Hex64(f.file))
          .Field("name", f.name)
          .Field("size", f.size)
          .Field("format", f.format)
          .Field("entryCount", f.rows)
          .Field("signalCount", f.signals)
          .Field("deviceCount", f.devices)
          .Field("errorCount", f.errors)
          .Field("startTime", base::NanosToMillis(f.first_ts))
          .Field("endTime", base::NanosToMillis(f.last_ts))
          .Field("pushedAt", static_cast<double>(f.pushed_at_s) * 1000)
          .EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, std::move(out));
  });

  router_.Add("GET", "/api/fleet/search", [this](Request& req) {
    if (!fleet_) return NoFleet();
    ApiError err;
    fleet::SearchQuery q;
    const std::string* signal = req.Query("signal");
    if (signal == nullptr || signal->empty()) {
      return ErrorResponse(BadParameter("signal", "is required: a signal name or device::signal"));
    }
    if (signal->size() > 1024) return ErrorResponse(BadParameter("signal", "is too long"));
    q.signal = *signal;
    if (const std::string* v = req.Query("value"); v != nullptr) {
      if (v->size() > 4096) return ErrorResponse(BadParameter("value", "is too long"));
      q.value = *v;
    }
    std::optional<double> start, end;
    int64_t limit = 1000;
    if (!DoubleParam(req, "start", &start, &err) || !DoubleParam(req, "end", &end, &err) ||
        !IntParam(req, "limit", &limit, &err)) {
      return ErrorResponse(err);
    }
    if (limit < 1 || limit > kMaxSearchHits) {
      return ErrorResponse(
          BadParameter("limit", "must be between 1 and " + std::to_string(kMaxSearchHits)));
    }
    if (start) q.start_ns = MsToNs(*start);
    if (end) q.end_ns = MsToNs(*end);
    q.limit = static_cast<uint32_t>(limit);
    auto r = fleet_->Search(q);
    if (!r.ok()) return FleetError(r.status());
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Key("hits").BeginArray();
    for (const fleet::SearchHit& h : r->hits) {
      w.BeginObject()
          .Field("fileId", base::Hex64(h.file))
          .Field("deviceId", h.device)
          .Field("signalName", h.signal)
          .Field("timestamp", base::NanosToMillis(h.ts))
          .Field("value", h.value)
          .Field("signalType", h.type)
          .EndObject();
    }
    w.EndArray().Field("truncated", r->truncated).EndObject();
    return JsonResponse(200, std::move(out));
  });
}

}  // namespace plcscope::http
