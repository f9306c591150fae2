#include "bench/ingest_bench.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/mapped_file.h"

namespace plcscope::bench {
namespace {

TEST(IngestBench, RunChildCapturesStdoutExitCodeAndRss) {
  auto r = RunChild("/bin/sh", {"-c", "echo hello; echo oops >&2; exit 3"}, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "hello\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_GT(r->max_rss_bytes, 0u);
  EXPECT_GT(r->wall_s, 0);
}

TEST(IngestBench, RunChildReportsPeakRssOfTheChildNotOurs) {
  // dd fills a 64 MiB buffer; the child's ru_maxrss must show it.
  auto r =
      RunChild("/bin/dd", {"if=/dev/zero", "of=/dev/null", "bs=64M", "count=1", "status=none"}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_GT(r->max_rss_bytes, 60'000'000u);
}

TEST(IngestBench, RunChildSendsStderrToAFile) {
  std::string err = ::testing::TempDir() + "/bench_child.stderr";
  auto r = RunChild("/bin/sh", {"-c", "echo to-stderr >&2"}, err);
  ASSERT_TRUE(r.ok());
  auto text = base::ReadFileToString(err);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "to-stderr\n");
  ::unlink(err.c_str());
}

TEST(IngestBench, MissingExecutableIsExit127) {
  auto r = RunChild("/nonexistent/plcscope", {}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 127);
}

TEST(IngestBench, ParsesTheParseSummary) {
  auto s = ParseSummaryJson(
      R"({"store":"/tmp/s/abc.plcs","entries":1000,"lines":1000,"inputBytes":142000,)"
      R"("errorCount":2,"storeBytes":20000,"wallMs":12.5,"format":"plc_debug"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->entries, 1000u);
  EXPECT_EQ(s->lines, 1000u);
  EXPECT_EQ(s->input_bytes, 142000u);
  EXPECT_EQ(s->error_count, 2u);
  EXPECT_EQ(s->store_bytes, 20000u);
  EXPECT_DOUBLE_EQ(s->wall_ms, 12.5);
  EXPECT_EQ(s->store, "/tmp/s/abc.plcs");
}

TEST(IngestBench, MissingFieldIsNamed) {
  auto s = ParseSummaryJson(
      R"({"store":"x","entries":1,"lines":1,"inputBytes":1,"wallMs":1,"storeBytes":1})");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("'errorCount'"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("entries"), std::string::npos);
  auto t = ParseSummaryJson("parsed 3 files\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("no JSON object"), std::string::npos);
}

TEST(IngestBench, SpreadIsMinMedianMax) {
  Spread s = SpreadOf({3, 1, 2});
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.median, 2);
  EXPECT_EQ(s.max, 3);
  EXPECT_EQ(SpreadOf({4, 1, 2, 3}).median, 2.5);
}

TEST(IngestBench, MachineInfoIsRead) {
  MachineInfo m = ReadMachineInfo();
  EXPECT_GT(m.cores, 0);
  EXPECT_GT(m.mem_total_bytes, 0u);
}

}  // namespace
}  // namespace plcscope::bench
