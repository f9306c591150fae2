#include "base/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace plcscope::base {
namespace {

TEST(Base64, RoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n < 10; ++n) {
    std::string in = all.substr(0, n * 7);
    std::string out;
    ASSERT_TRUE(DecodeBase64(EncodeBase64(in), &out));
    EXPECT_EQ(out, in);
  }
  std::string out;
  EXPECT_TRUE(DecodeBase64("aGVsbG8", &out));  // no padding
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(DecodeBase64("aGV$bG8=", &out));
  EXPECT_FALSE(DecodeBase64("aGVsbG8=x", &out));
}

}  // namespace
}  // namespace plcscope::base
