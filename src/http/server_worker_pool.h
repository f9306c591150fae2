// The transport's worker threads (internal to server.cc): a bounded pool
// whose TrySubmit refuses a job when every worker is busy and the queue is
// full (the transport then answers 503 BUSY). Thread-safe; Start and Stop are
// called once each, by the thread that runs the server.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace plcscope::http {

class WorkerPool {
 public:
  void Start(int threads, size_t max_queued);
  bool TrySubmit(std::function<void()> job);
  // Runs the queued jobs, then joins the workers.
  void Stop();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t max_queued_ = 0;
  int idle_ = 0;
  bool stop_ = false;
};

}  // namespace plcscope::http
