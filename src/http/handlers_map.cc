// Handlers: the map view's files (docs/api.md "Map view", docs/map.md): layout XML
// and rules YAML uploads, each client view's active layout and rules, recent
// files, default layouts, and the carrier log (an uploaded mcs log parsed as
// a session, or a session already loaded). The state lives in
// map::MapLibrary. The playback routes are in handlers_map_playback.cc.
#include "http/handlers_map.h"

#include <xxhash.h>

#include <cstdio>
#include <string_view>
#include <vector>

#include "base/base64.h"
#include "base/json_writer.h"
#include "base/mapped_file.h"
#include "base/time_util.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "ingest/formats/detect.h"
#include "map/map_library.h"

namespace plcscope::http {
namespace {

using map::MapFileInfo;
using map::MapFileKind;
using map::MapLibrary;

constexpr size_t kRecentLimit = 20;

// A member that must be present and a string.
bool RequiredString(const nlohmann::json& j, const char* key, std::string* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    *err = BadParameter(key, "is required and must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

// {"name", "data": "<base64>"} -> the display name and the decoded bytes.
bool NamedData(const nlohmann::json& j, std::string* name, std::string* bytes, ApiError* err) {
  std::string data;
  if (!RequiredString(j, "name", name, err) || !RequiredString(j, "data", &data, err)) {
    return false;
  }
  if (!base::DecodeBase64(data, bytes)) {
    *err = BadParameter("data", "is not valid base64");
    return false;
  }
  *name = CleanDisplayName(*name);
  return true;
}

// The view id and the JSON object body of a request.
bool ViewAndBody(const Request& req, std::string* view, nlohmann::json* body, ApiError* err) {
  return ViewIdOf(req, view, err) && ParseJsonObject(req, body, err);
}

void WriteMapFileInfo(base::JsonWriter& w, const MapFileInfo& f) {
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
  base::JsonWriter w(&out);
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

void WriteRuleValue(base::JsonWriter& w, const map::RuleValue& v) {
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
  base::JsonWriter w(&out);
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

// True when the first non-blank lines of `text` are detected as an mcs log
// (docs/ingest.md detection; a UTF-8 BOM and CR line ends are allowed).
bool LooksLikeMcs(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < ingest::kDetectLines) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
  auto f = ingest::DetectFormat(lines);
  return f.ok() && *f == ingest::Format::kMcs;
}

struct CarrierLog {
  std::string session_id;
  std::string file_id;
};

// Keeps `bytes` as an uploaded file named `name` (as upload_writer.cc names
// uploads) and starts an `mcs` parse of it. A file that is not an mcs log is
// a 400; nothing is kept then.
bool StartCarrierLog(FileRegistry& files, SessionManager& sessions, const std::string& name,
                     const std::string& bytes, CarrierLog* out, ApiError* err) {
  if (!LooksLikeMcs(bytes)) {
    *err = {400, "NOT_MCS_LOG", "The carrier log is not an mcs (AMHS carrier) log."};
    return false;
  }
  FileRecord r;
  r.id = NewId();
  r.name = CleanDisplayName(name);
  r.size = bytes.size();
  r.uploaded_at_ns = NowNs();
  r.path = files.files_dir() + "/" + r.id + ".log";
  r.hash = XXH3_64bits(bytes.data(), bytes.size());
  r.has_hash = true;
  if (base::Status st = base::WriteFileAtomic(r.path, bytes); !st.ok()) {
    *err = {507, "INSUFFICIENT_STORAGE", "Could not store the carrier log: " + st.message()};
    return false;
  }
  if (base::Status st = files.Add(r); !st.ok()) {
    std::remove(r.path.c_str());
    *err = FromStatus(st);
    return false;
  }
  auto s = sessions.Start({r.id}, "mcs", err);
  if (!s) return false;
  out->session_id = s->id;
  out->file_id = r.id;
  return true;
}

Response GetLayout(MapLibrary& lib, const Request& req) {
  std::string view;
  ApiError err;
  if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
  std::string id = lib.View(view).layout_id;
  auto layout = id.empty() ? nullptr : lib.GetLayout(id);
  auto info = lib.Info(id);
  if (!layout || !info) return JsonResponse(200, R"({"objects":{}})");
  return JsonResponse(200, LayoutJson(layout.get(), &*info));
}

Response UploadLayout(MapLibrary& lib, const Request& req) {
  std::string view, name, bytes;
  nlohmann::json j;
  ApiError err;
  if (!ViewAndBody(req, &view, &j, &err) || !NamedData(j, &name, &bytes, &err)) {
    return ErrorResponse(err);
  }
  auto info = lib.AddLayout(name, bytes);
  if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
  if (auto st = lib.Activate(view, info->id); !st.ok()) return ErrorResponse(FromStatus(st));
  std::string out;
  base::JsonWriter w(&out);
  WriteMapFileInfo(w, *info);
  return JsonResponse(201, std::move(out));
}

Response SetActive(MapLibrary& lib, const Request& req) {
  std::string view, id;
  nlohmann::json j;
  ApiError err;
  if (!ViewAndBody(req, &view, &j, &err) || !RequiredString(j, "id", &id, &err)) {
    return ErrorResponse(err);
  }
  if (auto st = lib.Activate(view, id); !st.ok()) return ErrorResponse(FromStatus(st));
  return JsonResponse(200, R"({"status":"active map updated"})");
}

Response GetRules(MapLibrary& lib, const Request& req) {
  std::string view;
  ApiError err;
  if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
  std::string id = lib.View(view).rules_id;
  auto rules = id.empty() ? nullptr : lib.GetRules(id);
  auto info = lib.Info(id);
  if (!rules || !info) {
    return JsonResponse(200, R"({"defaultColor":"#D3D3D3","deviceToUnit":[],"rules":[]})");
  }
  return JsonResponse(200, RulesJson(*rules, &*info));
}

Response UploadRules(MapLibrary& lib, const Request& req) {
  std::string view, name, bytes;
  nlohmann::json j;
  ApiError err;
  if (!ViewAndBody(req, &view, &j, &err) || !NamedData(j, &name, &bytes, &err)) {
    return ErrorResponse(err);
  }
  auto info = lib.AddRules(name, bytes);
  if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
  if (auto st = lib.Activate(view, info->id); !st.ok()) return ErrorResponse(FromStatus(st));
  auto rules = lib.GetRules(info->id);
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject()
      .Field("id", info->id)
      .Field("name", info->name)
      .Field("uploadedAt", base::FormatRfc3339Millis(info->uploaded_at_ns))
      .Field("rulesCount", static_cast<uint64_t>(rules ? rules->rules.size() : 0))
      .Field("deviceCount", static_cast<uint64_t>(rules ? rules->device_to_unit.size() : 0))
      .EndObject();
  return JsonResponse(200, std::move(out));
}

Response RecentFiles(MapLibrary& lib) {
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Key("xmlFiles").BeginArray();
  for (const auto& f : lib.Recent(MapFileKind::kLayout, kRecentLimit)) WriteMapFileInfo(w, f);
  w.EndArray().Key("yamlFiles").BeginArray();
  for (const auto& f : lib.Recent(MapFileKind::kRules, kRecentLimit)) WriteMapFileInfo(w, f);
  w.EndArray().EndObject();
  return JsonResponse(200, std::move(out));
}

// `demo_session` / `demo_carriers`: the demo's sessions when the server
// opened the demo, else empty (then no "demo" member).
Response Defaults(MapLibrary& lib, const std::string& demo_session,
                  const std::string& demo_carriers) {
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject().Key("maps").BeginArray();
  for (const std::string& name : lib.DefaultMaps()) {
    w.BeginObject().Field("id", name).Field("name", name).EndObject();
  }
  w.EndArray();
  if (!demo_session.empty() && !demo_carriers.empty()) {
    w.Key("demo")
        .BeginObject()
        .Field("sessionId", demo_session)
        .Field("carrierSessionId", demo_carriers)
        .EndObject();
  }
  w.EndObject();
  return JsonResponse(200, std::move(out));
}

Response LoadDefault(MapLibrary& lib, const Request& req) {
  std::string view, name;
  nlohmann::json j;
  ApiError err;
  if (!ViewAndBody(req, &view, &j, &err) || !RequiredString(j, "name", &name, &err)) {
    return ErrorResponse(err);
  }
  auto info = lib.LoadDefault(view, name);
  if (!info.ok()) return ErrorResponse(FromStatus(info.status()));
  auto layout = lib.GetLayout(info->id);
  return JsonResponse(200, LayoutJson(layout.get(), &*info));
}

Response UploadCarrierLog(MapLibrary& lib, FileRegistry& files, SessionManager& sessions,
                          const Request& req) {
  std::string view, name, bytes;
  nlohmann::json j;
  ApiError err;
  if (!ViewAndBody(req, &view, &j, &err)) return ErrorResponse(err);
  map::ViewState state = lib.View(view);
  if (auto sid = j.find("sessionId"); sid != j.end() && sid->is_string()) {
    // Ours: use a session that is already loaded (an mcs session) as the carrier log.
    std::string status;
    uint64_t entries = 0;
    if (!MapSessionStatus(sessions, *sid, &status, &entries)) {
      return ErrorResponse(NotFoundError("Unknown session '" + sid->get<std::string>() + "'."));
    }
    state.carrier_session_id = *sid;
    state.carrier_file_id.clear();
    state.carrier_file_name.clear();
    // A session of one file: the status names that file.
    if (auto session = sessions.Find(*sid)) {
      std::vector<std::string> ids;
      {
        std::lock_guard<std::mutex> lock(session->mu);
        ids = session->file_ids;
      }
      if (ids.size() == 1) {
        if (auto f = files.Get(ids[0])) {
          state.carrier_file_id = f->id;
          state.carrier_file_name = f->name;
        }
      }
    }
  } else {
    if (!NamedData(j, &name, &bytes, &err)) return ErrorResponse(err);
    CarrierLog started;
    if (!StartCarrierLog(files, sessions, name, bytes, &started, &err)) return ErrorResponse(err);
    state.carrier_session_id = started.session_id;
    state.carrier_file_id = started.file_id;
    state.carrier_file_name = name;
  }
  if (auto st = lib.SetView(view, state); !st.ok()) return ErrorResponse(FromStatus(st));
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject()
      .Field("sessionId", state.carrier_session_id)
      .Field("fileId", state.carrier_file_id)
      .Field("fileName", state.carrier_file_name)
      .EndObject();
  return JsonResponse(201, std::move(out));
}

Response CarrierLogStatus(MapLibrary& lib, SessionManager& sessions, const Request& req) {
  std::string view;
  ApiError err;
  if (!ViewIdOf(req, &view, &err)) return ErrorResponse(err);
  map::ViewState state = lib.View(view);
  std::string status;
  uint64_t entries = 0;
  if (state.carrier_session_id.empty() ||
      !MapSessionStatus(sessions, state.carrier_session_id, &status, &entries)) {
    return JsonResponse(200, R"({"loaded":false})");
  }
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject()
      .Field("loaded", true)
      .Field("sessionId", state.carrier_session_id)
      .Field("status", status)
      .Field("entryCount", entries)
      .Field("fileName", state.carrier_file_name);
  if (status == "complete") {
    ApiError ignored;
    if (auto store = MapSessionStore(sessions, state.carrier_session_id, &ignored)) {
      w.Field("startTime", base::NanosToMillis(store->meta().min_ts))
          .Field("endTime", base::NanosToMillis(store->meta().max_ts));
    }
  }
  w.EndObject();
  return JsonResponse(200, std::move(out));
}

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

std::shared_ptr<const store::Store> MapSessionStore(SessionManager& sessions,
                                                    const std::string& session_id, ApiError* err) {
  auto view = sessions.Acquire(session_id, err);
  return view ? view->shared_store() : nullptr;
}

bool MapSessionStatus(SessionManager& sessions, const std::string& session_id, std::string* status,
                      uint64_t* entries) {
  auto s = sessions.Find(session_id);
  if (!s) return false;
  std::lock_guard<std::mutex> lock(s->mu);
  *status = s->status;
  *entries = s->meta ? s->meta->row_count : s->rows;
  return true;
}

void Api::AddMapRoutes() {
  MapLibrary& lib = *map_;
  router_.Add("GET", "/api/map/layout", [&lib](Request& req) { return GetLayout(lib, req); });
  router_.Add("POST", "/api/map/upload", [&lib](Request& req) { return UploadLayout(lib, req); });
  router_.Add("POST", "/api/map/active", [&lib](Request& req) { return SetActive(lib, req); });
  router_.Add("GET", "/api/map/rules", [&lib](Request& req) { return GetRules(lib, req); });
  router_.Add("POST", "/api/map/rules", [&lib](Request& req) { return UploadRules(lib, req); });
  router_.Add("GET", "/api/map/files/recent", [&lib](Request&) { return RecentFiles(lib); });
  router_.Add("GET", "/api/map/defaults", [this, &lib](Request&) {
    return Defaults(lib, startup_session_, demo_carrier_session_);
  });
  router_.Add("POST", "/api/map/defaults/load",
              [&lib](Request& req) { return LoadDefault(lib, req); });
  router_.Add("POST", "/api/map/carrier-log",
              [this](Request& req) { return UploadCarrierLog(*map_, *files_, *sessions_, req); });
  router_.Add("GET", "/api/map/carrier-log",
              [this](Request& req) { return CarrierLogStatus(*map_, *sessions_, req); });
  AddMapPlaybackRoutes();
}

}  // namespace plcscope::http
