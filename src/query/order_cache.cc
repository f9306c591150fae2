#include "query/order_cache.h"

namespace plcscope::query {

OrderCache::Rows OrderCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->rows;
}

void OrderCache::Put(const std::string& key, Rows rows) {
  const size_t bytes = rows->size() * sizeof(RowId);
  if (max_entries_ == 0 || bytes > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= it->second->rows->size() * sizeof(RowId);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front({key, std::move(rows)});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  while (lru_.size() > max_entries_ || bytes_ > max_bytes_) {
    const Entry& last = lru_.back();
    bytes_ -= last.rows->size() * sizeof(RowId);
    index_.erase(last.key);
    lru_.pop_back();
  }
}

}  // namespace plcscope::query
