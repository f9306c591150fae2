#include "map/unit_colors.h"

#include <gtest/gtest.h>

#include "query/test_store.h"

namespace plcscope::map {
namespace {

using query::testing::BuildSampleStore;
using query::testing::TestSample;

std::shared_ptr<const RuleSet> Rules(const char* yaml) {
  auto set = ParseRulesYaml(yaml);
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return std::make_shared<const RuleSet>(std::move(set).value());
}

const char* kRules = R"(default_color: "#D3D3D3"
device_to_unit:
  - {pattern: "CNV1-1*", unit_id: "CNV1"}
rules:
  - {signal: I_RUN, op: "==", value: true, color: "#00AA00", text: RUN, priority: 1}
  - {signal: I_ERROR, op: "==", value: true, color: "#FF4444", text: ERR, priority: 10}
  - {signal: "CNV2::SPEED", op: ">", value: 50, color: "#0000FF", priority: 5}
)";

TEST(UnitColorsTest, FirstMatchingRuleByPriorityAtTheInstant) {
  auto store = BuildSampleStore({
      {1000, "CNV1-101", "I_RUN", "ON"},
      {2000, "CNV1-102", "I_ERROR", "ON"},
      {3000, "CNV1-102", "I_ERROR", "OFF"},
      {4000, "CNV1-101", "I_RUN", "OFF"},
      {1500, "CNV2", "SPEED", "10"},
      {2500, "CNV2", "SPEED", "80"},
      {2500, "OTHER", "SPEED", "99"},
      {1000, "CNV3", "I_ERROR", "OFF"},
  });
  ASSERT_NE(store, nullptr);
  auto rules = Rules(kRules);
  auto plan = UnitColorPlan::Build(store, rules, {"CNV1", "CNV2", "CNV3", "NOPE"});
  ASSERT_EQ(plan->units().size(), 4u);
  EXPECT_EQ(plan->unit_devices(0).size(), 2u);  // CNV1-101 and CNV1-102
  EXPECT_EQ(plan->unit_devices(1).size(), 1u);  // CNV2 is its own unit
  EXPECT_TRUE(plan->unit_devices(3).empty());

  auto rule_text = [&](const UnitColor& c) {
    return c.rule < 0 ? std::string("default")
                      : rules->rules[c.rule].text + rules->rules[c.rule].color;
  };
  std::vector<UnitColor> out;
  auto at = [&](int64_t ms) {
    plan->Evaluate(ms * 1'000'000, &out);
    std::vector<std::string> r;
    for (const UnitColor& c : out) r.push_back(rule_text(c));
    return r;
  };
  // Before anything: every unit has the default color.
  EXPECT_EQ(at(500), (std::vector<std::string>{"default", "default", "default", "default"}));
  EXPECT_EQ(at(1000), (std::vector<std::string>{"RUN#00AA00", "default", "default", "default"}));
  // Error outranks run on the same unit.
  EXPECT_EQ(at(2000), (std::vector<std::string>{"ERR#FF4444", "default", "default", "default"}));
  // SPEED rule is keyed to device CNV2 only; OTHER's 99 does not count.
  EXPECT_EQ(at(2500), (std::vector<std::string>{"ERR#FF4444", "#0000FF", "default", "default"}));
  EXPECT_EQ(at(3000), (std::vector<std::string>{"RUN#00AA00", "#0000FF", "default", "default"}));
  EXPECT_EQ(at(4000), (std::vector<std::string>{"default", "#0000FF", "default", "default"}));

  plan->Evaluate(2000'000'000, &out);
  ASSERT_GE(out[0].signal, 0);
  EXPECT_EQ(store->str(store->signals()[out[0].signal].key), "CNV1-102::I_ERROR");
}

TEST(UnitColorsTest, RowAtOrBeforeUsesTheLatestSample) {
  auto store = BuildSampleStore(
      {{10, "D", "S", "1"}, {20, "D", "S", "2"}, {20, "D", "S", "3"}, {30, "D", "S", "4"}});
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(RowAtOrBefore(*store, 0, 9'999'999).has_value());
  EXPECT_EQ(store->RowValue(*RowAtOrBefore(*store, 0, 10'000'000)).i, 1);
  EXPECT_EQ(store->RowValue(*RowAtOrBefore(*store, 0, 25'000'000)).i, 3);
  EXPECT_EQ(store->RowValue(*RowAtOrBefore(*store, 0, INT64_MAX)).i, 4);
}

}  // namespace
}  // namespace plcscope::map
