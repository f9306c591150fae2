#include "map/carriers.h"

#include <gtest/gtest.h>

#include "query/test_store.h"

namespace plcscope::map {
namespace {

using query::testing::BuildSampleStore;
using query::testing::TestSample;

// The samples the mcs parser makes of:
//   10.000 [ADD=CMD1, CAR-A] [CarrierLoc=L1]
//   12.000 [UPDATE=CMD1, CAR-A] [CarrierLoc=L2]
//   13.000 [UPDATE=CMD1, CAR-A] [CarrierLoc=L2] [Priority=5]   (no move)
//   11.000 [ADD=CMD2, CAR-B] [CurrentLocation=L1]
//   15.000 [REMOVE=CMD2, CAR-B]
//   16.000 [REMOVE=CMD1]                                       (one id: the command)
//   20.000 [ADD=CMD3, CAR-A] [CarrierLoc=L3]                   (back again)
std::vector<TestSample> Mcs() {
  return {
      {10000, "CAR-A", "_Action", "ADD"},        {10000, "CAR-A", "_CommandID", "CMD1"},
      {10000, "CAR-A", "CurrentLocation", "L1"}, {11000, "CAR-B", "_Action", "ADD"},
      {11000, "CAR-B", "_CommandID", "CMD2"},    {11000, "CAR-B", "CurrentLocation", "L1"},
      {12000, "CAR-A", "_Action", "UPDATE"},     {12000, "CAR-A", "CurrentLocation", "L2"},
      {13000, "CAR-A", "_Action", "UPDATE"},     {13000, "CAR-A", "CurrentLocation", "L2"},
      {13000, "CAR-A", "Priority", "5"},         {15000, "CAR-B", "_Action", "REMOVE"},
      {15000, "CAR-B", "_CommandID", "CMD2"},    {16000, "CMD1", "_Action", "REMOVE"},
      {20000, "CAR-A", "_Action", "ADD"},        {20000, "CAR-A", "_CommandID", "CMD3"},
      {20000, "CAR-A", "CurrentLocation", "L3"},
  };
}

std::string Where(const CarrierTracker& t, int64_t ms) {
  std::string out;
  for (const auto& p : t.At(ms * 1'000'000)) {
    out += std::string(t.carriers()[p.carrier]) + "@" + std::string(t.location_text(p.location)) +
           "(" + std::to_string(p.since_ns / 1'000'000) + ") ";
  }
  return out;
}

TEST(CarriersTest, PositionAtTimeFollowsLocationsAndRemovals) {
  auto store = BuildSampleStore(Mcs());
  ASSERT_NE(store, nullptr);
  auto tracker = CarrierTracker::Build(store);
  ASSERT_EQ(tracker->carriers(), (std::vector<std::string_view>{"CAR-A", "CAR-B"}));
  EXPECT_EQ(Where(*tracker, 9999), "");
  EXPECT_EQ(Where(*tracker, 10000), "CAR-A@L1(10000) ");
  EXPECT_EQ(Where(*tracker, 11500), "CAR-A@L1(10000) CAR-B@L1(11000) ");
  EXPECT_EQ(Where(*tracker, 12000), "CAR-A@L2(12000) CAR-B@L1(11000) ");
  // The repeated L2 at 13 s is no move: still "since 12 s".
  EXPECT_EQ(Where(*tracker, 14000), "CAR-A@L2(12000) CAR-B@L1(11000) ");
  EXPECT_EQ(Where(*tracker, 15000), "CAR-A@L2(12000) ");
  // REMOVE=CMD1 (one id) removes the carrier that was on CMD1.
  EXPECT_EQ(Where(*tracker, 16000), "");
  EXPECT_EQ(Where(*tracker, 20000), "CAR-A@L3(20000) ");
}

TEST(CarriersTest, ChangesInARangeAreOrderedAndBounded) {
  auto store = BuildSampleStore(Mcs());
  ASSERT_NE(store, nullptr);
  auto tracker = CarrierTracker::Build(store);
  bool truncated = true;
  auto changes = tracker->Changes(10'000'000'000, 16'000'000'000, 100, &truncated);
  EXPECT_FALSE(truncated);
  std::string got;
  for (const auto& e : changes) {
    got += std::to_string(e.t_ns / 1'000'000) + ":" + std::string(tracker->carriers()[e.carrier]) +
           ">" +
           (e.location == CarrierTracker::kGone ? "gone"
                                                : std::string(tracker->location_text(e.location))) +
           " ";
  }
  // Start is exclusive: the 10 s arrival is the state at start, not a change.
  EXPECT_EQ(got, "11000:CAR-B>L1 12000:CAR-A>L2 15000:CAR-B>gone 16000:CAR-A>gone ");
  auto capped = tracker->Changes(0, INT64_MAX, 2, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(capped.size(), 2u);
  EXPECT_EQ(tracker->events().size(), 6u);
}

TEST(CarriersTest, ALocationInTheRemovingLineDoesNotBringTheCarrierBack) {
  // 1.000 [ADD=C1, CAR] [CarrierLoc=A]
  // 2.000 [REMOVE=C1, CAR] [CarrierLoc=B]
  // 3.000 [ADD=C2, CAR] [CarrierLoc=C]
  auto store = BuildSampleStore({{1000, "CAR", "_Action", "ADD"},
                                 {1000, "CAR", "_CommandID", "C1"},
                                 {1000, "CAR", "CurrentLocation", "A"},
                                 {2000, "CAR", "_Action", "REMOVE"},
                                 {2000, "CAR", "_CommandID", "C1"},
                                 {2000, "CAR", "CurrentLocation", "B"},
                                 {3000, "CAR", "_Action", "ADD"},
                                 {3000, "CAR", "_CommandID", "C2"},
                                 {3000, "CAR", "CurrentLocation", "C"}});
  ASSERT_NE(store, nullptr);
  auto tracker = CarrierTracker::Build(store);
  EXPECT_EQ(Where(*tracker, 1500), "CAR@A(1000) ");
  EXPECT_EQ(Where(*tracker, 2500), "");
  EXPECT_EQ(Where(*tracker, 3000), "CAR@C(3000) ");
  EXPECT_EQ(tracker->events().size(), 3u);
}

TEST(CarriersTest, SessionWithoutCarriersIsEmpty) {
  auto store = BuildSampleStore({{1, "DEV", "I_RUN", "ON"}});
  ASSERT_NE(store, nullptr);
  auto tracker = CarrierTracker::Build(store);
  EXPECT_TRUE(tracker->carriers().empty());
  EXPECT_TRUE(tracker->At(INT64_MAX).empty());
}

}  // namespace
}  // namespace plcscope::map
