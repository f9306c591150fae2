#include "http/map_routes.h"

#include <nlohmann/json.hpp>

#include "base/time_util.h"
#include "http/json_writer.h"
#include "http/params.h"
#include "map/unit_colors.h"
#include "query/query.h"

namespace plcscope::http {
namespace {

using map::MapFileInfo;
using map::MapFileKind;
using map::MapLibrary;

constexpr size_t kRecentLimit = 20;
constexpr int64_t kDefaultChangeLimit = 200000;

Response Json(int status, std::string body) { return JsonResponse(status, std::move(body)); }

// The body as a JSON object, or a 400.
bool BodyObject(const Request& req, nlohmann::json* out, ApiError* err) {
  *out = nlohmann::json::parse(req.body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) {
    *err = {400, "BAD_JSON", "The request body must be a JSON object."};
    return false;
  }
  return true;
}

bool StringField(const nlohmann::json& j, const char* key, std::string* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    *err = BadParameter(key, "is required and must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

// {"name", "data": "<base64>"} -> name and decoded bytes.
bool NamedData(const Request& req, std::string* name, std::string* bytes, ApiError* err) {
  nlohmann::json j;
  std::string data;
  if (!BodyObject(req, &j, err) || !StringField(j, "name", name, err) ||
      !StringField(j, "data", &data, err)) {
    return false;
  }
  if (!DecodeBase64(data, bytes)) {
    *err = BadParameter("data", "is not valid base64");
    return false;
  }
  *name = CleanDisplayName(*name);
  return true;
}

void WriteFileInfo(JsonWriter& w, const MapFileInfo& f) {
  w.BeginObject()
      .Field("id", f.id)
      .Field("name", f.name)
      .Field("size", f.size)
      .Field("uploadedAt", base::FormatRfc3339Millis(f.uploaded_at_ns))
      .Field("status", "uploaded")
      .EndObject();
}

std::string LayoutJson(const map::Layout* layout, const MapFileInfo* info) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (layout) w.Field("version", layout->version);
  w.Key("objects").BeginObject();
  if (layout) {
    for (const map::MapObject& o : layout->objects) {
      w.Key(o.name)
          .BeginObject()
          .Field("name", o.name)
          .Field("type", o.type)
          .Field("text", o.text)
          .Field("size", o.size)
          .Field("location", o.location)
          .Field("unitId", o.unit_id)
          .Field("lineThick", o.line_thick)
          .Field("flowDirection", o.flow_direction)
          .Field("foreColor", o.fore_color)
          .Field("endCap", o.end_cap)
          .Field("startCap", o.start_cap)
          .Field("dashStyle", o.dash_style)
          .EndObject();
    }
  }
  w.EndObject();
  if (info) w.Field("id", info->id).Field("name", info->name);
  w.EndObject();
  return out;
}

void WriteRuleValue(JsonWriter& w, const map::RuleValue& v) {
  switch (v.kind) {
    case base::ValueType::kBoolean:
      w.Bool(v.b);
      break;
    case base::ValueType::kInteger:
      w.Int(v.i);
      break;
    case base::ValueType::kFloat:
      w.Double(v.d);
      break;
    case base::ValueType::kString:
      w.String(v.text);
      break;
  }
}

std::string RulesJson(const map::RuleSet& set, const MapFileInfo* info) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (info) w.Field("id", info->id).Field("name", info->name);
  w.Field("defaultColor", set.default_color);
  w.Key("deviceToUnit").BeginArray();
  for (const auto& p : set.device_to_unit) {
    w.BeginObject().Field("pattern", p.pattern).Field("unitId", p.unit_id).EndObject();
  }
  w.EndArray();
  w.Key("rules").BeginArray();
  for (const map::Rule& r : set.rules) {
    w.BeginObject().Field("signal", r.signal).Field("op", map::RuleOpText(r.op)).Key("value");
    WriteRuleValue(w, r.value);
    w.Field("color", r.color)
        .Field("bgColor", r.bg_color)
        .Field("text", r.text)
        .Field("textColor", r.text_color)
        .Field("priority", r.priority)
        .EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

class MapHandlers {
 public:
  MapHandlers(MapLibrary* lib, MapHooks hooks) : lib_(lib), hooks_(std::move(hooks)) {}

  Response GetLayout(Request& req) {
    std::string view;
    ApiError err;
    if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
    std::string id = lib_->View(view).layout_id;
    auto layout = id.empty() ? nullptr : lib_->GetLayout(id);
    auto info = lib_->Info(id);
    if (!layout || !info) return Json(200, R"({"objects":{}})");
    return Json(200, LayoutJson(layout.get(), &*info));
  }

  Response UploadLayout(Request& req) {
    std::string view, name, bytes;
    ApiError err;
    if (!ViewIdOf(req, &view, &err) || !NamedData(req, &name, &bytes, &err)) {
      return ErrorResponse(err);
    }
    auto info = lib_->AddLayout(name, bytes);
    if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
    if (auto st = lib_->Activate(view, info->id); !st.ok()) return ErrorResponse(FromStatus(st));
    std::string out;
    JsonWriter w(&out);
    WriteFileInfo(w, *info);
    return Json(201, std::move(out));
  }

  Response SetActive(Request& req) {
    std::string view, id;
    ApiError err;
    nlohmann::json j;
    if (!ViewIdOf(req, &view, &err) || !BodyObject(req, &j, &err) ||
        !StringField(j, "id", &id, &err)) {
      return ErrorResponse(err);
    }
    if (auto st = lib_->Activate(view, id); !st.ok()) return ErrorResponse(FromStatus(st));
    return Json(200, R"({"status":"active map updated"})");
  }

  Response GetRules(Request& req) {
    std::string view;
    ApiError err;
    if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
    std::string id = lib_->View(view).rules_id;
    auto rules = id.empty() ? nullptr : lib_->GetRules(id);
    auto info = lib_->Info(id);
    if (!rules || !info)
      return Json(200, R"({"defaultColor":"#D3D3D3","deviceToUnit":[],"rules":[]})");
    return Json(200, RulesJson(*rules, &*info));
  }

  Response UploadRules(Request& req) {
    std::string view, name, bytes;
    ApiError err;
    if (!ViewIdOf(req, &view, &err) || !NamedData(req, &name, &bytes, &err)) {
      return ErrorResponse(err);
    }
    auto info = lib_->AddRules(name, bytes);
    if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
    if (auto st = lib_->Activate(view, info->id); !st.ok()) return ErrorResponse(FromStatus(st));
    auto rules = lib_->GetRules(info->id);
    std::string out;
    JsonWriter w(&out);
    w.BeginObject()
        .Field("id", info->id)
        .Field("name", info->name)
        .Field("uploadedAt", base::FormatRfc3339Millis(info->uploaded_at_ns))
        .Field("rulesCount", static_cast<uint64_t>(rules ? rules->rules.size() : 0))
        .Field("deviceCount", static_cast<uint64_t>(rules ? rules->device_to_unit.size() : 0))
        .EndObject();
    return Json(200, std::move(out));
  }

  Response RecentFiles(Request&) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("xmlFiles").BeginArray();
    for (const auto& f : lib_->Recent(MapFileKind::kLayout, kRecentLimit)) WriteFileInfo(w, f);
    w.EndArray().Key("yamlFiles").BeginArray();
    for (const auto& f : lib_->Recent(MapFileKind::kRules, kRecentLimit)) WriteFileInfo(w, f);
    w.EndArray().EndObject();
    return Json(200, std::move(out));
  }

  Response Defaults(Request&) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("maps").BeginArray();
    for (const std::string& name : lib_->DefaultMaps()) {
      w.BeginObject().Field("id", name).Field("name", name).EndObject();
    }
    w.EndArray().EndObject();
    return Json(200, std::move(out));
  }

  Response LoadDefault(Request& req) {
    std::string view, name;
    ApiError err;
    nlohmann::json j;
    if (!ViewIdOf(req, &view, &err) || !BodyObject(req, &j, &err) ||
        !StringField(j, "name", &name, &err)) {
      return ErrorResponse(err);
    }
    auto info = lib_->LoadDefault(view, name);
    if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
    auto layout = lib_->GetLayout(info->id);
    return Json(200, LayoutJson(layout.get(), &*info));
  }

  Response UploadCarrierLog(Request& req) {
    std::string view, name, bytes;
    ApiError err;
    nlohmann::json j;
    if (!ViewIdOf(req, &view, &err) || !BodyObject(req, &j, &err)) return ErrorResponse(err);
    map::ViewState state = lib_->View(view);
    if (auto sid = j.find("sessionId"); sid != j.end() && sid->is_string()) {
      // Ours: use a session that is already loaded (an mcs session) as the carrier log.
      std::string status;
      uint64_t entries = 0;
      if (!hooks_.session_status(*sid, &status, &entries)) {
        return ErrorResponse(NotFoundError("Unknown session '" + sid->get<std::string>() + "'."));
      }
      state.carrier_session_id = *sid;
      state.carrier_file_id.clear();
      state.carrier_file_name.clear();
    } else {
      if (!NamedData(req, &name, &bytes, &err)) return ErrorResponse(err);
      CarrierLogStart started;
      if (!hooks_.start_mcs_parse(name, bytes, &started, &err)) return ErrorResponse(err);
      state.carrier_session_id = started.session_id;
      state.carrier_file_id = started.file_id;
      state.carrier_file_name = name;
    }
    if (auto st = lib_->SetView(view, state); !st.ok()) return ErrorResponse(FromStatus(st));
    std::string out;
    JsonWriter w(&out);
    w.BeginObject()
        .Field("sessionId", state.carrier_session_id)
        .Field("fileId", state.carrier_file_id)
        .Field("fileName", state.carrier_file_name)
        .EndObject();
    return Json(201, std::move(out));
  }

  Response CarrierLogStatus(Request& req) {
    std::string view;
    ApiError err;
    if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
    map::ViewState state = lib_->View(view);
    std::string status;
    uint64_t entries = 0;
    if (state.carrier_session_id.empty() ||
        !hooks_.session_status(state.carrier_session_id, &status, &entries)) {
      return Json(200, R"({"loaded":false})");
    }
    std::string out;
    JsonWriter w(&out);
    w.BeginObject()
        .Field("loaded", true)
        .Field("sessionId", state.carrier_session_id)
        .Field("status", status)
        .Field("entryCount", entries)
        .Field("fileName", state.carrier_file_name);
    if (status == "complete") {
      ApiError ignored;
      if (auto store = hooks_.acquire(state.carrier_session_id, &ignored)) {
        w.Field("startTime", base::NanosToMillis(store->meta().min_ts))
            .Field("endTime", base::NanosToMillis(store->meta().max_ts));
      }
    }
    w.EndObject();
    return Json(200, std::move(out));
  }

  Response CarrierLogEntries(Request& req) {
    Context c;
    if (!Resolve(req, /*need_time=*/false, &c)) return ErrorResponse(c.err);
    int64_t offset = 0, limit = kDefaultChangeLimit;
    if (!IntParam(req, "offset", &offset, &c.err) || !IntParam(req, "limit", &limit, &c.err)) {
      return ErrorResponse(c.err);
    }
    if (offset < 0) return ErrorResponse(BadParameter("offset", "must be >= 0"));
    if (limit < 1) return ErrorResponse(BadParameter("limit", "must be >= 1"));
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("entries").BeginArray();
    uint64_t total = 0;
    if (c.tracker) {
      const auto& events = c.tracker->events();
      for (const auto& e : events) {
        if (e.location == map::CarrierTracker::kGone) continue;
        if (total >= static_cast<uint64_t>(offset) &&
            total < static_cast<uint64_t>(offset) + static_cast<uint64_t>(limit)) {
          std::string_view loc = c.tracker->location_text(e.location);
          w.BeginObject()
              .Field("carrierId", c.tracker->carriers()[e.carrier])
              .Field("unitId", c.rules->UnitOf(loc))
              .Field("location", loc)
              .Field("timestamp", base::FormatRfc3339Millis(e.t_ns))
              .Field("ts", base::NanosToMillis(e.t_ns))
              .EndObject();
        }
        ++total;
      }
    }
    w.EndArray().Field("total", total).EndObject();
    return Json(200, std::move(out));
  }

  // Ours: everything one playback frame needs.
  Response State(Request& req) {
    Context c;
    if (!Resolve(req, /*need_time=*/true, &c)) return ErrorResponse(c.err);
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Field("t", base::NanosToMillis(c.t_ns));
    w.Field("defaultColor", c.rules->default_color);
    w.Key("units").BeginArray();
    if (c.store && !c.view.layout_id.empty()) {
      auto plan = lib_->Plan(c.store, c.view.layout_id, c.view.rules_id);
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
    return Json(200, std::move(out));
  }

  // Ours: carrier moves in (start, end], so the UI animates without a request per frame.
  Response CarrierChanges(Request& req) {
    Context c;
    if (!Resolve(req, /*need_time=*/false, &c)) return ErrorResponse(c.err);
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
    JsonWriter w(&out);
    w.BeginObject().Field("start", *start).Field("end", *end);
    WriteCarriers(w, c);  // the state at start
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
    return Json(200, std::move(out));
  }

  // Ours: one unit's devices with their signals' values at t, and its carriers.
  Response UnitDetails(Request& req) {
    Context c;
    if (!Resolve(req, /*need_time=*/true, &c)) return ErrorResponse(c.err);
    const std::string* unit = req.Query("unitId");
    if (!unit || unit->empty()) return ErrorResponse(BadParameter("unitId", "is required"));
    std::string out;
    JsonWriter w(&out);
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
    return Json(200, std::move(out));
  }

 private:
  struct Context {
    ApiError err;
    map::ViewState view;
    std::shared_ptr<const map::RuleSet> rules;
    std::shared_ptr<const store::Store> store;  // the `session` param's store
    std::shared_ptr<const map::CarrierTracker> tracker;
    std::string carrier_source;  // "carrier-log", "session" or ""
    std::string carrier_status;
    int64_t t_ns = 0;
  };

  // Reads view, optional `session`, optional `t`, and finds the carrier source.
  bool Resolve(const Request& req, bool need_time, Context* c) {
    std::string view;
    if (!ViewIdOf(req, &view, &c->err)) return false;
    c->view = lib_->View(view);
    c->rules = c->view.rules_id.empty() ? nullptr : lib_->GetRules(c->view.rules_id);
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
      c->store = hooks_.acquire(*sid, &c->err);
      if (!c->store) return false;
    }
    if (!c->view.carrier_session_id.empty()) {
      ApiError carrier_err;
      auto carrier_store = hooks_.acquire(c->view.carrier_session_id, &carrier_err);
      if (carrier_store) {
        c->tracker = lib_->Tracker(carrier_store);
        c->carrier_source = "carrier-log";
        c->carrier_status = "complete";
      } else {
        c->carrier_status = carrier_err.status == 409 ? "parsing" : "error";
      }
    }
    if (!c->tracker && c->store) {
      auto tracker = lib_->Tracker(c->store);
      if (!tracker->carriers().empty()) {
        c->tracker = tracker;
        c->carrier_source = "session";
      }
    }
    return true;
  }

  void WriteCarriers(JsonWriter& w, const Context& c) {
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

  MapLibrary* lib_;
  MapHooks hooks_;
};

}  // namespace

bool ViewIdOf(const Request& req, std::string* view, ApiError* err) {
  std::string v = req.Header("x-view-id");
  if (v.empty()) {
    if (const std::string* q = req.Query("view")) v = *q;
  }
  if (v.empty()) v = "default";
  bool ok = v.size() <= 64;
  for (char ch : v) {
    ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '_' || ch == '-' || ch == '.');
  }
  if (!ok) {
    *err = BadParameter("view", "must be 1 to 64 of A-Z a-z 0-9 _ - .");
    return false;
  }
  *view = std::move(v);
  return true;
}

void RegisterMapRoutes(Router* router, MapLibrary* library, MapHooks hooks) {
  auto h = std::make_shared<MapHandlers>(library, std::move(hooks));
  auto bind = [h](Response (MapHandlers::*fn)(Request&)) {
    return [h, fn](Request& req) { return ((*h).*fn)(req); };
  };
  router->Add("GET", "/api/map/layout", bind(&MapHandlers::GetLayout));
  router->Add("POST", "/api/map/upload", bind(&MapHandlers::UploadLayout));
  router->Add("POST", "/api/map/active", bind(&MapHandlers::SetActive));
  router->Add("GET", "/api/map/rules", bind(&MapHandlers::GetRules));
  router->Add("POST", "/api/map/rules", bind(&MapHandlers::UploadRules));
  router->Add("GET", "/api/map/files/recent", bind(&MapHandlers::RecentFiles));
  router->Add("GET", "/api/map/defaults", bind(&MapHandlers::Defaults));
  router->Add("POST", "/api/map/defaults/load", bind(&MapHandlers::LoadDefault));
  router->Add("POST", "/api/map/carrier-log", bind(&MapHandlers::UploadCarrierLog));
  router->Add("GET", "/api/map/carrier-log", bind(&MapHandlers::CarrierLogStatus));
  router->Add("GET", "/api/map/carrier-log/entries", bind(&MapHandlers::CarrierLogEntries));
  router->Add("GET", "/api/map/state", bind(&MapHandlers::State));
  router->Add("GET", "/api/map/carriers/changes", bind(&MapHandlers::CarrierChanges));
  router->Add("GET", "/api/map/unit", bind(&MapHandlers::UnitDetails));
}

}  // namespace plcscope::http
