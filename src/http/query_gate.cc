#include "http/query_gate.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "base/log.h"

namespace plcscope::http {

namespace {

ApiError Busy(const std::string& why) {
  return {503, "BUSY", "The server is busy: " + why + "; try again."};
}

}  // namespace

struct QueryGate::Task {
  enum class State { kQueued, kRunning, kDone, kAbandoned };
  const std::function<void()>* work = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  State state = State::kQueued;
  bool threw = false;
};

QueryGate::QueryGate(QueryGateOptions options)
    : options_([&] {
        QueryGateOptions o = options;
        if (o.heavy_slots <= 0) o.heavy_slots = std::max(1u, std::thread::hardware_concurrency());
        o.light_slots = std::max(1, o.light_slots);
        o.heavy_queue = std::max(0, o.heavy_queue);
        return o;
      }()),
      free_(options_.light_slots) {
  for (int i = 0; i < options_.heavy_slots; ++i) threads_.emplace_back([this] { HeavyLoop(); });
}

QueryGate::QueryGate(int slots, int budget_ms)
    : QueryGate(QueryGateOptions{.light_slots = slots, .budget_ms = budget_ms}) {}

QueryGate::~QueryGate() {
  {
    std::lock_guard<std::mutex> lock(heavy_mu_);
    stopping_ = true;
  }
  heavy_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

QueryGate::Ticket QueryGate::Enter(ApiError* err) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, std::chrono::milliseconds(options_.budget_ms),
                    [&] { return free_ > 0; })) {
    *err = Busy("this query could not start within its budget of " +
                std::to_string(options_.budget_ms) + " ms");
    return Ticket(nullptr);
  }
  --free_;
  return Ticket(this);
}

void QueryGate::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++free_;
  }
  cv_.notify_one();
}

int QueryGate::heavy_waiting() const {
  std::lock_guard<std::mutex> lock(heavy_mu_);
  return static_cast<int>(queue_.size());
}

bool QueryGate::RunHeavy(const std::function<void()>& work, const std::atomic<bool>* gone,
                         ApiError* err) {
  auto task = std::make_shared<Task>();
  task->work = &work;
  {
    std::lock_guard<std::mutex> lock(heavy_mu_);
    if (stopping_ || static_cast<int>(queue_.size()) >= options_.heavy_queue) {
      *err = Busy(std::to_string(options_.heavy_slots) + " heavy queries run and " +
                  std::to_string(queue_.size()) + " wait (the limit)");
      return false;
    }
    queue_.push_back(task);
  }
  heavy_cv_.notify_one();
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.budget_ms);
  std::unique_lock<std::mutex> lock(task->mu);
  for (;;) {
    // Short steps, to notice a client that left while it waited.
    task->cv.wait_for(lock, std::chrono::milliseconds(50),
                      [&] { return task->state == Task::State::kDone; });
    if (task->state == Task::State::kDone) break;
    if (task->state != Task::State::kQueued) continue;  // running: wait for its end
    const bool left = gone != nullptr && gone->load(std::memory_order_relaxed);
    if (!left && std::chrono::steady_clock::now() < give_up) continue;
    task->state = Task::State::kAbandoned;
    lock.unlock();
    {
      std::lock_guard<std::mutex> q(heavy_mu_);
      auto it = std::find(queue_.begin(), queue_.end(), task);
      if (it != queue_.end()) queue_.erase(it);
    }
    *err = left ? ApiError{503, "CANCELLED", "The client went away before the query started."}
                : Busy("this heavy query could not start within its budget of " +
                       std::to_string(options_.budget_ms) + " ms");
    return false;
  }
  if (task->threw) {
    *err = {500, "INTERNAL", "The query failed unexpectedly."};
    return false;
  }
  return true;
}

void QueryGate::HeavyLoop() {
#ifdef __linux__
  // Heavy work yields the CPU to the request threads. Only these threads
  // are lowered, and for good: an unprivileged thread could not raise its
  // priority back afterwards.
  const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  const int now = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  setpriority(PRIO_PROCESS, static_cast<id_t>(tid), std::min(19, now + options_.heavy_nice));
#endif
  for (;;) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock<std::mutex> lock(heavy_mu_);
      heavy_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    {
      std::lock_guard<std::mutex> lock(task->mu);
      if (task->state != Task::State::kQueued) continue;  // abandoned
      task->state = Task::State::kRunning;
    }
    heavy_running_.fetch_add(1);
    bool threw = false;
    try {
      (*task->work)();
    } catch (const std::exception& e) {
      base::Log(base::LogLevel::kError, "queries", std::string("heavy query failed: ") + e.what());
      threw = true;
    } catch (...) {
      threw = true;
    }
    heavy_running_.fetch_sub(1);
    {
      std::lock_guard<std::mutex> lock(task->mu);
      task->threw = threw;
      task->state = Task::State::kDone;
    }
    task->cv.notify_all();
  }
}

}  // namespace plcscope::http
