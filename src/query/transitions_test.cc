#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "query/query.h"
#include "query/test_store.h"

namespace plcscope::query {
namespace {

using base::DeclaredType;

constexpr int64_t kMs = 1'000'000;

// Two conveyors; MOVE_IN / MOVE_OUT flags, a SPEED integer and a CARRIER id.
std::shared_ptr<const store::Store> LineStore() {
  return testing::BuildStore([](store::SessionBuilder& b) {
    auto v = [&](const char* t) { return b.Value(t, DeclaredType::kInfer); };
    for (const char* dev : {"C1", "C2"}) {
      const uint32_t d = b.Device(dev, dev);
      const uint32_t in = b.Stream(b.Signal(d, "MOVE_IN"), "", 0);
      const uint32_t out = b.Stream(b.Signal(d, "MOVE_OUT"), "", 0);
      const uint32_t speed = b.Stream(b.Signal(d, "SPEED"), "", 0);
      const uint32_t carrier = b.Stream(b.Signal(d, "CARRIER"), "", 0);
      const int64_t off = dev[1] == '1' ? 0 : 50 * kMs;
      // Three cycles of 1000 ms; MOVE_OUT 300 ms after MOVE_IN (400 in the last).
      for (int c = 0; c < 3; ++c) {
        const int64_t t = off + c * 1000 * kMs;
        b.AddRow(t, in, v("ON"));
        b.AddRow(t + 100 * kMs, in, v("ON"));  // still on: not a new match
        b.AddRow(t + 200 * kMs, in, v("OFF"));
        b.AddRow(t + (c == 2 ? 400 : 300) * kMs, out, v("ON"));
        b.AddRow(t + 500 * kMs, out, v("OFF"));
        b.AddRow(t + 10 * kMs, speed, v(c == 1 ? "150" : "90"));
        b.AddRow(t + 20 * kMs, carrier, b.Value("", DeclaredType::kString));
        b.AddRow(t + 70 * kMs, carrier, v("CAR-1"));
      }
    }
  });
}

TEST(TransitionsTest, AToBWithTargetAndStats) {
  auto store = LineStore();
  ASSERT_NE(store, nullptr);
  Session s(store);
  TransitionRule r;
  r.name = "in-out";
  r.type = RuleType::kAToB;
  r.start = {"C1::MOVE_IN", ConditionOp::kEquals, "true"};
  r.end = {"C1::MOVE_OUT", ConditionOp::kEquals, "ON"};
  r.target_ms = 300;
  r.tolerance_ms = 50;
  auto res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->size(), 1u);
  const TransitionResult& t = (*res)[0];
  EXPECT_EQ(t.name, "in-out");
  ASSERT_EQ(t.intervals.size(), 3u);
  EXPECT_EQ(t.intervals[0].start_ns, 0);
  EXPECT_DOUBLE_EQ(t.intervals[0].duration_ms, 300);
  EXPECT_EQ(t.intervals[0].status, IntervalStatus::kOk);
  EXPECT_EQ(t.intervals[2].status, IntervalStatus::kAbove);
  EXPECT_EQ(t.stats.count, 3u);
  EXPECT_DOUBLE_EQ(t.stats.min_ms, 300);
  EXPECT_DOUBLE_EQ(t.stats.max_ms, 400);
  EXPECT_NEAR(t.stats.mean_ms, 1000.0 / 3, 1e-9);
  EXPECT_NEAR(t.stats.stddev_ms,
              std::sqrt((2 * std::pow(100.0 / 3, 2) + std::pow(200.0 / 3, 2)) / 3), 1e-9);
  EXPECT_EQ(t.stats.within, 2u);
  EXPECT_EQ(t.stats.above, 1u);
  EXPECT_EQ(t.stats.below, 0u);
}

std::string DeviceOf(const store::Store& store, const TransitionInterval& iv) {
  return std::string(store.str(store.devices()[iv.device].name));
}

TEST(TransitionsTest, CycleOnBareNameIsOneSeriesPerDevice) {
  auto store = LineStore();
  ASSERT_NE(store, nullptr);
  Session s(store);
  TransitionRule r;
  r.type = RuleType::kCycle;
  r.start = {"MOVE_IN", ConditionOp::kEquals, "1"};
  auto res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok());
  // C1 matches at 0, 1000, 2000 ms and C2 at 50, 1050, 2050: two cycles of
  // 1000 ms each, merged in time order (not five of 50 / 950 ms across devices).
  const auto& iv = (*res)[0].intervals;
  ASSERT_EQ(iv.size(), 4u);
  const char* devices[] = {"C1", "C2", "C1", "C2"};
  for (size_t i = 0; i < iv.size(); ++i) {
    EXPECT_DOUBLE_EQ(iv[i].duration_ms, 1000) << i;
    EXPECT_EQ(DeviceOf(*store, iv[i]), devices[i]) << i;
  }
  EXPECT_EQ(iv[1].status, IntervalStatus::kNoTarget);
  EXPECT_DOUBLE_EQ((*res)[0].stats.min_ms, 1000);
  r.start = {"C2::SPEED", ConditionOp::kGreater, "100"};
  res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE((*res)[0].intervals.empty());  // one match only
  r.start = {"C2::SPEED", ConditionOp::kLess, "100"};
  res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_EQ((*res)[0].intervals.size(), 1u);  // matches at cycle 0 and 2
  EXPECT_DOUBLE_EQ((*res)[0].intervals[0].duration_ms, 2000);
}

