#include "http/server_worker_pool.h"

#include <utility>

namespace plcscope::http {

void WorkerPool::Start(int threads, size_t max_queued) {
  max_queued_ = max_queued;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

bool WorkerPool::TrySubmit(std::function<void()> job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_ || queue_.size() >= max_queued_ + static_cast<size_t>(idle_)) return false;
  queue_.push_back(std::move(job));
  cv_.notify_one();
  return true;
}

void WorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ++idle_;
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();  // jobs catch everything themselves
    job = nullptr;
    lock.lock();
  }
}

}  // namespace plcscope::http
