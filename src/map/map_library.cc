#include "map/map_library.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "base/hex_clock.h"
#include "base/mapped_file.h"

namespace plcscope::map {
namespace fs = std::filesystem;
namespace {

std::string NewFileId() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  return base::Hex64(rng());
}

const char* KindName(MapFileKind k) { return k == MapFileKind::kLayout ? "layout" : "rules"; }

}  // namespace

const RuleSet& EmptyRuleSet() {
  static const RuleSet* empty = new RuleSet();
  return *empty;
}

base::Result<std::unique_ptr<MapLibrary>> MapLibrary::Open(const std::string& data_dir,
                                                           const std::string& demo_dir) {
  std::unique_ptr<MapLibrary> lib(new MapLibrary());
  lib->dir_ = (fs::path(data_dir) / "map").string();
  lib->defaults_dir_ = (fs::path(data_dir) / "defaults").string();
  std::error_code ec;
  fs::create_directories(lib->dir_, ec);
  if (ec) return base::IoError("cannot create " + lib->dir_ + ": " + ec.message());
  fs::create_directories(fs::path(lib->defaults_dir_) / "maps", ec);
  if (ec) return base::IoError("cannot create " + lib->defaults_dir_ + ": " + ec.message());
  lib->Load();
  lib->SeedDefaults(demo_dir);
  return lib;
}

void MapLibrary::Load() {
  auto text = base::ReadFileToString((fs::path(dir_) / "index.json").string());
  if (!text.ok()) return;
  // A damaged index (a member of the wrong type makes value() throw) loses
  // what was not read yet; it never stops the server from starting.
  try {
    LoadIndex(*text);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "map: %s/index.json is damaged (%s); read what came before\n",
                 dir_.c_str(), e.what());
  }
}

void MapLibrary::LoadIndex(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  const nlohmann::json& files = j["files"];
  const nlohmann::json& views = j["views"];
  for (const auto& f : files.is_array() ? files : nlohmann::json::array()) {
    MapFileInfo info;
    info.id = f.value("id", "");
    info.name = f.value("name", "");
    info.kind = f.value("kind", "") == "rules" ? MapFileKind::kRules : MapFileKind::kLayout;
    info.size = f.value("size", uint64_t{0});
    info.uploaded_at_ns = f.value("uploadedAtNs", int64_t{0});
    info.hash = f.value("hash", uint64_t{0});
    if (info.id.empty() || !fs::exists(FilePath(info))) continue;
    files_[info.id] = info;
  }
  if (!views.is_object()) return;
  for (const auto& [view, v] : views.items()) {
    ViewState s;
    s.layout_id = v.value("layoutId", "");
    s.rules_id = v.value("rulesId", "");
    s.carrier_session_id = v.value("carrierSessionId", "");
    s.carrier_file_id = v.value("carrierFileId", "");
    s.carrier_file_name = v.value("carrierFileName", "");
    views_[view] = s;
  }
}

