#include "http/handler_util.h"

#include <gtest/gtest.h>

#include <string>

namespace plcscope::http {
namespace {

Request Body(std::string body) {
  Request r;
  r.method = "POST";
  r.body = std::move(body);
  return r;
}

TEST(JsonNestsDeeperThanTest, CountsArraysAndObjectsOutsideStrings) {
  EXPECT_FALSE(JsonNestsDeeperThan("{}", 1));
  EXPECT_TRUE(JsonNestsDeeperThan("{\"a\":[]}", 1));
  EXPECT_FALSE(JsonNestsDeeperThan("[[1],[2],{\"x\":[3]}]", 3));
  EXPECT_TRUE(JsonNestsDeeperThan("[[1],[2],{\"x\":[3]}]", 2));
  EXPECT_FALSE(JsonNestsDeeperThan("[[1],[2],[3],[4]]", 2));
  // Brackets in strings, escaped quotes included, are text.
  EXPECT_FALSE(JsonNestsDeeperThan(R"({"a":"[[[[{{{{\"[[[["})", 1));
  EXPECT_FALSE(JsonNestsDeeperThan(R"({"a\\":"[[["})", 1));
  EXPECT_TRUE(JsonNestsDeeperThan(std::string(100000, '['), 64));
  EXPECT_FALSE(JsonNestsDeeperThan(std::string(64, '[') + std::string(64, ']'), 64));
  EXPECT_TRUE(JsonNestsDeeperThan(std::string(65, '[') + std::string(65, ']'), 64));
}

// A transitions rule whose value nested 100,000 levels crashed the server
// (nlohmann's recursive dump); every JSON body is now refused before parsing.
TEST(ParseJsonObjectTest, RefusesDeepBodiesNamingTheLimit) {
  std::string deep = R"({"rules":[{"start":{"signal":"A","value":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}]}";
  nlohmann::json j;
  ApiError err;
  EXPECT_FALSE(ParseJsonObject(Body(deep), &j, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_EQ(err.code, "MALFORMED_JSON");
  EXPECT_EQ(err.message, "The body is nested deeper than 64 levels.");

  // 64 levels (the object itself is level 1) are accepted.
  std::string ok = R"({"v":)" + std::string(63, '[') + std::string(63, ']') + "}";
  ASSERT_TRUE(ParseJsonObject(Body(ok), &j, &err)) << err.message;
  EXPECT_TRUE(j["v"].is_array());
  std::string over = R"({"v":)" + std::string(64, '[') + std::string(64, ']') + "}";
  EXPECT_FALSE(ParseJsonObject(Body(over), &j, &err));
}

TEST(ParseJsonObjectTest, BadBodiesAreMalformedJsonAndNeverThrow) {
  nlohmann::json j;
  ApiError err;
  for (const char* body :
       {"", "{", "[1]", "\"x\"", "{\"a\":\"\xff\xfe\"}", "{\"a\":\"\\ud800\"}", "{\"a\":1}}"}) {
    err = {};
    EXPECT_FALSE(ParseJsonObject(Body(body), &j, &err)) << body;
    EXPECT_EQ(err.code, "MALFORMED_JSON") << body;
  }
}

// A float far outside int64's range is refused, not cast (undefined: UBSan).
TEST(JsonIntTest, OutOfRangeFloatIsABadParameter) {
  int64_t v = 7;
  ApiError err;
  EXPECT_FALSE(JsonInt(nlohmann::json{{"n", 1e300}}, "n", &v, &err));
  EXPECT_EQ(err.code, "BAD_PARAMETER");
  EXPECT_FALSE(JsonInt(nlohmann::json{{"n", -1e19}}, "n", &v, &err));
  EXPECT_TRUE(JsonInt(nlohmann::json{{"n", 42.0}}, "n", &v, &err));
  EXPECT_EQ(v, 42);
}

}  // namespace
}  // namespace plcscope::http
