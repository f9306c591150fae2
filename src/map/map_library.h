// MapLibrary: the map view's server-side state. It keeps the uploaded layout
// XML and rules YAML files under <data>/map/ (an index in
// <data>/map/index.json, written atomically, survives restarts), the default
// layouts of <data>/defaults/maps/*.xml and <data>/defaults/rules.yaml
// (seeded from the demo folder when empty), the per-view state (active
// layout, rules and carrier log of each client view id — not one global
// setting), and caches of parsed files, carrier trackers and color plans.
// Thread-safe: every public method takes the library's mutex or touches only
// immutable data.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "map/carriers.h"
#include "map/layout.h"
#include "map/rules.h"
#include "map/unit_colors.h"
#include "store/store.h"

namespace plcscope::map {

enum class MapFileKind { kLayout, kRules };

struct MapFileInfo {
  std::string id;  // 16 hex digits
  std::string name;
  MapFileKind kind = MapFileKind::kLayout;
  uint64_t size = 0;
  int64_t uploaded_at_ns = 0;
  uint64_t hash = 0;
};

// What one client view has chosen. Empty ids: nothing chosen.
struct ViewState {
  std::string layout_id;
  std::string rules_id;
  std::string carrier_session_id;
  std::string carrier_file_id;
  std::string carrier_file_name;
};

class MapLibrary {
 public:
  // `demo_dir` holds layout.xml and rules.yaml used to seed the defaults; it
  // may be empty or missing.
  static base::Result<std::unique_ptr<MapLibrary>> Open(const std::string& data_dir,
                                                        const std::string& demo_dir);

  // Stores a file after validating it (InvalidArgument with the parser's
  // sentence when invalid). The same name and content returns the record
  // already stored.
  base::Result<MapFileInfo> AddLayout(const std::string& name, std::string_view xml);
  base::Result<MapFileInfo> AddRules(const std::string& name, std::string_view yaml);

  std::optional<MapFileInfo> Info(const std::string& id) const;
  std::vector<MapFileInfo> Recent(MapFileKind kind, size_t limit) const;  // newest first
  std::shared_ptr<const Layout> GetLayout(const std::string& id);
  std::shared_ptr<const RuleSet> GetRules(const std::string& id);

  ViewState View(const std::string& view_id) const;
  base::Status SetView(const std::string& view_id, const ViewState& state);
  // Makes a stored layout or rules file the view's active one (by its kind).
  base::Status Activate(const std::string& view_id, const std::string& file_id);

  // Default layouts by display name (file stem), sorted.
  std::vector<std::string> DefaultMaps() const;
  // Stores the default layout `name` (and, when the view has no rules yet,
  // the default rules) and activates it for the view.
  base::Result<MapFileInfo> LoadDefault(const std::string& view_id, const std::string& name);

  // Cached per store (a few at most; least recently used dropped).
  std::shared_ptr<const CarrierTracker> Tracker(std::shared_ptr<const store::Store> store);
  std::shared_ptr<const UnitColorPlan> Plan(std::shared_ptr<const store::Store> store,
                                            const std::string& layout_id,
                                            const std::string& rules_id);

 private:
  MapLibrary() = default;
  base::Result<MapFileInfo> AddFile(MapFileKind kind, const std::string& name,
                                    std::string_view bytes);
  std::string FilePath(const MapFileInfo& f) const;
  template <typename T, typename Parse>
  std::shared_ptr<const T> Cached(const std::string& id, MapFileKind kind,
                                  std::map<std::string, std::shared_ptr<const T>>* cache,
                                  Parse parse);
  base::Status SaveLocked() const;
  void Load();
  void LoadIndex(const std::string& text);  // may throw nlohmann::json::exception
  void SeedDefaults(const std::string& demo_dir);

  std::string dir_;           // <data>/map
  std::string defaults_dir_;  // <data>/defaults
  mutable std::mutex mu_;
  std::map<std::string, MapFileInfo> files_;
  std::map<std::string, ViewState> views_;
  std::map<std::string, std::shared_ptr<const Layout>> layouts_;
  std::map<std::string, std::shared_ptr<const RuleSet>> rules_;

  static constexpr size_t kCacheSize = 4;
  struct TrackerEntry {
    const store::Store* store;
    std::shared_ptr<const CarrierTracker> tracker;
  };
  struct PlanEntry {
    const store::Store* store;
    std::string layout_id, rules_id;
    std::shared_ptr<const UnitColorPlan> plan;
  };
  std::list<TrackerEntry> trackers_;  // most recent first
  std::list<PlanEntry> plans_;
};

// The rule set used when a view has none: default color only.
const RuleSet& EmptyRuleSet();

}  // namespace plcscope::map