base::Status MapLibrary::SaveLocked() const {
  nlohmann::json j;
  j["files"] = nlohmann::json::array();
  for (const auto& [id, f] : files_) {
    j["files"].push_back({{"id", f.id},
                          {"name", f.name},
                          {"kind", KindName(f.kind)},
                          {"size", f.size},
                          {"uploadedAtNs", f.uploaded_at_ns},
                          {"hash", f.hash}});
  }
  j["views"] = nlohmann::json::object();
  for (const auto& [view, s] : views_) {
    j["views"][view] = {{"layoutId", s.layout_id},
                        {"rulesId", s.rules_id},
                        {"carrierSessionId", s.carrier_session_id},
                        {"carrierFileId", s.carrier_file_id},
                        {"carrierFileName", s.carrier_file_name}};
  }
  // Names came from JSON bodies (valid UTF-8); replace, never throw, regardless.
  return base::WriteFileAtomic((fs::path(dir_) / "index.json").string(),
                               j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void MapLibrary::SeedDefaults(const std::string& demo_dir) {
  if (demo_dir.empty()) return;
  std::error_code ec;
  fs::path maps = fs::path(defaults_dir_) / "maps";
  bool has_map = false;
  for (const auto& e : fs::directory_iterator(maps, ec)) {
    if (e.path().extension() == ".xml") has_map = true;
  }
  fs::path demo_layout = fs::path(demo_dir) / "layout.xml";
  if (!has_map && fs::exists(demo_layout, ec)) {
    fs::copy_file(demo_layout, maps / "demo_layout.xml", ec);
  }
  fs::path rules = fs::path(defaults_dir_) / "rules.yaml";
  fs::path demo_rules = fs::path(demo_dir) / "rules.yaml";
  if (!fs::exists(rules, ec) && fs::exists(demo_rules, ec)) fs::copy_file(demo_rules, rules, ec);
}

std::string MapLibrary::FilePath(const MapFileInfo& f) const {
  return (fs::path(dir_) / (f.id + (f.kind == MapFileKind::kLayout ? ".xml" : ".yaml"))).string();
}

base::Result<MapFileInfo> MapLibrary::AddFile(MapFileKind kind, const std::string& name,
                                              std::string_view bytes) {
  uint64_t hash = XXH3_64bits(bytes.data(), bytes.size());
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, f] : files_) {
    if (f.kind == kind && f.hash == hash && f.name == name && f.size == bytes.size()) return f;
  }
  MapFileInfo info;
  info.id = NewFileId();
  info.name = name;
  info.kind = kind;
  info.size = bytes.size();
  info.uploaded_at_ns = base::NowNs();
  info.hash = hash;
  PLCSCOPE_RETURN_IF_ERROR(base::WriteFileAtomic(FilePath(info), bytes));
  files_[info.id] = info;
  PLCSCOPE_RETURN_IF_ERROR(SaveLocked());
  return info;
}

base::Result<MapFileInfo> MapLibrary::AddLayout(const std::string& name, std::string_view xml) {
  auto layout = ParseLayoutXml(xml);
  if (!layout.ok()) return layout.status();
  auto info = AddFile(MapFileKind::kLayout, name, xml);
  if (!info.ok()) return info.status();
  std::lock_guard<std::mutex> lock(mu_);
  layouts_[info->id] = std::make_shared<const Layout>(std::move(layout).value());
  return info;
}

base::Result<MapFileInfo> MapLibrary::AddRules(const std::string& name, std::string_view yaml) {
  auto rules = ParseRulesYaml(yaml);
  if (!rules.ok()) return rules.status();
  auto info = AddFile(MapFileKind::kRules, name, yaml);
  if (!info.ok()) return info.status();
  std::lock_guard<std::mutex> lock(mu_);
  rules_[info->id] = std::make_shared<const RuleSet>(std::move(rules).value());
  return info;
}

std::optional<MapFileInfo> MapLibrary::Info(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(id);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::vector<MapFileInfo> MapLibrary::Recent(MapFileKind kind, size_t limit) const {
  std::vector<MapFileInfo> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, f] : files_) {
      if (f.kind == kind) out.push_back(f);
    }
  }
  std::sort(out.begin(), out.end(), [](const MapFileInfo& a, const MapFileInfo& b) {
    return a.uploaded_at_ns > b.uploaded_at_ns;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

// Returns the cached parse of a stored file of `kind`, reading and parsing it
// on first use. REQUIRES: `cache` is one of the library's caches (under mu).
template <typename T, typename Parse>
std::shared_ptr<const T> MapLibrary::Cached(const std::string& id, MapFileKind kind,
                                            std::map<std::string, std::shared_ptr<const T>>* cache,
                                            Parse parse) {
  std::optional<MapFileInfo> info;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache->find(id); it != cache->end()) return it->second;
    if (auto it = files_.find(id); it != files_.end() && it->second.kind == kind) {
      info = it->second;
    }
  }
  if (!info) return nullptr;
  auto text = base::ReadFileToString(FilePath(*info));
  if (!text.ok()) return nullptr;
  auto parsed = parse(*text);
  if (!parsed.ok()) return nullptr;
  auto shared = std::make_shared<const T>(std::move(parsed).value());
  std::lock_guard<std::mutex> lock(mu_);
  (*cache)[id] = shared;
  return shared;
}