TEST(TransitionsTest, AToBOnBareNamesPairsEachDeviceWithItself) {
  auto store = LineStore();
  ASSERT_NE(store, nullptr);
  Session s(store);
  TransitionRule r;
  r.type = RuleType::kAToB;
  r.start = {"MOVE_IN", ConditionOp::kEquals, "ON"};
  r.end = {"MOVE_OUT", ConditionOp::kEquals, "ON"};
  auto res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok());
  // Each device: 300, 300, 400 ms; C2's start 50 ms after C1's is not lost
  // inside C1's open interval.
  const auto& iv = (*res)[0].intervals;
  ASSERT_EQ(iv.size(), 6u);
  const double want[] = {300, 300, 300, 300, 400, 400};
  for (size_t i = 0; i < iv.size(); ++i) {
    EXPECT_DOUBLE_EQ(iv[i].duration_ms, want[i]) << i;
    EXPECT_EQ(DeviceOf(*store, iv[i]), i % 2 == 0 ? "C1" : "C2") << i;
  }
  // A start on one device and an end on another stays a handshake between them.
  r.start = {"C1::MOVE_IN", ConditionOp::kEquals, "ON"};
  r.end = {"C2::MOVE_OUT", ConditionOp::kEquals, "ON"};
  res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok());
  ASSERT_EQ((*res)[0].intervals.size(), 3u);
  EXPECT_DOUBLE_EQ((*res)[0].intervals[0].duration_ms, 350);
  EXPECT_EQ(DeviceOf(*store, (*res)[0].intervals[0]), "C1");
}

TEST(TransitionsTest, ValuePopulated) {
  auto store = LineStore();
  ASSERT_NE(store, nullptr);
  Session s(store);
  TransitionRule r;
  r.type = RuleType::kValuePopulated;
  r.start = {"C1::CARRIER", ConditionOp::kNotEmpty, ""};
  r.target_ms = 10;
  auto res = s.Transitions(std::vector<TransitionRule>{r});
  ASSERT_TRUE(res.ok());
  const auto& iv = (*res)[0].intervals;
  ASSERT_EQ(iv.size(), 3u);
  EXPECT_DOUBLE_EQ(iv[0].duration_ms, 50);
  EXPECT_EQ(iv[0].start_ns, 20 * kMs);
  EXPECT_EQ(iv[0].status, IntervalStatus::kAbove);
  EXPECT_EQ((*res)[0].stats.above, 3u);
}

TEST(TransitionsTest, BadRulesAreInvalidArguments) {
  auto store = LineStore();
  ASSERT_NE(store, nullptr);
  Session s(store);
  TransitionRule r;
  r.type = RuleType::kCycle;
  r.start = {"NOPE", ConditionOp::kEquals, "1"};
  EXPECT_EQ(s.Transitions(std::vector<TransitionRule>{r}).status().code(),
            base::StatusCode::kInvalidArgument);
  r.start = {"SPEED", ConditionOp::kGreater, "fast"};
  EXPECT_EQ(s.Transitions(std::vector<TransitionRule>{r}).status().code(),
            base::StatusCode::kInvalidArgument);
  RuleType type;
  EXPECT_TRUE(ParseRuleType("A_to_B", &type));
  EXPECT_EQ(type, RuleType::kAToB);
  ConditionOp op;
  EXPECT_TRUE(ParseConditionOp("not-empty", &op));
  EXPECT_EQ(op, ConditionOp::kNotEmpty);
  EXPECT_FALSE(ParseConditionOp("maybe", &op));
}

}  // namespace
}  // namespace plcscope::query
