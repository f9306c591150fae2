#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "gen/line_shapes_test.h"
#include "gen/log_generator.h"

namespace plcscope::gen {
namespace {

using testing::Lines;

std::string Demo(OutputFormat format, GeneratorStats* stats, uint64_t seed = 7) {
  GeneratorOptions o;
  o.profile = Profile::kDemo;
  o.format = format;
  o.seed = seed;
  std::string out;
  auto r = GenerateToString(o, &out);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (r.ok()) *stats = *r;
  return out;
}

TEST(DemoProfile, SmallConveyorLineWithItsStory) {
  GeneratorStats stats;
  std::string text = Demo(OutputFormat::kPlcDebug, &stats);
  EXPECT_LT(text.size(), 1u << 20);
  EXPECT_EQ(stats.devices, 10u);
  EXPECT_GE(stats.signal_keys, 55u);
  EXPECT_LE(stats.signal_keys, 75u);
  // Ten minutes.
  EXPECT_GT(stats.last_us - stats.first_us, 590'000'000);
  EXPECT_LE(stats.last_us - stats.first_us, 600'000'000);
  std::map<std::string, std::vector<std::string>> values;  // device::signal
  std::vector<std::string_view> lines = Lines(text);
  EXPECT_GT(lines.size(), 2000u);
  EXPECT_LT(lines.size(), 8000u);
  std::string prev_ts;
  for (std::string_view line : lines) {
    testing::DebugLine d;
    ASSERT_EQ(testing::CheckPlcDebug(line, &d), "") << line;
    ASSERT_GE(std::string(d.ts), prev_ts);
    prev_ts = std::string(d.ts);
    values[std::string(testing::DeviceFromPath(d.path)) + "::" + std::string(d.signal)]
        .emplace_back(d.value);
  }
  EXPECT_EQ(values.size(), stats.signal_keys);
  // Belts start and stop many times.
  const auto& motor = values["B1ACNV13301-101::O_MOTOR_RUN"];
  EXPECT_GT(std::count(motor.begin(), motor.end(), "ON"), 5);
  // Trays pass every belt and reach the port.
  const auto& port = values["B1ACNV13301-301::CARRIER_ID"];
  EXPECT_GT(std::count_if(port.begin(), port.end(),
                          [](const std::string& v) { return v.rfind("TRAY", 0) == 0; }),
            20);
  // One error episode on belt 104.
  const auto& error = values["B1ACNV13301-104::I_ERROR"];
  EXPECT_EQ(std::count(error.begin(), error.end(), "ON"), 1);
  const auto& state = values["B1ACNV13301-104::STATE"];
  EXPECT_EQ(std::count(state.begin(), state.end(), "ERROR"), 1);
  // Exactly one change, one one-sample pulse.
  EXPECT_EQ(values["LC-01::O_RECIPE_CHANGED"], (std::vector<std::string>{"OFF", "ON"}));
  EXPECT_EQ(values["LC-01::I_EMERGENCY_STOP"], (std::vector<std::string>{"OFF", "ON", "OFF"}));
  std::set<std::string> what;
  for (const Landmark& m : stats.landmarks) {
    what.insert(m.what);
    testing::DebugLine d;
    ASSERT_EQ(testing::CheckPlcDebug(lines[m.line - 1], &d), "");
    EXPECT_EQ(d.signal, m.signal);
    EXPECT_EQ(d.value, m.value);
  }
  EXPECT_EQ(what, (std::set<std::string>{"once", "pulse", "pulse_end", "error"}));
}

TEST(DemoProfile, CarriersVisitTheDemoUnitsInOrder) {
  GeneratorStats stats;
  std::string text = Demo(OutputFormat::kMcs, &stats);
  const std::vector<std::string> route = {"B1ACNV13301-001", "B1ACNV13301-101", "B1ACNV13301-102",
                                          "B1ACNV13301-103", "B1ACNV13301-104", "B1ACNV13301-105",
                                          "B1ACNV13301-106", "B1ACNV13301-201", "B1ACNV13301-301"};
  std::map<std::string, std::vector<std::string>> visits;
  std::map<std::string, std::vector<std::string>> actions;
  bool blocked = false;
  for (std::string_view line : Lines(text)) {
    std::string_view action, device;
    ASSERT_EQ(testing::CheckMcs(line, &action, &device), "") << line;
    actions[std::string(device)].emplace_back(action);
    size_t at = line.find("[CarrierLoc=");
    if (at != std::string_view::npos) {
      std::string_view loc = line.substr(at + 12);
      visits[std::string(device)].emplace_back(loc.substr(0, loc.find(']')));
    }
    if (line.find("TransferAbnormalState=BLOCKED") != std::string_view::npos) blocked = true;
  }
  EXPECT_TRUE(blocked);
  // Every carrier follows the route (the last ones are cut off by the end of the log).
  size_t complete = 0;
  for (const auto& [carrier, units] : visits) {
    ASSERT_LE(units.size(), route.size());
    EXPECT_TRUE(std::equal(units.begin(), units.end(), route.begin())) << carrier;
    if (actions[carrier].back() == "REMOVE") {
      ++complete;
      EXPECT_EQ(units.size(), route.size()) << carrier;
    }
    EXPECT_EQ(actions[carrier].front(), "ADD") << carrier;
  }
  EXPECT_GT(complete, 25u);
}

TEST(DemoProfile, SameSeedSameBytes) {
  GeneratorStats a_stats, b_stats, c_stats;
  EXPECT_EQ(Demo(OutputFormat::kPlcDebug, &a_stats, 7), Demo(OutputFormat::kPlcDebug, &b_stats, 7));
  EXPECT_NE(Demo(OutputFormat::kPlcDebug, &a_stats, 7), Demo(OutputFormat::kPlcDebug, &c_stats, 8));
}

}  // namespace
}  // namespace plcscope::gen
