#include "base/arena.h"

#include <algorithm>
#include <cstring>

namespace plcscope::base {

std::string_view Arena::Copy(std::string_view s) {
  if (s.empty()) return {};
  if (blocks_.empty() || used_ + s.size() > block_size_) {
    block_size_ = std::max<size_t>(64 << 10, s.size());
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size_));
    used_ = 0;
  }
  char* dst = blocks_.back().get() + used_;
  std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return {dst, s.size()};
}

void Arena::Clear() {
  if (blocks_.size() > 1) blocks_.erase(blocks_.begin(), blocks_.end() - 1);
  used_ = 0;
}

}  // namespace plcscope::base
