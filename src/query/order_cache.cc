#include "query/order_cache.h"

#include "query/deadline.h"

namespace plcscope::query {

std::optional<RowList> OrderCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->list;
}

base::Result<RowList> OrderCache::GetOrCompute(
    const std::string& key, const std::function<base::Result<RowList>()>& compute) {
  for (;;) {
    bool retry = false;
    base::Result<RowList> r = GetOrComputeOnce(key, compute, &retry);
    if (!retry) return r;
  }
}

bool OrderCache::Contains(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  return index_.count(key) > 0;
}

base::Result<RowList> OrderCache::GetOrComputeOnce(
    const std::string& key, const std::function<base::Result<RowList>()>& compute, bool* retry) {
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->list;
    }
    auto [f, inserted] = flights_.try_emplace(key);
    if (inserted) f->second = std::make_shared<Flight>();
    flight = f->second;
    leader = inserted;
  }
  if (!leader) {
    std::unique_lock<std::mutex> lock(flight->mu);
    flight->cv.wait(lock, [&] { return flight->done; });
    if (IsStopped(flight->status)) {
      // The leader's own budget ran out, not ours: compute it ourselves.
      *retry = true;
      return flight->status;
    }
    if (!flight->status.ok()) return flight->status;
    return flight->list;
  }
  base::Result<RowList> result = compute();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (result.ok()) PutLocked(key, *result);
    flights_.erase(key);
  }
  {
    std::lock_guard<std::mutex> lock(flight->mu);
    flight->done = true;
    if (result.ok()) {
      flight->list = *result;
    } else {
      flight->status = result.status();
    }
  }
  flight->cv.notify_all();
  return result;
}

void OrderCache::PutLocked(const std::string& key, const RowList& list) {
  const size_t bytes = Bytes(list);
  if (max_entries_ == 0 || bytes > max_bytes_) return;
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= Bytes(it->second->list);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front({key, list});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  while (lru_.size() > max_entries_ || bytes_ > max_bytes_) {
    const Entry& last = lru_.back();
    bytes_ -= Bytes(last.list);
    index_.erase(last.key);
    lru_.pop_back();
  }
}

}  // namespace plcscope::query
