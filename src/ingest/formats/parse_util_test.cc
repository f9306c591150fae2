#include "ingest/formats/parse_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plcscope::ingest::internal {
namespace {

// The memo must never change an answer: run every text after every other
// (so each is tried both on a cold and on a warm memo) and compare with
// base::ParseTimestamp.
TEST(CachedParseTimestamp, AlwaysAgreesWithBase) {
  const std::vector<std::string> texts = {
      "2025-09-22 13:00:00.199 [Debug]",
      "2025-09-22 13:00:00.2",
      "2025-09-22 13:00:00",
      "2025-09-22 13:00:00Z",
      "2025-09-22 13:00:00.123456789Z rest",
      "2025-09-22 13:00:00.1234567890",
      "2025-09-22 13:00:00.",
      "2025-09-22 13:00:00.x",
      "2025-09-22 13:00:00.5.5",
      "2025-09-22T13:00:00.199",
      "2025-09-22  13:00:00.199",
      "2025-09-22 13:00:01.000",
      "2025-09-22 13:00:0",
      "2025-02-29 13:00:00.000",
      "2024-02-29 13:00:00.000",
      "2025-09-22 13:00:00,123",
      "2025-09-22 13:00:00 ",
      "2025-09-22 13:00:00Z.5",
      "1600-01-01 00:00:00.1",
      "",
  };
  for (const std::string& warm : texts) {
    for (const std::string& text : texts) {
      int64_t ns_memo = 0, ns_base = 0;
      size_t used_memo = 0, used_base = 0;
      int64_t unused_ns;
      size_t unused_used;
      CachedParseTimestamp(warm, &unused_ns, &unused_used);
      const bool ok_memo = CachedParseTimestamp(text, &ns_memo, &used_memo);
      const bool ok_base = base::ParseTimestamp(text, &ns_base, &used_base);
      ASSERT_EQ(ok_memo, ok_base) << "warm: " << warm << " text: " << text;
      if (ok_base) {
        EXPECT_EQ(ns_memo, ns_base) << "warm: " << warm << " text: " << text;
        EXPECT_EQ(used_memo, used_base) << "warm: " << warm << " text: " << text;
      }
    }
  }
}

TEST(CachedParseTimestamp, FractionScales) {
  int64_t base_ns, ns;
  size_t used;
  ASSERT_TRUE(CachedParseTimestamp("2025-09-22 13:00:00", &base_ns, &used));
  const char* fractions[] = {".1",      ".12",      ".123",      ".1234",     ".12345",
                             ".123456", ".1234567", ".12345678", ".123456789"};
  const int64_t want[] = {100000000, 120000000, 123000000, 123400000, 123450000,
                          123456000, 123456700, 123456780, 123456789};
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(
        CachedParseTimestamp(std::string("2025-09-22 13:00:00") + fractions[i], &ns, &used));
    EXPECT_EQ(ns - base_ns, want[i]) << fractions[i];
  }
}

TEST(FindNear, EveryDistanceAroundTheShortLoop) {
  for (size_t at = 0; at < 40; ++at) {
    std::string text(at, 'x');
    text += "]yy]";
    const char* b = text.data();
    EXPECT_EQ(FindNear(b, b + text.size(), ']'), b + at) << at;
    EXPECT_EQ(FindNear(b, b + at, ']'), nullptr) << at;
    EXPECT_EQ(FindNear(b, b + text.size(), '#'), nullptr) << at;
  }
  EXPECT_EQ(FindNear(nullptr, nullptr, 'x'), nullptr);
}

TEST(LooksLikeDate, Shapes) {
  EXPECT_TRUE(LooksLikeDate("2025-09-22"));
  EXPECT_TRUE(LooksLikeDate("9999-99-99 anything"));
  EXPECT_FALSE(LooksLikeDate("2025-09-2"));
  EXPECT_FALSE(LooksLikeDate("2025/09/22"));
  EXPECT_FALSE(LooksLikeDate("timestamp,device"));
}

}  // namespace
}  // namespace plcscope::ingest::internal
