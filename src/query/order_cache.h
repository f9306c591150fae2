// OrderCache: a small LRU of recent filter+sort results (canonical request
// key -> shared row vector), bounded by entry count and total bytes, so that
// deeper pages of a query do not re-run its filter and sort. Thread-safe:
// one short mutex around the map; results are computed outside of it.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/query.h"

namespace plcscope::query {

class OrderCache {
 public:
  using Rows = std::shared_ptr<const std::vector<RowId>>;
  OrderCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  Rows Get(const std::string& key);
  void Put(const std::string& key, Rows rows);

 private:
  struct Entry {
    std::string key;
    Rows rows;
  };
  const size_t max_entries_;
  const size_t max_bytes_;
  std::mutex mu_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace plcscope::query
