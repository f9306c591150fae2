#include "base/time_util.h"

#include <gtest/gtest.h>

#include <limits>

namespace plcscope::base {
namespace {

int64_t Parse(std::string_view s) {
  int64_t ns = -1;
  size_t used = 0;
  EXPECT_TRUE(ParseTimestamp(s, &ns, &used)) << s;
  return ns;
}

bool Fails(std::string_view s) {
  int64_t ns;
  size_t used;
  return !ParseTimestamp(s, &ns, &used);
}

TEST(TimeUtil, ParsesSpaceTAndZForms) {
  // 2025-09-22 13:00:00 UTC = 1758546000 s.
  EXPECT_EQ(Parse("2025-09-22 13:00:00"), 1758546000LL * kNanosPerSecond);
  EXPECT_EQ(Parse("2025-09-22T13:00:00.199Z"), 1758546000199LL * kNanosPerMilli);
  EXPECT_EQ(Parse("2025-09-22   13:00:00.5"), 1758546000500LL * kNanosPerMilli);
  EXPECT_EQ(Parse("2025-09-22 13:00:00.123456789"), 1758546000123456789LL);
}

TEST(TimeUtil, ReportsConsumedBytes) {
  int64_t ns;
  size_t used;
  ASSERT_TRUE(ParseTimestamp("2024-01-15 10:30:45.123 [INFO]", &ns, &used));
  EXPECT_EQ(used, 23u);
}

TEST(TimeUtil, RejectsOutOfRangeFields) {
  EXPECT_TRUE(Fails("2025-13-01 00:00:00"));
  EXPECT_TRUE(Fails("2025-02-30 00:00:00"));
  EXPECT_TRUE(Fails("2025-01-01 24:00:00"));
  EXPECT_TRUE(Fails("2025-01-01 00:60:00"));
  EXPECT_TRUE(Fails("2025-01-01 00:00:61"));
  EXPECT_TRUE(Fails("2025-01-01 00:00:00.1234567890"));
  EXPECT_TRUE(Fails("2025-01-01 00:00:00."));
  EXPECT_TRUE(Fails("2025/01/01 00:00:00"));
  EXPECT_FALSE(Fails("2024-02-29 00:00:00"));
  EXPECT_TRUE(Fails("2023-02-29 00:00:00"));
}

TEST(TimeUtil, FormatsRfc3339AndDisplay) {
  EXPECT_EQ(FormatRfc3339Millis(1758546000199LL * kNanosPerMilli), "2025-09-22T13:00:00.199Z");
  EXPECT_EQ(FormatDisplayMillis(1758546000199LL * kNanosPerMilli), "2025-09-22 13:00:00.199");
  EXPECT_EQ(FormatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
}

TEST(TimeUtil, NanosToMillisIsExactForWholeMillisAtTodaysEpoch) {
  EXPECT_EQ(NanosToMillis(1758546032634LL * kNanosPerMilli), 1758546032634.0);
  EXPECT_EQ(NanosToMillis(1758546033406LL * kNanosPerMilli), 1758546033406.0);
  EXPECT_EQ(NanosToMillis(1758546000199LL * kNanosPerMilli + 500000), 1758546000199.5);
  EXPECT_EQ(NanosToMillis(-1500000), -1.5);
  EXPECT_EQ(NanosToMillis(0), 0.0);
  for (int64_t ms = 1758546000000; ms < 1758546000000 + 100000; ms += 7) {
    ASSERT_EQ(MillisToNanos(NanosToMillis(ms * kNanosPerMilli)), ms * kNanosPerMilli) << ms;
  }
}

TEST(TimeUtil, MillisToNanosIsExactForWholeMillisAtTodaysEpoch) {
  // 1758546000199 ms * 1e6 in one double is off by tens of ns.
  EXPECT_EQ(MillisToNanos(1758546000199.0), 1758546000199LL * kNanosPerMilli);
  EXPECT_EQ(MillisToNanos(1758546000199.5), 1758546000199LL * kNanosPerMilli + 500000);
  EXPECT_EQ(MillisToNanos(-1.5), -1500000);
  EXPECT_EQ(MillisToNanos(1e300), std::numeric_limits<int64_t>::max());
}

TEST(TimeUtil, CivilRoundTrip) {
  for (int64_t d = -800000; d < 800000; d += 997) {
    int64_t y;
    unsigned m, day;
    CivilFromDays(d, &y, &m, &day);
    EXPECT_EQ(DaysFromCivil(y, m, day), d);
  }
}

TEST(TimeUtil, IsTimestampTrims) {
  EXPECT_TRUE(IsTimestamp(" 2024-01-15 10:30:45.123 "));
  EXPECT_FALSE(IsTimestamp("timestamp"));
  EXPECT_FALSE(IsTimestamp("2024-01-15 10:30:45.123 x"));
}

}  // namespace
}  // namespace plcscope::base
