#include "store/string_pool.h"

namespace plcscope::store {

StringPool::StringPool() {
  strings_.emplace_back();
  index_.emplace(std::string_view(), 0);
}

uint32_t StringPool::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  std::string_view stored = arena_.Copy(s);
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.push_back(stored);
  index_.emplace(stored, id);
  total_bytes_ += s.size();
  return id;
}

int64_t StringPool::Find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace plcscope::store
