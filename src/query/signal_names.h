// SignalNames: resolves the names a client sends for signals — a key
// "dev::sig" or a bare signal name meaning that signal on every device — to
// store signal indices. Built once per Session from the store's dictionaries;
// immutable and thread-safe afterwards. Borrows the store.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace plcscope::query {

class SignalNames {
 public:
  explicit SignalNames(const store::Store& store);

  // Signals of one name: the key's signal, else every signal with that bare
  // name (ascending), else none.
  void Resolve(std::string_view name, std::vector<uint32_t>* out) const;
  // All names, in order of first appearance, without duplicates.
  std::vector<uint32_t> ResolveAll(std::span<const std::string> names) const;

 private:
  const store::Store& store_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_name_;
};

}  // namespace plcscope::query
