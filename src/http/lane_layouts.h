// LaneLayouts: the named lane layouts of each session (docs/api.md
// "Layouts"), shared by everyone who opens the session. A layout is the
// diagram's lanes in order plus the UI's display settings for them (colours,
// radix, groups, markers: an object the server keeps as sent, bounded). One
// file per session, <data>/layouts/<session id>.json, written atomically; a
// damaged one is set aside (`*.damaged-<date>`, a warning) and the session
// starts with no layouts. Thread-safe.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "http/api_error.h"

namespace plcscope::http {

class LaneLayouts {
 public:
  static constexpr size_t kMaxLayoutsPerSession = 100;
  static constexpr size_t kMaxNameBytes = 100;
  static constexpr size_t kMaxLanes = 5000;
  static constexpr size_t kMaxLaneKeyBytes = 1024;
  static constexpr size_t kMaxSettingsBytes = 256 * 1024;

  explicit LaneLayouts(std::string dir);

  // {"layouts": [{name, updatedAt, laneCount}]}, by name.
  std::string ListJson(const std::string& session);
  // The layout {name, lanes, settings, updatedAt}; false + 404 when absent.
  bool Get(const std::string& session, const std::string& name, std::string* json, ApiError* err);
  // Validates `body` ({lanes: [key...], settings?: {...}}) and stores it under
  // `name` (replacing one of that name); *json receives the stored layout.
  // 400 naming the member or limit; 409 LAYOUT_LIMIT past
  // kMaxLayoutsPerSession; 507 when it cannot be written.
  bool Put(const std::string& session, const std::string& name, const nlohmann::json& body,
           std::string* json, ApiError* err);
  // false + 404 when absent.
  bool Delete(const std::string& session, const std::string& name, ApiError* err);
  // Every layout of the session (the session was deleted).
  void DeleteAll(const std::string& session);

  // 400 unless `name` is 1..kMaxNameBytes bytes of valid UTF-8 without
  // control characters.
  static bool ValidName(const std::string& name, ApiError* err);

 private:
  std::string PathOf(const std::string& session) const;
  // The session's layouts ({name: layout}); {} when none or damaged.
  // REQUIRES: mu_ held.
  nlohmann::json LoadLocked(const std::string& session);
  bool SaveLocked(const std::string& session, const nlohmann::json& all, ApiError* err);

  const std::string dir_;
  std::mutex mu_;
};

}  // namespace plcscope::http
