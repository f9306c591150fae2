#include "map/rules.h"

#include <gtest/gtest.h>

#include "base/mapped_file.h"

namespace plcscope::map {
namespace {

using base::ValueType;

store::ShownValue Bool(bool b) {
  store::ShownValue v;
  v.type = ValueType::kBoolean;
  v.b = b;
  return v;
}
store::ShownValue Int(int64_t i) {
  store::ShownValue v;
  v.type = ValueType::kInteger;
  v.i = i;
  return v;
}
store::ShownValue Float(double d) {
  store::ShownValue v;
  v.type = ValueType::kFloat;
  v.d = d;
  return v;
}
store::ShownValue Str(std::string_view s) {
  store::ShownValue v;
  v.s = s;
  return v;
}

Rule MakeRule(RuleOp op, const std::string& literal_yaml) {
  auto set = ParseRulesYaml("rules:\n  - signal: S\n    op: \"" + std::string(RuleOpText(op)) +
                            "\"\n    value: " + literal_yaml + "\n    color: red\n");
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set->rules.at(0);
}

TEST(RulesTest, ParsesTheSpecExample) {
  auto set = ParseRulesYaml(R"(default_color: "#D3D3D3"
device_to_unit:
  - pattern: "B1ACNV13301-1*"
    unit_id: "B1ACNV13301"
rules:
  - signal: I_ERROR
    op: "=="
    value: true
    color: "#FF4444"
    text: ERR
    priority: 10
)");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->default_color, "#D3D3D3");
  ASSERT_EQ(set->device_to_unit.size(), 1u);
  EXPECT_EQ(set->device_to_unit[0].unit_id, "B1ACNV13301");
  ASSERT_EQ(set->rules.size(), 1u);
  const Rule& r = set->rules[0];
  EXPECT_EQ(r.signal, "I_ERROR");
  EXPECT_EQ(r.op, RuleOp::kEq);
  EXPECT_EQ(r.value.kind, ValueType::kBoolean);
  EXPECT_TRUE(r.value.b);
  EXPECT_EQ(r.color, "#FF4444");
  EXPECT_EQ(r.text, "ERR");
  EXPECT_EQ(r.priority, 10);
  EXPECT_EQ(r.line, 6);
}

TEST(RulesTest, OrdersByPriorityThenFileOrder) {
  auto set = ParseRulesYaml(R"(rules:
  - {signal: A, op: "==", value: 1, color: a, priority: 1}
  - {signal: B, op: "==", value: 1, color: b, priority: 5}
  - {signal: C, op: "==", value: 1, color: c, priority: 1}
  - {signal: D, op: "==", value: 1, color: d}
)");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::string order;
  for (const Rule& r : set->rules) order += r.signal;
  EXPECT_EQ(order, "BACD");
}

TEST(RulesTest, EmptyFileMeansNoRules) {
  auto set = ParseRulesYaml("");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->default_color, "#D3D3D3");
  EXPECT_TRUE(set->rules.empty());
}

TEST(RulesTest, BadInputNamesTheLine) {
  struct Case {
    const char* yaml;
    const char* expect;
  };
  const Case cases[] = {
      {"rules:\n  - signal: A\n    op: \"=~\"\n    value: 1\n    color: red\n",
       "line 3: unknown op \"=~\""},
      {"rules:\n  - signal: A\n    value: 1\n    color: red\n  - op: \"==\"\n    value: 2\n"
       "    color: red\n",
       "line 5: missing \"signal\""},
      {"rules:\n  - signal: A\n    color: red\n", "line 2: missing \"value\""},
      {"rules:\n  - signal: A\n    value: 1\n    color: red\n    priority: high\n",
       "line 5: \"priority\" must be an integer"},
      {"device_to_unit:\n  - pattern: \"X*\"\n", "line 2: missing \"unit_id\""},
      {"rules: [a, b]\n", "line 1: a rule must be a mapping"},
      {"default_color: red\nrules:\n  - signal: A\n   value: [1\n", "line 4: invalid YAML"},
      {"- just\n- a list\n", "line 1: the rules file must be a mapping"},
      {"rules:\n  - signal: A\n    value: 1\n", "line 2: a rule needs at least one of"},
      {"rules:\n  - signal: A\n    value: [1, 2]\n    color: red\n",
       "line 3: \"value\" must be a single value"},
  };
  for (const Case& c : cases) {
    auto set = ParseRulesYaml(c.yaml);
    ASSERT_FALSE(set.ok()) << c.yaml;
    EXPECT_EQ(set.status().code(), base::StatusCode::kInvalidArgument);
    EXPECT_EQ(set.status().message().rfind(c.expect, 0), 0u)
        << "got: " << set.status().message() << "\nwant prefix: " << c.expect;
  }
}

TEST(RulesTest, GlobMatchesTheWholeId) {
  EXPECT_TRUE(GlobMatch("B1ACNV13301-1*", "B1ACNV13301-104"));
  EXPECT_TRUE(GlobMatch("B1ACNV13301-1*", "B1ACNV13301-1"));
  EXPECT_FALSE(GlobMatch("B1ACNV13301-1*", "XB1ACNV13301-104"));
  EXPECT_FALSE(GlobMatch("B1ACNV13301", "B1ACNV13301-104"));
  EXPECT_TRUE(GlobMatch("*-104", "B1ACNV13301-104"));
  EXPECT_TRUE(GlobMatch("B1*CNV*-1*4", "B1ACNV13301-104"));
  EXPECT_FALSE(GlobMatch("B1*CNV*-1*5", "B1ACNV13301-104"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("**a**", "xxaxx"));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(RulesTest, DeviceToUnitFirstMatchWinsElseItself) {
  auto set = ParseRulesYaml(R"(device_to_unit:
  - {pattern: "CNV1-1*", unit_id: "U_A"}
  - {pattern: "CNV1-*", unit_id: "U_B"}
)");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->UnitOf("CNV1-104"), "U_A");
  EXPECT_EQ(set->UnitOf("CNV1-204"), "U_B");
  EXPECT_EQ(set->UnitOf("CNV2-104"), "CNV2-104");
}

TEST(RulesTest, EvaluatesEveryOpAcrossTypes) {
  Rule eq_true = MakeRule(RuleOp::kEq, "true");
  EXPECT_TRUE(RuleMatches(eq_true, Bool(true)));
  EXPECT_FALSE(RuleMatches(eq_true, Bool(false)));
  EXPECT_TRUE(RuleMatches(eq_true, Int(1)));
  EXPECT_TRUE(RuleMatches(eq_true, Str("ON")));
  EXPECT_FALSE(RuleMatches(eq_true, Str("running")));

  Rule eq_on = MakeRule(RuleOp::kEq, "ON");  // a plain ON is a boolean too
  EXPECT_TRUE(RuleMatches(eq_on, Bool(true)));

  Rule eq_text = MakeRule(RuleOp::kEq, "\"ALARM\"");
  EXPECT_TRUE(RuleMatches(eq_text, Str("ALARM")));
  EXPECT_FALSE(RuleMatches(eq_text, Str("alarm")));
  EXPECT_FALSE(RuleMatches(eq_text, Int(3)));
  Rule ne_text = MakeRule(RuleOp::kNe, "\"ALARM\"");
  EXPECT_TRUE(RuleMatches(ne_text, Str("OK")));
  EXPECT_FALSE(RuleMatches(ne_text, Str("ALARM")));
  EXPECT_TRUE(RuleMatches(ne_text, Int(3)));

  Rule quoted_number = MakeRule(RuleOp::kEq, "\"5\"");
  EXPECT_TRUE(RuleMatches(quoted_number, Int(5)));

  Rule gt = MakeRule(RuleOp::kGt, "50");
  EXPECT_TRUE(RuleMatches(gt, Int(51)));
  EXPECT_FALSE(RuleMatches(gt, Int(50)));
  EXPECT_TRUE(RuleMatches(gt, Float(50.5)));
  EXPECT_TRUE(RuleMatches(gt, Str("70")));
  EXPECT_FALSE(RuleMatches(gt, Str("high")));
  Rule ge = MakeRule(RuleOp::kGe, "50");
  EXPECT_TRUE(RuleMatches(ge, Int(50)));
  Rule lt = MakeRule(RuleOp::kLt, "2.5");
  EXPECT_TRUE(RuleMatches(lt, Int(2)));
  EXPECT_FALSE(RuleMatches(lt, Float(2.5)));
  Rule le = MakeRule(RuleOp::kLe, "2.5");
  EXPECT_TRUE(RuleMatches(le, Float(2.5)));
  EXPECT_FALSE(RuleMatches(le, Float(2.51)));
  Rule ne_num = MakeRule(RuleOp::kNe, "0");
  EXPECT_TRUE(RuleMatches(ne_num, Int(3)));
  EXPECT_FALSE(RuleMatches(ne_num, Bool(false)));
}

TEST(RulesTest, TheDemoRulesParse) {
  auto file = base::ReadFileToString(std::string(PLCSCOPE_SOURCE_DIR) + "/demo/rules.yaml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string& text = *file;
  auto set = ParseRulesYaml(text);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_FALSE(set->rules.empty());
  EXPECT_EQ(set->rules[0].signal, "I_ERROR");  // priority 100 comes first
  EXPECT_EQ(set->UnitOf("B1ACNV13301-104S"), "B1ACNV13301-104");
  EXPECT_EQ(set->UnitOf("B1ACNV13301-105"), "B1ACNV13301-105");
}

TEST(RulesTest, InvalidUtf8IsRepaired) {
  auto r = ParseRulesYaml("rules:\n  - {signal: \"S\xff\", value: \"v\xfe\", text: \"t\xc0\"}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].signal, "S\xEF\xBF\xBD");
  EXPECT_EQ(r->rules[0].value.text, "v\xEF\xBF\xBD");
  EXPECT_EQ(r->rules[0].text, "t\xEF\xBF\xBD");
}

void ExpectTooDeep(const base::Result<RuleSet>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("nested deeper than 64 levels"), std::string::npos)
      << r.status().ToString();
}

// yaml-cpp recurses per level: deep flow nesting must be refused before it.
TEST(RulesTest, DeepFlowNestingIsAnError) {
  ExpectTooDeep(ParseRulesYaml("rules: " + std::string(100000, '[')));
  ExpectTooDeep(ParseRulesYaml("rules: " + std::string(65, '[') + std::string(65, ']')));
  std::string maps = "rules: ";
  for (int i = 0; i < 50000; ++i) maps += "{a: ";
  ExpectTooDeep(ParseRulesYaml(maps));
  // Brackets inside quotes and comments are text, not nesting.
  auto ok = ParseRulesYaml("# " + std::string(100, '[') + "\nrules:\n  - {signal: A, value: 1, " +
                           "text: \"" + std::string(100, '[') + "\"}\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->rules[0].text, std::string(100, '['));
}

TEST(RulesTest, DeepBlockNestingIsAnError) {
  std::string seq = "rules:\n";
  for (int i = 0; i < 100000; ++i) seq += "- ";
  seq += "x\n";
  auto r = ParseRulesYaml(seq);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested deeper than"), std::string::npos)
      << r.status().ToString();
  std::string sixty_five = "rules:\n";
  for (int i = 0; i < 65; ++i) sixty_five += "- ";
  sixty_five += "x\n";
  ExpectTooDeep(ParseRulesYaml(sixty_five));
}

// "Billion laughs": nine levels of ten aliases each name 10^9 values.
TEST(RulesTest, AliasExpansionIsBounded) {
  std::string y = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) y += (k ? ", " : "") + prev;
    y += "]\n";
  }
  y += "rules: *a9\n";
  auto r = ParseRulesYaml(y);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("aliases repeat too much"), std::string::npos)
      << r.status().ToString();

  // Few nodes, but each alias repeats 256 KB of text.
  std::string big = "r: &r {signal: A, value: 1, text: " + std::string(256 << 10, 'x') + "}\n";
  big += "rules: [";
  for (int i = 0; i < 2000; ++i) big += (i ? ", " : "") + std::string("*r");
  big += "]\n";
  r = ParseRulesYaml(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bytes of text"), std::string::npos) << r.status().ToString();

  // An alias to an enclosing node is a cycle; it ends too.
  r = ParseRulesYaml("rules: &l [*l]\n");
  EXPECT_FALSE(r.ok());

  // A little reuse stays fine.
  r = ParseRulesYaml(
      "c: &c \"#FF0000\"\nrules:\n  - {signal: A, value: 1, color: *c}\n"
      "  - {signal: B, value: 2, color: *c}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rules[1].color, "#FF0000");
}

}  // namespace
}  // namespace plcscope::map
