#include "query/order_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "query/deadline.h"

namespace plcscope::query {
namespace {

RowList Rows(size_t n) {
  RowList l;
  l.rows = std::make_shared<const std::vector<RowId>>(n, 7);
  return l;
}

TEST(OrderCacheTest, EvictsLeastRecentlyUsedByCountAndBytes) {
  OrderCache cache(2, 100 * sizeof(RowId));
  auto put = [&](const std::string& k, size_t n) {
    ASSERT_TRUE(cache.GetOrCompute(k, [&]() -> base::Result<RowList> { return Rows(n); }).ok());
  };
  put("a", 10);
  put("b", 10);
  ASSERT_TRUE(cache.Get("a"));  // a is now the most recent
  put("c", 10);
  EXPECT_TRUE(cache.Get("a"));
  EXPECT_FALSE(cache.Get("b"));
  put("d", 95);  // over the byte budget together with either of the others
  EXPECT_TRUE(cache.Get("d"));
  EXPECT_FALSE(cache.Get("a"));
  EXPECT_FALSE(cache.Get("c"));
  put("huge", 1000);  // larger than the whole budget: not kept
  EXPECT_FALSE(cache.Get("huge"));
  EXPECT_TRUE(cache.Get("d"));
}

TEST(OrderCacheTest, ConcurrentSameKeyComputesOnceAndSharesErrors) {
  OrderCache cache(4, 1 << 20);
  std::atomic<int> computed{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto r = cache.GetOrCompute("k", [&]() -> base::Result<RowList> {
        ++computed;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return Rows(3);
      });
      if (!r.ok() || r->size() != 3) ++wrong;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(computed.load(), 1);
  EXPECT_EQ(wrong.load(), 0);

  auto bad = cache.GetOrCompute(
      "bad", []() -> base::Result<RowList> { return base::InvalidArgument("no"); });
  EXPECT_EQ(bad.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_FALSE(cache.Get("bad"));  // errors are not cached
}

TEST(OrderCacheTest, AWaiterOfAStoppedLeaderComputesItself) {
  OrderCache cache(4, 1 << 20);
  std::atomic<bool> leader_in{false};
  std::atomic<int> computed{0};
  base::Result<RowList> stopped = base::InvalidArgument("unset");
  std::thread leader([&] {
    stopped = cache.GetOrCompute("k", [&]() -> base::Result<RowList> {
      ++computed;
      leader_in = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return Deadline::At(0, 7).Check();  // its own deadline passed
    });
  });
  while (!leader_in) std::this_thread::yield();
  auto r = cache.GetOrCompute("k", [&]() -> base::Result<RowList> {
    ++computed;
    return Rows(5);
  });
  leader.join();
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(IsStopped(stopped.status()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 5u);
  EXPECT_EQ(computed.load(), 2);
  EXPECT_TRUE(cache.Contains("k"));
}

}  // namespace
}  // namespace plcscope::query
