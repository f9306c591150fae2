#include "http/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace plcscope::http {
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
  AppendJsonString(&out, std::string("a\"b\\c\n\t\x01\x7f", 9));
  EXPECT_EQ(out, R"("a\"b\\c\n\t\u0001\u007f")");
  out.clear();
  AppendJsonString(&out, "caf\xc3\xa9 \xff\xfe ok \xe2\x82");
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

}  // namespace
}  // namespace plcscope::http
