// Handlers: map playback (docs/api.md "Map view", docs/map.md): the carrier log's
// entries, and ours — unit colors and carrier positions at an instant,
// carrier moves over a range (so the UI animates without a request per
// frame), one unit's devices and carriers. Reads the view's choices from
// map::MapLibrary and stores from the server's sessions.
#include <vector>

#include "base/json_writer.h"
#include "base/time_util.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/handlers_map.h"
#include "http/params.h"
#include "map/map_library.h"
#include "map/unit_colors.h"
#include "query/query.h"

namespace plcscope::http {
namespace {

using map::MapLibrary;

constexpr int64_t kDefaultChangeLimit = 200000;

// What a playback request reads: the view's choices, the `session` param's
// store, and the carrier source (the view's carrier log, else the session).
struct Playback {
  ApiError err;
  map::ViewState view;
  std::shared_ptr<const map::RuleSet> rules;
  std::shared_ptr<const store::Store> store;
  std::shared_ptr<const map::CarrierTracker> tracker;
  std::shared_ptr<const store::Store> carrier_store;  // the tracker's store
  std::string carrier_source;                         // "carrier-log", "session" or ""
  std::string carrier_status;
  int64_t t_ns = 0;
};

// Reads view, optional `session`, `t` (when need_time), and finds the
// carrier source. False with c->err set on a bad parameter or session.
bool Resolve(MapLibrary& lib, SessionManager& sessions, const Request& req, bool need_time,
             Playback* c) {
  std::string view;
  if (!ViewIdOf(req, &view, &c->err)) return false;
  c->view = lib.View(view);
  c->rules = c->view.rules_id.empty() ? nullptr : lib.GetRules(c->view.rules_id);
  if (!c->rules) {
    c->rules = std::shared_ptr<const map::RuleSet>(&map::EmptyRuleSet(), [](auto*) {});
  }
  if (need_time) {
    std::optional<double> t;
    if (!DoubleParam(req, "t", &t, &c->err)) return false;
    if (!t) {
      c->err = BadParameter("t", "is required (ms since the epoch)");
      return false;
    }
    c->t_ns = base::MillisToNanos(*t);
  }
  if (const std::string* sid = req.Query("session"); sid && !sid->empty()) {
    c->store = MapSessionStore(sessions, *sid, &c->err);
    if (!c->store) return false;
  }
  if (!c->view.carrier_session_id.empty()) {
    ApiError carrier_err;
    auto carrier_store = MapSessionStore(sessions, c->view.carrier_session_id, &carrier_err);
    if (carrier_store) {
      c->tracker = lib.Tracker(carrier_store);
      c->carrier_store = carrier_store;
      c->carrier_source = "carrier-log";
      c->carrier_status = "complete";
    } else {
      c->carrier_status = carrier_err.status == 409 ? "parsing" : "error";
    }
  }
  if (!c->tracker && c->store) {
    auto tracker = lib.Tracker(c->store);
    if (!tracker->carriers().empty()) {
      c->tracker = tracker;
      c->carrier_store = c->store;
      c->carrier_source = "session";
    }
  }
  return true;
}

void WriteCarriers(base::JsonWriter& w, const Playback& c) {
  w.Field("carrierSource", c.carrier_source);
  if (!c.carrier_status.empty()) w.Field("carrierStatus", c.carrier_status);
  w.Key("carriers").BeginArray();
  if (c.tracker) {
    for (const auto& p : c.tracker->At(c.t_ns)) {
      std::string_view loc = c.tracker->location_text(p.location);
      w.BeginObject()
          .Field("carrierId", c.tracker->carriers()[p.carrier])
          .Field("location", loc)
          .Field("unitId", c.rules->UnitOf(loc))
          .Field("since", base::NanosToMillis(p.since_ns))
          .EndObject();
    }
  }
  w.EndArray();
}

Response CarrierLogEntries(MapLibrary& lib, SessionManager& sessions, const Request& req) {
  Playback c;
  if (!Resolve(lib, sessions, req, /*need_time=*/false, &c)) return ErrorResponse(c.err);
  int64_t offset = 0, limit = kDefaultChangeLimit;
  if (!IntParam(req, "offset", &offset, &c.err) || !IntParam(req, "limit", &limit, &c.err)) {
    return ErrorResponse(c.err);
  }
  if (offset < 0) return ErrorResponse(BadParameter("offset", "must be >= 0"));
  if (limit < 1) return ErrorResponse(BadParameter("limit", "must be >= 1"));
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Key("entries").BeginArray();
  // `total` (compat): every entry of the carrier session, as the old backend
  // counted; `count`: the location entries listed here over all pages.
  uint64_t count = 0;
  if (c.tracker) {
    for (const auto& e : c.tracker->events()) {
      if (e.location == map::CarrierTracker::kGone) continue;
      if (count >= static_cast<uint64_t>(offset) &&
          count < static_cast<uint64_t>(offset) + static_cast<uint64_t>(limit)) {
        std::string_view loc = c.tracker->location_text(e.location);
        w.BeginObject()
            .Field("carrierId", c.tracker->carriers()[e.carrier])
            .Field("unitId", c.rules->UnitOf(loc))
            .Field("location", loc)
            .Field("timestamp", base::NanosToMillis(e.t_ns))
            .Field("ts", base::NanosToMillis(e.t_ns))
            .EndObject();
      }
      ++count;
    }
  }
  const uint64_t total = c.carrier_store ? c.carrier_store->row_count() : 0;
  w.EndArray().Field("total", total).Field("count", count).EndObject();
  return JsonResponse(200, std::move(out));
}

// Ours: everything one playback frame needs.
Response State(MapLibrary& lib, SessionManager& sessions, const Request& req) {
  Playback c;
  if (!Resolve(lib, sessions, req, /*need_time=*/true, &c)) return ErrorResponse(c.err);
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Field("t", base::NanosToMillis(c.t_ns));
  w.Field("defaultColor", c.rules->default_color);
  w.Key("units").BeginArray();
  if (c.store && !c.view.layout_id.empty()) {
    auto plan = lib.Plan(c.store, c.view.layout_id, c.view.rules_id);
    std::vector<map::UnitColor> colors;
    plan->Evaluate(c.t_ns, &colors);
    for (size_t u = 0; u < colors.size(); ++u) {
      if (colors[u].rule < 0) continue;
      const map::Rule& r = plan->rules().rules[colors[u].rule];
      w.BeginObject()
          .Field("unitId", plan->units()[u])
          .Field("color", r.color)
          .Field("bgColor", r.bg_color)
          .Field("text", r.text)
          .Field("textColor", r.text_color)
          .Field("rule", static_cast<int64_t>(colors[u].rule))
          .Field("signal", c.store->str(c.store->signals()[colors[u].signal].key))
          .EndObject();
    }
  }
  w.EndArray();
  WriteCarriers(w, c);
  w.EndObject();
  return JsonResponse(200, std::move(out));
}

// Ours: carrier moves in (start, end], with the state at start.
Response CarrierChanges(MapLibrary& lib, SessionManager& sessions, const Request& req) {
  Playback c;
  if (!Resolve(lib, sessions, req, /*need_time=*/false, &c)) return ErrorResponse(c.err);
  std::optional<double> start, end;
  int64_t limit = kDefaultChangeLimit;
  if (!DoubleParam(req, "start", &start, &c.err) || !DoubleParam(req, "end", &end, &c.err) ||
      !IntParam(req, "limit", &limit, &c.err)) {
    return ErrorResponse(c.err);
  }
  if (!start || !end) return ErrorResponse(BadParameter(start ? "end" : "start", "is required"));
  if (*end < *start) return ErrorResponse(BadParameter("end", "must be >= start"));
  if (limit < 1) return ErrorResponse(BadParameter("limit", "must be >= 1"));
  c.t_ns = base::MillisToNanos(*start);
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Field("start", *start).Field("end", *end);
  WriteCarriers(w, c);
  bool truncated = false;
  std::vector<map::CarrierTracker::Event> events;
  if (c.tracker) {
    events = c.tracker->Changes(c.t_ns, base::MillisToNanos(*end), static_cast<size_t>(limit),
                                &truncated);
  }
  w.Key("changes").BeginObject().Key("t").BeginArray();
  for (const auto& e : events) w.Double(base::NanosToMillis(e.t_ns));
  w.EndArray().Key("carrierId").BeginArray();
  for (const auto& e : events) w.String(c.tracker->carriers()[e.carrier]);
  w.EndArray().Key("location").BeginArray();
  for (const auto& e : events) {
    if (e.location == map::CarrierTracker::kGone) {
      w.Null();
    } else {
      w.String(c.tracker->location_text(e.location));
    }
  }
  w.EndArray().Key("unitId").BeginArray();
  for (const auto& e : events) {
    if (e.location == map::CarrierTracker::kGone) {
      w.Null();
    } else {
      w.String(c.rules->UnitOf(c.tracker->location_text(e.location)));
    }
  }
  w.EndArray().EndObject().Field("truncated", truncated).EndObject();
  return JsonResponse(200, std::move(out));
}

// Ours: one unit's devices with their signals' values at t, and its carriers.
Response UnitDetails(MapLibrary& lib, SessionManager& sessions, const Request& req) {
  Playback c;
  if (!Resolve(lib, sessions, req, /*need_time=*/true, &c)) return ErrorResponse(c.err);
  const std::string* unit = req.Query("unitId");
  if (!unit || unit->empty()) return ErrorResponse(BadParameter("unitId", "is required"));
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Field("unitId", *unit).Field("t", base::NanosToMillis(c.t_ns));
  w.Key("devices").BeginArray();
  if (c.store) {
    const store::Store& s = *c.store;
    std::vector<std::vector<uint32_t>> by_device(s.devices().size());
    for (uint32_t sig = 0; sig < s.signals().size(); ++sig) {
      by_device[s.signals()[sig].device].push_back(sig);
    }
    for (uint32_t d = 0; d < s.devices().size(); ++d) {
      if (c.rules->UnitOf(s.str(s.devices()[d].name)) != *unit) continue;
      w.BeginObject()
          .Field("id", s.str(s.devices()[d].name))
          .Field("path", s.str(s.devices()[d].path));
      w.Key("signals").BeginArray();
      for (uint32_t sig : by_device[d]) {
        auto row = map::RowAtOrBefore(s, sig, c.t_ns);
        w.BeginObject()
            .Field("name", s.str(s.signals()[sig].name))
            .Field("type", base::ValueTypeName(s.signal_type(sig)));
        w.Key("value");
        if (!row) {
          w.Null();
        } else {
          std::string value;
          query::AppendValueJson(s, *row, &value);
          w.Raw(value);
          w.Field("since", base::NanosToMillis(s.row_time()[*row]));
        }
        w.EndObject();
      }
      w.EndArray().EndObject();
    }
  }
  w.EndArray();
  w.Key("carriers").BeginArray();
  if (c.tracker) {
    for (const auto& p : c.tracker->At(c.t_ns)) {
      std::string_view loc = c.tracker->location_text(p.location);
      if (c.rules->UnitOf(loc) != *unit) continue;
      w.BeginObject()
          .Field("carrierId", c.tracker->carriers()[p.carrier])
          .Field("location", loc)
          .Field("since", base::NanosToMillis(p.since_ns))
          .EndObject();
    }
  }
  w.EndArray().EndObject();
  return JsonResponse(200, std::move(out));
}

}  // namespace

void Api::AddMapPlaybackRoutes() {
  router_.Add("GET", "/api/map/carrier-log/entries",
              [this](Request& req) { return CarrierLogEntries(*map_, *sessions_, req); });
  router_.Add("GET", "/api/map/state",
              [this](Request& req) { return State(*map_, *sessions_, req); });
  router_.Add("GET", "/api/map/carriers/changes",
              [this](Request& req) { return CarrierChanges(*map_, *sessions_, req); });
  router_.Add("GET", "/api/map/unit",
              [this](Request& req) { return UnitDetails(*map_, *sessions_, req); });
}

}  // namespace plcscope::http
