// ThreadPool: a fixed set of worker threads running submitted tasks in FIFO
// order. Owns its threads; the destructor finishes queued tasks and joins.
// Submit() is thread-safe. Tasks must not throw (the project has no
// exceptions on hot paths); a task's result travels through its future.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace plcscope::base {

class ThreadPool {
 public:
  // threads <= 0: one per hardware thread.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  // Queues `fn`; the future becomes ready when it has run.
  template <typename Fn>
  auto Submit(Fn fn) -> std::future<decltype(fn())> {
    using R = decltype(fn());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
    std::future<R> result = task->get_future();
    Post([task] { (*task)(); });
    return result;
  }

  // Runs fn(i) for i in [0, n) on the pool and the calling thread; returns
  // when all have run.
  void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

  static int HardwareThreads();

 private:
  void Post(std::function<void()> job);
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace plcscope::base
