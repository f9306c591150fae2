#include "http/header_values.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace plcscope::http {
namespace {

TEST(HeaderValues, CookieValueFindsTheNamedCookieOnly) {
  EXPECT_EQ(CookieValue("a=1; plcscope_token=abc; b=2", "plcscope_token"), "abc");
  EXPECT_EQ(CookieValue("plcscope_token=abc", "plcscope_token"), "abc");
  EXPECT_EQ(CookieValue("xplcscope_token=abc", "plcscope_token"), "");
  EXPECT_EQ(CookieValue("a=1;b", "b"), "");
  EXPECT_EQ(CookieValue("", "a"), "");
}

TEST(HeaderValues, UrlDecodeKeepsInvalidEscapes) {
  EXPECT_EQ(UrlDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("100%", true), "100%");
  EXPECT_EQ(UrlDecode("%zz%4", true), "%zz%4");
  EXPECT_EQ(UrlDecode("%00", true), std::string(1, '\0'));
}

TEST(HeaderValues, ParseQuerySplitsAndDecodes) {
  std::multimap<std::string, std::string> q;
  ParseQuery("a=1&b=x%20y&&c&a=2&=v", &q);
  EXPECT_EQ(q.count("a"), 2u);
  EXPECT_EQ(q.find("b")->second, "x y");
  EXPECT_EQ(q.find("c")->second, "");
  EXPECT_EQ(q.find("")->second, "v");
  EXPECT_EQ(q.size(), 5u);
}

TEST(HeaderValues, HostNameAndAuthority) {
  EXPECT_EQ(HostName("Example.COM:8080"), "example.com");
  EXPECT_EQ(HostName("[::1]:80"), "[::1]");
  EXPECT_EQ(HostName("[::1"), "[::1");
  EXPECT_EQ(Authority("Host", false), "host:80");
  EXPECT_EQ(Authority("host", true), "host:443");
  EXPECT_EQ(Authority("host:8080", true), "host:8080");
  EXPECT_EQ(Authority("[::1]", false), "[::1]:80");
  EXPECT_EQ(Authority("[::1]:9", false), "[::1]:9");
}

TEST(HeaderValues, SameTokenNeedsEqualNonEmptyTokens) {
  EXPECT_TRUE(SameToken("abc", "abc"));
  EXPECT_FALSE(SameToken("abc", "abd"));
  EXPECT_FALSE(SameToken("abc", "ab"));
  EXPECT_FALSE(SameToken("", ""));
}

}  // namespace
}  // namespace plcscope::http
