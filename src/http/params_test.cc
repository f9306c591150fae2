#include "http/params.h"

#include <gtest/gtest.h>

namespace plcscope::http {
namespace {

TEST(Params, StrictNumbers) {
  int64_t i;
  EXPECT_TRUE(ParseInt64("42", &i));
  EXPECT_EQ(i, 42);
  EXPECT_TRUE(ParseInt64("-7", &i));
  EXPECT_FALSE(ParseInt64("4x", &i));
  EXPECT_FALSE(ParseInt64("", &i));
  EXPECT_FALSE(ParseInt64("99999999999999999999", &i));
  double d;
  EXPECT_TRUE(ParseFiniteDouble("1727010000199.5", &d));
  EXPECT_DOUBLE_EQ(d, 1727010000199.5);
  EXPECT_FALSE(ParseFiniteDouble("nan", &d));
  EXPECT_FALSE(ParseFiniteDouble("inf", &d));
  EXPECT_FALSE(ParseFiniteDouble("1e999", &d));
  EXPECT_FALSE(ParseFiniteDouble("12abc", &d));
}

TEST(Params, IntParamNamesTheParameter) {
  Request req;
  req.query.emplace("page", "two");
  int64_t page = 1;
  ApiError err;
  EXPECT_FALSE(IntParam(req, "page", &page, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_NE(err.message.find("'page'"), std::string::npos);
  EXPECT_EQ(page, 1);
  EXPECT_TRUE(IntParam(req, "pageSize", &page, &err));  // absent: unchanged
}

TEST(Params, BoolsAndLists) {
  bool b = false;
  EXPECT_TRUE(ParseBoolText("TRUE", &b));
  EXPECT_TRUE(b);
  EXPECT_TRUE(ParseBoolText("0", &b));
  EXPECT_FALSE(b);
  EXPECT_FALSE(ParseBoolText("yes please", &b));
  EXPECT_EQ(SplitList("a,,b"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace plcscope::http
