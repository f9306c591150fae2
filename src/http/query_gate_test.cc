// QueryGate: light queries are never blocked by heavy ones, heavy ones run
// at most heavy_slots at once, a full queue and an expired wait give 503
// BUSY, and an abandoned heavy query never runs.
#include "http/query_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace plcscope::http {
namespace {

// A latch the test opens to let blocked heavy work finish.
class Latch {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> l(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

void WaitFor(const std::function<bool()>& cond) {
  for (int i = 0; i < 2000 && !cond(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(QueryGate, LightIsNotBlockedByHeavyAndHeavyIsBounded) {
  QueryGate gate(
      QueryGateOptions{.light_slots = 4, .heavy_slots = 2, .heavy_queue = 16, .budget_ms = 30000});
  Latch release;
  std::atomic<int> running{0}, max_running{0}, done{0};
  std::vector<std::thread> heavy;
  for (int i = 0; i < 8; ++i) {
    heavy.emplace_back([&] {
      ApiError err;
      std::function<void()> work = [&] {
        const int now = ++running;
        int m = max_running.load();
        while (now > m && !max_running.compare_exchange_weak(m, now)) {
        }
        release.Wait();
        --running;
      };
      EXPECT_TRUE(gate.RunHeavy(work, nullptr, &err)) << err.message;
      ++done;
    });
  }
  WaitFor([&] { return gate.heavy_running() == 2 && gate.heavy_waiting() == 6; });
  EXPECT_EQ(gate.heavy_running(), 2);
  EXPECT_EQ(gate.heavy_waiting(), 6);
  // While every heavy thread is busy and six wait, light tickets are free.
  for (int i = 0; i < 20; ++i) {
    ApiError err;
    const auto t0 = std::chrono::steady_clock::now();
    QueryGate::Ticket t = gate.Enter(&err);
    EXPECT_TRUE(t);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  }
  EXPECT_EQ(done.load(), 0);
  release.Open();
  for (auto& t : heavy) t.join();
  EXPECT_EQ(done.load(), 8);
  EXPECT_EQ(max_running.load(), 2);
}

TEST(QueryGate, FullQueueIsBusyAtOnce) {
  QueryGate gate(
      QueryGateOptions{.light_slots = 1, .heavy_slots = 1, .heavy_queue = 1, .budget_ms = 30000});
  Latch release;
  std::function<void()> block = [&] { release.Wait(); };
  std::thread a([&] {
    ApiError err;
    EXPECT_TRUE(gate.RunHeavy(block, nullptr, &err));
  });
  WaitFor([&] { return gate.heavy_running() == 1; });
  std::thread b([&] {
    ApiError err;
    EXPECT_TRUE(gate.RunHeavy(block, nullptr, &err));
  });
  WaitFor([&] { return gate.heavy_waiting() == 1; });
  ApiError err;
  bool ran = false;
  std::function<void()> mark = [&] { ran = true; };
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(gate.RunHeavy(mark, nullptr, &err));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_EQ(err.status, 503);
  EXPECT_EQ(err.code, "BUSY");
  EXPECT_FALSE(ran);
  release.Open();
  a.join();
  b.join();
}

TEST(QueryGate, WaitPastBudgetOrClientGoneIsBusyAndNeverRuns) {
  QueryGate gate(
      QueryGateOptions{.light_slots = 1, .heavy_slots = 1, .heavy_queue = 8, .budget_ms = 200});
  Latch release;
  std::function<void()> block = [&] { release.Wait(); };
  std::thread a([&] {
    ApiError err;
    EXPECT_TRUE(gate.RunHeavy(block, nullptr, &err));
  });
  WaitFor([&] { return gate.heavy_running() == 1; });
  std::atomic<bool> ran{false};
  std::function<void()> mark = [&] { ran = true; };
  ApiError err;
  EXPECT_FALSE(gate.RunHeavy(mark, nullptr, &err));
  EXPECT_EQ(err.code, "BUSY");
  EXPECT_NE(err.message.find("200 ms"), std::string::npos) << err.message;
  std::atomic<bool> gone{true};
  ApiError err2;
  EXPECT_FALSE(gate.RunHeavy(mark, &gone, &err2));
  EXPECT_EQ(err2.status, 503);
  EXPECT_EQ(gate.heavy_waiting(), 0);  // abandoned work leaves the queue
  release.Open();
  a.join();
  // The slot is free again; the abandoned work never ran.
  ApiError err3;
  std::atomic<bool> ok_ran{false};
  std::function<void()> ok = [&] { ok_ran = true; };
  EXPECT_TRUE(gate.RunHeavy(ok, nullptr, &err3));
  EXPECT_TRUE(ok_ran);
  EXPECT_FALSE(ran);
}

TEST(QueryGate, LightSlotsAreBoundedWithBudget) {
  QueryGate gate(QueryGateOptions{.light_slots = 1, .heavy_slots = 1, .budget_ms = 50});
  ApiError err;
  QueryGate::Ticket t = gate.Enter(&err);
  ASSERT_TRUE(t);
  QueryGate::Ticket t2 = gate.Enter(&err);
  EXPECT_FALSE(t2);
  EXPECT_EQ(err.code, "BUSY");
}

TEST(QueryGate, HeavyWorkThatThrowsIsAnInternalError) {
  QueryGate gate(QueryGateOptions{.heavy_slots = 1});
  ApiError err;
  std::function<void()> boom = [] { throw std::runtime_error("boom"); };
  EXPECT_FALSE(gate.RunHeavy(boom, nullptr, &err));
  EXPECT_EQ(err.status, 500);
  std::function<void()> fine = [] {};
  EXPECT_TRUE(gate.RunHeavy(fine, nullptr, &err));
}

}  // namespace
}  // namespace plcscope::http
