#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace plcscope::base {
namespace {

TEST(JsonWriter, NestsWithCommas) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("a", int64_t{1}).Key("b").BeginArray().Int(1).String("x").Null();
  w.BeginObject().EndObject().EndArray().Field("c", true).Field("d", 2.5).EndObject();
  EXPECT_EQ(out, R"({"a":1,"b":[1,"x",null,{}],"c":true,"d":2.5})");
}

TEST(JsonWriter, EscapesControlQuotesAndInvalidUtf8) {
  std::string out;
  AppendJsonString(std::string("a\"b\\c\n\t\x01", 8), &out);
  EXPECT_EQ(out, R"("a\"b\\c\n\t\u0001")");
  out.clear();
  AppendJsonString("caf\xc3\xa9 \xff\xfe ok \xe2\x82", &out);
  EXPECT_EQ(out, "\"caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd\"");
  EXPECT_NO_THROW((void)nlohmann::json::parse(out));
}

TEST(JsonWriter, NonFiniteDoublesAreNull) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray().Double(std::numeric_limits<double>::infinity()).Double(std::nan("")).EndArray();
  EXPECT_EQ(out, "[null,null]");
}

TEST(JsonWriter, DoublesRoundTrip) {
  std::string out;
  JsonWriter w(&out);
  w.Double(1727010000199.0);
  EXPECT_EQ(out, "1727010000199");
  out.clear();
  w.Double(0.1);
  EXPECT_EQ(out, "0.1");
}

// The two double forms differ on purpose: JSON numbers take the integer path
// for whole numbers, stored float values keep std::to_chars' shortest text.
TEST(JsonWriter, WholeNumbersAsIntegersShortestAsToChars) {
  std::string out;
  AppendJsonDouble(1e6, &out);
  EXPECT_EQ(out, "1000000");
  out.clear();
  AppendShortestDouble(1e6, &out);
  EXPECT_EQ(out, "1e+06");
  out.clear();
  AppendJsonDouble(-0.0, &out);
  EXPECT_EQ(out, "-0");
  out.clear();
  AppendJsonInt(-42, &out);
  out.push_back(' ');
  AppendJsonUint(18446744073709551615ULL, &out);
  EXPECT_EQ(out, "-42 18446744073709551615");
}

TEST(JsonWriter, ArraysOfColumns) {
  std::string out;
  AppendJsonArray(3, &out, [](size_t i, std::string* o) { AppendJsonUint(i * 2, o); });
  EXPECT_EQ(out, "[0,2,4]");
  out.clear();
  AppendJsonArray(0, &out, [](size_t, std::string*) {});
  EXPECT_EQ(out, "[]");
}

}  // namespace
}  // namespace plcscope::base
