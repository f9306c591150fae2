#include "base/value_text.h"

#include <gtest/gtest.h>

namespace plcscope::base {
namespace {

ParsedValue Infer(std::string_view s, DeclaredType d = DeclaredType::kInfer) {
  return InferValue(s, d);
}

TEST(ValueText, InfersBooleansInAnyCase) {
  for (auto s : {"ON", "on", "True", "YES"}) {
    auto v = Infer(s);
    EXPECT_EQ(v.kind, ValueType::kBoolean) << s;
    EXPECT_EQ(v.bits, 1) << s;
  }
  for (auto s : {"OFF", "false", "No"}) {
    auto v = Infer(s);
    EXPECT_EQ(v.kind, ValueType::kBoolean) << s;
    EXPECT_EQ(v.bits, 0) << s;
  }
}

TEST(ValueText, ZeroAndOneAreIntegers) {
  EXPECT_EQ(Infer("0").kind, ValueType::kInteger);
  EXPECT_EQ(Infer("1").kind, ValueType::kInteger);
}

TEST(ValueText, IntegerSyntax) {
  int64_t v;
  EXPECT_TRUE(ParseInteger("1,000", &v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(ParseInteger("0x1F", &v));
  EXPECT_EQ(v, 31);
  EXPECT_TRUE(ParseInteger("0b101", &v));
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(ParseInteger("-1_000_000", &v));
  EXPECT_EQ(v, -1000000);
  EXPECT_TRUE(ParseInteger("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(ParseInteger("9223372036854775808", &v));
  EXPECT_FALSE(ParseInteger("1,,000", &v));
  EXPECT_FALSE(ParseInteger("_1", &v));
  EXPECT_FALSE(ParseInteger("0x", &v));
  EXPECT_FALSE(ParseInteger("12a", &v));
  EXPECT_FALSE(ParseInteger("0b102", &v));
}

TEST(ValueText, Floats) {
  auto v = Infer("23.5");
  EXPECT_EQ(v.kind, ValueType::kFloat);
  EXPECT_DOUBLE_EQ(v.AsDouble(), 23.5);
  v = Infer("-1.5e3");
  EXPECT_EQ(v.kind, ValueType::kFloat);
  EXPECT_DOUBLE_EQ(v.AsDouble(), -1500);
  EXPECT_EQ(Infer("1e").kind, ValueType::kString);
  EXPECT_EQ(Infer("1.2.3").kind, ValueType::kString);
  EXPECT_EQ(Infer("nan").kind, ValueType::kString);
}

TEST(ValueText, EmptyAndTextAreStrings) {
  EXPECT_EQ(Infer("").kind, ValueType::kString);
  EXPECT_EQ(Infer("ACTIVE").kind, ValueType::kString);
}

TEST(ValueText, DeclaredTypesForce) {
  EXPECT_EQ(Infer("42", DeclaredType::kString).kind, ValueType::kString);
  EXPECT_EQ(Infer("ON", DeclaredType::kBoolean).kind, ValueType::kBoolean);
  EXPECT_EQ(Infer("1", DeclaredType::kBoolean).kind, ValueType::kBoolean);
  EXPECT_EQ(Infer("maybe", DeclaredType::kBoolean).kind, ValueType::kString);
  EXPECT_EQ(Infer("41", DeclaredType::kInteger).kind, ValueType::kInteger);
  EXPECT_EQ(Infer("4.5", DeclaredType::kInteger).kind, ValueType::kString);
  auto f = Infer("N", DeclaredType::kFlag);
  EXPECT_EQ(f.kind, ValueType::kBoolean);
  EXPECT_EQ(f.bits, 0);
  EXPECT_EQ(Infer("yes", DeclaredType::kFlag).bits, 1);
}

}  // namespace
}  // namespace plcscope::base
