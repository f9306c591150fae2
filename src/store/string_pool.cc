#include "store/string_pool.h"

#include <cstring>

namespace plcscope::store {

StringPool::StringPool() {
  strings_.emplace_back();
  index_.emplace(std::string_view(), 0);
}

std::string_view StringPool::Copy(std::string_view s) {
  if (s.empty()) return {};
  if (block_used_ + s.size() > block_size_) {
    block_size_ = std::max<size_t>(64 << 10, s.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* dst = blocks_.back().get() + block_used_;
  std::memcpy(dst, s.data(), s.size());
  block_used_ += s.size();
  return {dst, s.size()};
}

uint32_t StringPool::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  std::string_view stored = Copy(s);
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
