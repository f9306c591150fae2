#include "http/lane_layouts.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "base/hex_clock.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "base/utf8.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLog = "layouts";

bool SafeSessionId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_';
  });
}

ApiError NoLayout(const std::string& name) {
  return NotFoundError("No layout named '" + base::RepairUtf8(name) + "' in this session.");
}

}  // namespace

LaneLayouts::LaneLayouts(std::string dir) : dir_(std::move(dir)) {}

bool LaneLayouts::ValidName(const std::string& name, ApiError* err) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    *err = BadParameter("name", "must be 1 to " + std::to_string(kMaxNameBytes) + " bytes long");
    return false;
  }
  if (!base::IsValidUtf8(name)) {
    *err = BadParameter("name", "is not valid UTF-8");
    return false;
  }
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    *err = BadParameter("name", "must not contain control characters");
    return false;
  }
  return true;
}

std::string LaneLayouts::PathOf(const std::string& session) const {
  return dir_ + "/" + session + ".json";
}

nlohmann::json LaneLayouts::LoadLocked(const std::string& session) {
  const std::string path = PathOf(session);
  if (!SafeSessionId(session) || ::access(path.c_str(), F_OK) != 0) {
    return nlohmann::json::object();
  }
  auto text = base::ReadFileToString(path);
  nlohmann::json j = text.ok() ? nlohmann::json::parse(*text, nullptr, false)
                               : nlohmann::json(nlohmann::json::value_t::discarded);
  bool valid = j.is_object();
  if (valid) {
    for (const auto& [name, layout] : j.items()) {
      if (!layout.is_object() || !layout.contains("lanes") || !layout["lanes"].is_array()) {
        valid = false;
        break;
      }
    }
  }
  if (valid) return j;
  auto aside = base::SetAsideDamaged(path);
  base::Log(base::LogLevel::kWarning, kLog,
            path + " is damaged; " +
                (aside.ok() ? "set aside as " + *aside
                            : "cannot set it aside: " + aside.status().message()) +
                "; the session has no layouts now");
  return nlohmann::json::object();
}

bool LaneLayouts::SaveLocked(const std::string& session, const nlohmann::json& all, ApiError* err) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    *err = {500, "INTERNAL", "Cannot create " + dir_ + ": " + ec.message()};
    return false;
  }
  const std::string path = PathOf(session);
  if (all.empty()) {
    std::remove(path.c_str());
    return true;
  }
  base::Status s = base::WriteFileAtomic(path, all.dump());
  if (!s.ok()) {
    *err = FromStatus(s);
    if (err->status == 500) err->message = "Could not store the layout: " + s.message();
    return false;
  }
  return true;
}

std::string LaneLayouts::ListJson(const std::string& session) {
  nlohmann::json all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all = LoadLocked(session);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, layout] : all.items()) {  // nlohmann objects iterate by key
    list.push_back({{"name", name},
                    {"updatedAt", layout.value("updatedAt", int64_t{0})},
                    {"laneCount", layout["lanes"].size()}});
  }
  return nlohmann::json{{"layouts", list}}.dump();
}

bool LaneLayouts::Get(const std::string& session, const std::string& name, std::string* json,
                      ApiError* err) {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json all = LoadLocked(session);
  auto it = all.find(name);
  if (it == all.end()) {
    *err = NoLayout(name);
    return false;
  }
  nlohmann::json out = *it;
  out["name"] = name;
  *json = out.dump();
  return true;
}

bool LaneLayouts::Put(const std::string& session, const std::string& name,
                      const nlohmann::json& body, std::string* json, ApiError* err) {
  if (!ValidName(name, err)) return false;
  auto lanes = body.find("lanes");
  if (lanes == body.end() || !lanes->is_array()) {
    *err = BadParameter("lanes", "is required: an array of signal keys");
    return false;
  }
  if (lanes->size() > kMaxLanes) {
    *err = BadParameter("lanes", "holds more than " + std::to_string(kMaxLanes) + " signals");
    return false;
  }
  for (const auto& k : *lanes) {
    if (!k.is_string() || k.get_ref<const std::string&>().empty() ||
        k.get_ref<const std::string&>().size() > kMaxLaneKeyBytes) {
      *err = BadParameter("lanes", "must hold signal keys (non-empty strings of at most " +
                                       std::to_string(kMaxLaneKeyBytes) + " bytes)");
      return false;
    }
  }
  nlohmann::json settings = nlohmann::json::object();
  if (auto s = body.find("settings"); s != body.end() && !s->is_null()) {
    if (!s->is_object()) {
      *err = BadParameter("settings", "must be an object");
      return false;
    }
    if (s->dump().size() > kMaxSettingsBytes) {
      *err = BadParameter("settings",
                          "is larger than " + std::to_string(kMaxSettingsBytes / 1024) + " KiB");
      return false;
    }
    settings = *s;
  }
  if (!SafeSessionId(session)) {
    *err = NotFoundError("No parse session with id '" + base::RepairUtf8(session) + "'.");
    return false;
  }
  const int64_t now_ms = base::NowNs() / 1000000;  // whole ms, as the API's other times
  nlohmann::json layout = {{"lanes", *lanes}, {"settings", settings}, {"updatedAt", now_ms}};
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json all = LoadLocked(session);
  if (!all.contains(name) && all.size() >= kMaxLayoutsPerSession) {
    *err = {409, "LAYOUT_LIMIT",
            "This session already has " + std::to_string(kMaxLayoutsPerSession) +
                " layouts; delete one first."};
    return false;
  }
  all[name] = layout;
  if (!SaveLocked(session, all, err)) return false;
  layout["name"] = name;
  *json = layout.dump();
  return true;
}

bool LaneLayouts::Delete(const std::string& session, const std::string& name, ApiError* err) {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json all = LoadLocked(session);
  if (all.erase(name) == 0) {
    *err = NoLayout(name);
    return false;
  }
  return SaveLocked(session, all, err);
}

void LaneLayouts::DeleteAll(const std::string& session) {
  if (!SafeSessionId(session)) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::remove(PathOf(session).c_str());
}

}  // namespace plcscope::http
