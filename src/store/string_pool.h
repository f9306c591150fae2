// StringPool: interns strings to dense 32-bit ids (0 is always ""). Owns the
// bytes in an arena; views returned stay valid for the pool's lifetime.
// Not thread-safe: one writer, or external locking.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/arena.h"

namespace plcscope::store {

class StringPool {
 public:
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  uint32_t Intern(std::string_view s);
  // Id of s, or -1 when not interned.
  int64_t Find(std::string_view s) const;
  std::string_view Get(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(strings_.size()); }
  uint64_t total_bytes() const { return total_bytes_; }

 private:
  base::Arena arena_;
  uint64_t total_bytes_ = 0;
  std::vector<std::string_view> strings_;
  std::unordered_map<std::string_view, uint32_t> index_;
};

}  // namespace plcscope::store
