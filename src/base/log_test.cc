#include "base/log.h"

#include <gtest/gtest.h>

namespace plcscope::base {
namespace {

// 2026-12-03T19:30:00.123Z
constexpr int64_t kNow = 1796326200123000000;

TEST(Log, TextLines) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kInfo, kNow, "parse ab12", "complete",
                          {{"rows", uint64_t{299}}, {"file", "a b.log"}, {"mb_per_s", 0.25}}),
            "parse ab12: complete rows=299 file=\"a b.log\" mb_per_s=0.250\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kWarning, kNow, "files", "two\nlines", {}),
            "files: warning: two lines\n");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kError, kNow, "http", "x", {{"path", ""}}),
            "http: error: x path=\"\"\n");
}

TEST(Log, JsonLines) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, LogLevel::kWarning, kNow, "files", "say \"hi\"\n",
                          {{"n", -3}, {"path", "/a\\b\xff"}}),
            "{\"ts\":\"2026-12-03T19:30:00.123Z\",\"level\":\"warning\",\"component\":\"files\","
            "\"msg\":\"say \\\"hi\\\"\\n\",\"n\":-3,\"path\":\"/a\\\\b\xef\xbf\xbd\"}\n");
}

TEST(Log, Names) {
  LogFormat f;
  EXPECT_TRUE(ParseLogFormat("json", &f));
  EXPECT_EQ(f, LogFormat::kJson);
  EXPECT_FALSE(ParseLogFormat("xml", &f));
  LogLevel l;
  EXPECT_TRUE(ParseLogLevel("warning", &l));
  EXPECT_EQ(l, LogLevel::kWarning);
  EXPECT_FALSE(ParseLogLevel("warn", &l));
}

}  // namespace
}  // namespace plcscope::base
