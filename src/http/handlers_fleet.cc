// Handlers: the fleet questions (docs/clickhouse.md "Reading"), answered
// from the ClickHouse cluster `serve --clickhouse` names: the files it holds,
// where one signal (or one of its values) occurs across all of them, and the
// cycle times of one signal's value grouped by device.
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

// The `signal` query parameter: required, bounded.
bool SignalParam(Request& req, std::string* signal, ApiError* err) {
  const std::string* s = req.Query("signal");
  if (s == nullptr || s->empty()) {
    *err = BadParameter("signal", "is required: a signal name or device::signal");
    return false;
  }
  if (s->size() > 1024) {
    *err = BadParameter("signal", "is too long");
    return false;
  }
  *signal = *s;
  return true;
}

// The optional `value` query parameter, bounded.
bool ValueParam(Request& req, std::optional<std::string>* value, ApiError* err) {
  const std::string* v = req.Query("value");
  if (v == nullptr) return true;
  if (v->size() > 4096) {
    *err = BadParameter("value", "is too long");
    return false;
  }
  *value = *v;
  return true;
}

// `start` and `end` (ms), optional.
bool WindowParams(Request& req, std::optional<int64_t>* start_ns, std::optional<int64_t>* end_ns,
                  ApiError* err) {
  std::optional<double> start, end;
  if (!DoubleParam(req, "start", &start, err) || !DoubleParam(req, "end", &end, err)) return false;
  if (start) *start_ns = MsToNs(*start);
  if (end) *end_ns = MsToNs(*end);
  return true;
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
    int64_t limit = 1000;
    if (!SignalParam(req, &q.signal, &err) || !ValueParam(req, &q.value, &err) ||
        !WindowParams(req, &q.start_ns, &q.end_ns, &err) || !IntParam(req, "limit", &limit, &err)) {
      return ErrorResponse(err);
    }
    if (limit < 1 || limit > kMaxSearchHits) {
      return ErrorResponse(
          BadParameter("limit", "must be between 1 and " + std::to_string(kMaxSearchHits)));
    }
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

  router_.Add("GET", "/api/fleet/cycles", [this](Request& req) {
    if (!fleet_) return NoFleet();
    ApiError err;
    fleet::CycleQuery q;
    std::optional<std::string> value;
    if (!SignalParam(req, &q.signal, &err) || !ValueParam(req, &value, &err) ||
        !WindowParams(req, &q.start_ns, &q.end_ns, &err)) {
      return ErrorResponse(err);
    }
    if (!value)
      return ErrorResponse(BadParameter("value", "is required: the value a cycle starts at"));
    q.value = std::move(*value);
    auto r = fleet_->Cycles(q);
    if (!r.ok()) return FleetError(r.status());
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("signal", q.signal).Field("value", q.value).Key("devices").BeginArray();
    for (const fleet::DeviceCycles& c : *r) {
      w.BeginObject()
          .Field("deviceId", c.device)
          .Field("files", c.files)
          .Field("count", c.count)
          .Field("minMs", c.min_ms)
          .Field("maxMs", c.max_ms)
          .Field("meanMs", c.mean_ms)
          .Field("stddevMs", c.stddev_ms)
          .Field("p50Ms", c.p50_ms)
          .Field("p95Ms", c.p95_ms)
          .EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, std::move(out));
  });
}

}  // namespace plcscope::http
