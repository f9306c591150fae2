// Test helper: builds a store with store::SessionBuilder into a temporary
// file and opens it (the file is removed at once; the mapping stays valid).
// For tests only; not thread-safe.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/session_builder.h"
#include "store/store.h"

namespace plcscope::query::testing {

inline std::shared_ptr<const store::Store> BuildStore(
    const std::function<void(store::SessionBuilder&)>& fill, store::BuildOptions options = {}) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("plcscope_query_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / (std::to_string(counter++) + ".plcs")).string();
  store::SessionBuilder b(options);
  fill(b);
  base::Status st = b.Finish(path);
  if (!st.ok()) return nullptr;
  auto s = store::Store::Open(path);
  std::filesystem::remove(path);
  if (!s.ok()) return nullptr;
  return s.value();
}

}  // namespace plcscope::query::testing
