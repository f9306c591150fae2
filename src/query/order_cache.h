// OrderCache: a small LRU of recent filter+sort results (canonical request
// key -> RowList), bounded by entry count and total bytes of row vectors, so
// that deeper pages of a query do not re-run its filter and sort. Identical
// requests that arrive while one is being computed wait for that one
// (single flight) instead of computing it again; when that computation
// stops at its own deadline or because its client left (IsStopped in
// query/deadline.h), a waiter computes the list itself — nothing half-built or
// failed is ever cached. Thread-safe: one short
// mutex around the map; results are computed outside of it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "query/row_order.h"

namespace plcscope::query {

class OrderCache {
 public:
  OrderCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The cached list for `key`, if any.
  std::optional<RowList> Get(const std::string& key);
  // The cached list for `key`, or the result of `compute` (cached when ok).
  // Concurrent calls with the same key run `compute` once.
  base::Result<RowList> GetOrCompute(const std::string& key,
                                     const std::function<base::Result<RowList>()>& compute);
  // True when `key` is cached (no computation needed).
  bool Contains(const std::string& key) const;

 private:
  struct Entry {
    std::string key;
    RowList list;
  };
  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    base::Status status;
    RowList list;
  };
  static size_t Bytes(const RowList& l) { return l.rows ? l.rows->size() * sizeof(RowId) : 0; }
  void PutLocked(const std::string& key, const RowList& list);
  base::Result<RowList> GetOrComputeOnce(const std::string& key,
                                         const std::function<base::Result<RowList>()>& compute,
                                         bool* retry);

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  size_t bytes_ = 0;
};

}  // namespace plcscope::query
