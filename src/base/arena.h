// Arena: owns copies of strings in large blocks; the views it returns stay
// valid (and never move) until Clear() or destruction. Not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace plcscope::base {

class Arena {
 public:
  std::string_view Copy(std::string_view s);
  // Drops every copy but keeps one block for reuse.
  void Clear();

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
  size_t block_size_ = 0;
};

}  // namespace plcscope::base
