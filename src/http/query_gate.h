// QueryGate: admission of queries (docs/http.md "Limits"). Light queries
// (pages of cached orders, index look-ups, at-time, small waveforms,
// metadata) take one of `light_slots` tickets on the request's own thread
// and never wait behind heavy ones. Heavy queries (uncached filters and
// sorts, regex and substring scans, transitions, big waveforms, export
// orders) run on a pool of `heavy_slots` threads of their own, at a lower
// CPU priority (nice +`heavy_nice`), in FIFO order behind at most
// `heavy_queue` waiting ones. Either kind that cannot start within the
// budget gets 503 BUSY, so does a heavy one when the queue is full.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http/api_error.h"

namespace plcscope::http {

struct QueryGateOptions {
  int light_slots = 32;
  int heavy_slots = 0;   // 0: the number of cores
  int heavy_queue = 64;  // heavy queries waiting at most
  int budget_ms = 10000;
  int heavy_nice = 10;  // added to the heavy threads' nice value (Linux)
};

class QueryGate {
 public:
  explicit QueryGate(QueryGateOptions options);
  // Kept for callers of the one-pool gate: `slots` light slots, defaults for the rest.
  QueryGate(int slots, int budget_ms);
  ~QueryGate();
  QueryGate(const QueryGate&) = delete;
  QueryGate& operator=(const QueryGate&) = delete;

  class Ticket {
   public:
    explicit Ticket(QueryGate* g) : gate_(g) {}
    Ticket(Ticket&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_ != nullptr) gate_->Release();
    }
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    QueryGate* gate_;
  };
  // A light slot; an empty ticket and 503 BUSY when none frees within the budget.
  Ticket Enter(ApiError* err);

  // Runs `work` on a heavy thread and waits for it. False with 503 BUSY when
  // the queue is full, or when it could not start within the budget or
  // before `*gone` turned true (then `work` never runs); 500 when `work`
  // threw. `work` runs at most once and has finished when this returns.
  bool RunHeavy(const std::function<void()>& work, const std::atomic<bool>* gone, ApiError* err);

  int budget_ms() const { return options_.budget_ms; }
  int heavy_slots() const { return options_.heavy_slots; }
  // For tests and logs.
  int heavy_running() const { return heavy_running_.load(); }
  int heavy_waiting() const;

 private:
  struct Task;
  void Release();
  void HeavyLoop();

  const QueryGateOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;

  mutable std::mutex heavy_mu_;
  std::condition_variable heavy_cv_;
  std::deque<std::shared_ptr<Task>> queue_;
  bool stopping_ = false;
  std::atomic<int> heavy_running_{0};
  std::vector<std::thread> threads_;
};

}  // namespace plcscope::http