std::shared_ptr<const Layout> MapLibrary::GetLayout(const std::string& id) {
  return Cached<Layout>(id, MapFileKind::kLayout, &layouts_, ParseLayoutXml);
}

std::shared_ptr<const RuleSet> MapLibrary::GetRules(const std::string& id) {
  return Cached<RuleSet>(id, MapFileKind::kRules, &rules_, ParseRulesYaml);
}

ViewState MapLibrary::View(const std::string& view_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = views_.find(view_id);
  return it == views_.end() ? ViewState{} : it->second;
}

base::Status MapLibrary::SetView(const std::string& view_id, const ViewState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  views_[view_id] = state;
  return SaveLocked();
}

base::Status MapLibrary::Activate(const std::string& view_id, const std::string& file_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(file_id);
  if (it == files_.end()) return base::NotFound("no map file with id " + file_id);
  ViewState& v = views_[view_id];
  (it->second.kind == MapFileKind::kLayout ? v.layout_id : v.rules_id) = file_id;
  return SaveLocked();
}

std::vector<std::string> MapLibrary::DefaultMaps() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(defaults_dir_) / "maps", ec)) {
    if (e.is_regular_file(ec) && e.path().extension() == ".xml") {
      out.push_back(e.path().stem().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

base::Result<MapFileInfo> MapLibrary::LoadDefault(const std::string& view_id,
                                                  const std::string& name) {
  std::vector<std::string> names = DefaultMaps();
  // Only a listed name is accepted: nothing the client sends becomes a path.
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return base::NotFound("no default map named \"" + name + "\"");
  auto xml = base::ReadFileToString((fs::path(defaults_dir_) / "maps" / (*it + ".xml")).string());
  if (!xml.ok()) return xml.status();
  auto info = AddLayout(*it + ".xml", *xml);
  if (!info.ok()) return info.status();
  PLCSCOPE_RETURN_IF_ERROR(Activate(view_id, info->id));
  if (View(view_id).rules_id.empty()) {
    auto yaml = base::ReadFileToString((fs::path(defaults_dir_) / "rules.yaml").string());
    if (yaml.ok()) {
      auto rules = AddRules("rules.yaml", *yaml);
      if (rules.ok()) PLCSCOPE_RETURN_IF_ERROR(Activate(view_id, rules->id));
    }
  }
  return info;
}

std::shared_ptr<const CarrierTracker> MapLibrary::Tracker(
    std::shared_ptr<const store::Store> store) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = trackers_.begin(); it != trackers_.end(); ++it) {
      if (it->store == store.get()) {
        trackers_.splice(trackers_.begin(), trackers_, it);
        return it->tracker;
      }
    }
  }
  const store::Store* key = store.get();
  auto tracker = CarrierTracker::Build(std::move(store));
  std::lock_guard<std::mutex> lock(mu_);
  trackers_.push_front({key, tracker});
  if (trackers_.size() > kCacheSize) trackers_.pop_back();
  return tracker;
}

std::shared_ptr<const UnitColorPlan> MapLibrary::Plan(std::shared_ptr<const store::Store> store,
                                                      const std::string& layout_id,
                                                      const std::string& rules_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = plans_.begin(); it != plans_.end(); ++it) {
      if (it->store == store.get() && it->layout_id == layout_id && it->rules_id == rules_id) {
        plans_.splice(plans_.begin(), plans_, it);
        return it->plan;
      }
    }
  }
  std::shared_ptr<const Layout> layout = GetLayout(layout_id);
  std::shared_ptr<const RuleSet> rules = GetRules(rules_id);
  if (!rules) rules = std::shared_ptr<const RuleSet>(&EmptyRuleSet(), [](const RuleSet*) {});
  std::vector<std::string> units = layout ? layout->UnitIds() : std::vector<std::string>{};
  const store::Store* key = store.get();
  auto plan = UnitColorPlan::Build(std::move(store), std::move(rules), std::move(units));
  std::lock_guard<std::mutex> lock(mu_);
  plans_.push_front({key, layout_id, rules_id, plan});
  if (plans_.size() > kCacheSize) plans_.pop_back();
  return plan;
}

}  // namespace plcscope::map
