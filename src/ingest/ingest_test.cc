#include "ingest/ingest.h"

#include <gtest/gtest.h>

#include "base/time_util.h"
#include "ingest/test_files.h"
#include "store/store.h"

namespace plcscope::ingest {
namespace {
using testing::TempDir;

std::string PlcDebugLines(int n, int devices = 7, int signals = 5) {
  std::string t;
  for (int i = 0; i < n; ++i) {
    char buf[256];
    int ms = i % 1000, s = (i / 1000) % 60, m = (i / 60000) % 60;
    std::snprintf(buf, sizeof buf,
                  "2025-09-22 13:%02d:%02d.%03d [Debug] [LINE/PATH.Belts.DEV-%d@B37] "
                  "[INPUT2:SIG_%d] (Boolean) : %s\n",
                  m, s, ms, i % devices, (i / devices) % signals, (i / 3) % 2 ? "ON" : "OFF");
    t += buf;
  }
  return t;
}

struct Ingested {
  base::Result<store::SessionMeta> meta = base::Internal("not run");
  std::shared_ptr<const store::Store> store;
};

Ingested IngestFiles(const TempDir& dir, std::vector<std::string> paths, IngestOptions opts = {}) {
  std::vector<InputFile> inputs;
  for (auto& p : paths) inputs.push_back({p, ""});
  Ingested out;
  const std::string store_path = dir.Path("s.plcs");
  out.meta = IngestToStore(inputs, opts, store_path);
  if (out.meta.ok()) {
    auto s = store::Store::Open(store_path);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) out.store = *s;
  }
  return out;
}

TEST(IngestTest, ParsesPlcDebugAcrossManyChunks) {
  TempDir dir;
  const int n = 60000;  // ~6 MB: several chunks
  const std::string text = PlcDebugLines(n);
  std::vector<Progress> progress;
  IngestOptions opts;
  opts.threads = 2;
  opts.on_progress = [&](const Progress& p) { progress.push_back(p); };
  Ingested r = IngestFiles(dir, {dir.Write("a.log", text)}, opts);
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  const auto& s = *r.store;
  EXPECT_EQ(s.row_count(), static_cast<uint64_t>(n));
  EXPECT_EQ(s.devices().size(), 7u);
  EXPECT_EQ(s.signals().size(), 35u);
  EXPECT_EQ(s.meta().parser_name, "plc_debug");
  ASSERT_EQ(s.meta().files.size(), 1u);
  EXPECT_EQ(s.meta().files[0].lines, static_cast<uint64_t>(n));
  EXPECT_EQ(s.meta().files[0].size, text.size());
  EXPECT_EQ(s.meta().error_count, 0u);
  EXPECT_TRUE(s.meta().input_was_sorted);
  EXPECT_EQ(s.str(s.devices()[0].path), "LINE/PATH.Belts.DEV-0@B37");
  // Rows in line order; first row is line 1.
  for (uint64_t i = 1; i < s.row_count(); ++i) ASSERT_LE(s.row_time()[i - 1], s.row_time()[i]);
  ASSERT_GE(progress.size(), 3u);
  EXPECT_EQ(progress.back().percent, 100);
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GE(progress[i].bytes_done, progress[i - 1].bytes_done);
  }
}

TEST(IngestTest, CompressedInputEqualsPlain) {
  TempDir dir;
  const std::string text = PlcDebugLines(30000);
  Ingested plain = IngestFiles(dir, {dir.Write("a.log", text)});
  Ingested gz = IngestFiles(dir, {dir.Write("a.log.gz", testing::Gzip(text))});
  Ingested zst = IngestFiles(dir, {dir.Write("a.log.zst", testing::Zstd(text))});
  ASSERT_TRUE(plain.meta.ok() && gz.meta.ok() && zst.meta.ok());
  for (const Ingested* other : {&gz, &zst}) {
    ASSERT_EQ(other->store->row_count(), plain.store->row_count());
    EXPECT_TRUE(std::equal(plain.store->row_time().begin(), plain.store->row_time().end(),
                           other->store->row_time().begin()));
    EXPECT_EQ(other->store->meta().files[0].bytes_read, text.size());
  }
}

TEST(IngestTest, TruncatedGzipRecordsAnErrorAndKeepsRows) {
  TempDir dir;
  const std::string text = PlcDebugLines(30000);
  std::string gz = testing::Gzip(text);
  Ingested r = IngestFiles(dir, {dir.Write("t.gz", gz.substr(0, gz.size() / 2))});
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  EXPECT_GT(r.store->row_count(), 1000u);
  EXPECT_LT(r.store->row_count(), 30000u);
  EXPECT_EQ(r.store->meta().error_counts.at("truncated compressed input"), 1u);

  // Nothing readable at all: the parse fails.
  Ingested none = IngestFiles(dir, {dir.Write("n.gz", gz.substr(0, 10))});
  EXPECT_FALSE(none.meta.ok());
}

TEST(IngestTest, UndetectableFormatFailsNamingFormats) {
  TempDir dir;
  Ingested r = IngestFiles(dir, {dir.Write("x.log", "hello\nworld\n")});
  ASSERT_FALSE(r.meta.ok());
  EXPECT_NE(r.meta.status().message().find("plc_debug"), std::string::npos);
  EXPECT_NE(r.meta.status().message().find("x.log"), std::string::npos);
}

TEST(IngestTest, ForcedFormatTurnsOtherLinesIntoErrors) {
  TempDir dir;
  IngestOptions opts;
  opts.format = Format::kCsv;
  Ingested r =
      IngestFiles(dir, {dir.Write("x.log", "2025-09-22 13:00:00.000,DEV-1,S,1\nhello\n")}, opts);
  ASSERT_TRUE(r.meta.ok());
  EXPECT_EQ(r.store->row_count(), 1u);
  auto errors = r.store->LoadErrors();
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].line, 2u);
  EXPECT_EQ((*errors)[0].content, "hello");
}

TEST(IngestTest, CsvHeaderSkippedAndLineNumbersPhysical) {
  TempDir dir;
  const std::string text =
      "\r\ntimestamp,device,signal,value\r\n"
      "2025-09-22 13:00:00.000,DEV-1,S,1\r\n"
      "   \r\n"
      "bad line\r\n"
      "2025-09-22 13:00:01.000,DEV-1,S,2\r\n";
  Ingested r = IngestFiles(dir, {dir.Write("x.csv", text)});
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  EXPECT_EQ(r.store->row_count(), 2u);
  auto errors = r.store->LoadErrors();
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].line, 5u);
  EXPECT_EQ(r.store->meta().files[0].lines, 4u);  // non-blank lines, header included
}

// Issue 17: an out-of-range timestamp on line 1 is the same error as on line 2.
TEST(IngestTest, CsvFirstLineBadTimestampIsAnError) {
  TempDir dir;
  for (const char* bad :
       {"2025-13-01 00:00:00.000,DEV-1,S,1", "2025-02-30 00:00:00.000,DEV-1,S,1"}) {
    const std::string text = std::string(bad) + "\n" + bad +
                             "\n2025-09-22 13:00:00.000,DEV-1,S,1\n"
                             "2025-09-22 13:00:01.000,DEV-1,S,2\n"
                             "2025-09-22 13:00:02.000,DEV-1,S,3\n";
    Ingested r = IngestFiles(dir, {dir.Write("x.csv", text)});
    ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
    EXPECT_EQ(r.store->row_count(), 3u);
    auto errors = r.store->LoadErrors();
    ASSERT_TRUE(errors.ok());
    ASSERT_EQ(errors->size(), 2u) << bad;
    for (uint64_t i = 0; i < 2; ++i) {
      EXPECT_EQ((*errors)[i].line, i + 1);
      EXPECT_EQ((*errors)[i].reason, "bad timestamp");
      EXPECT_EQ((*errors)[i].content, bad);
    }
  }
}

// Issue 17: a first line that is not data is skipped only when data follows.
TEST(IngestTest, CsvHeaderOnlyBeforeData) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 6; ++i) data += "2025-09-22 13:00:0" + std::to_string(i) + ".000,DEV-1,S,1\n";
  Ingested r = IngestFiles(dir, {dir.Write("a.csv", "hello\nworld\nfoo\n" + data)});
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  EXPECT_EQ(r.store->row_count(), 6u);
  auto errors = r.store->LoadErrors();
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 3u);
  EXPECT_EQ((*errors)[0].line, 1u);
  EXPECT_EQ((*errors)[0].content, "hello");
  EXPECT_EQ((*errors)[0].reason, "line does not match csv format");
  EXPECT_EQ(r.store->meta().files[0].error_count, 3u);

  // Blank lines between the header and the data do not matter.
  r = IngestFiles(dir, {dir.Write("b.csv", "time,dev,sig,val\n\n  \n" + data)});
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  EXPECT_EQ(r.store->row_count(), 6u);
  EXPECT_EQ(r.store->meta().error_count, 0u);
}

TEST(IngestTest, EmptyFileGivesEmptySession) {
  TempDir dir;
  Ingested r = IngestFiles(dir, {dir.Write("e.log", "")});
  ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
  EXPECT_EQ(r.store->row_count(), 0u);
  EXPECT_EQ(r.store->meta().files[0].format, "");
}

// docs/ingest.md "Empty input": one rule for every file without a non-blank
// line (empty, blank lines, a BOM alone): an empty session, not a failure,
// no error, format "" unless forced; in a merge it adds nothing.
TEST(IngestTest, EmptyInputIsAnEmptySession) {
  TempDir dir;
  const std::string data = "2025-09-22 13:00:00.000,DEV-1,S,1\n2025-09-22 13:00:01.000,DEV-1,S,2\n";
  int n = 0;
  for (const std::string text : {"", "\n \r\n\t\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\r\n  \n"}) {
    const std::string name = "e" + std::to_string(n++) + ".log";
    Ingested r = IngestFiles(dir, {dir.Write(name, text)});
    ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
    EXPECT_EQ(r.store->row_count(), 0u);
    EXPECT_EQ(r.store->meta().error_count, 0u);
    EXPECT_EQ(r.store->meta().parser_name, "");
    EXPECT_EQ(r.store->meta().files[0].format, "");
    EXPECT_EQ(r.store->meta().files[0].lines, 0u);

    IngestOptions forced;
    forced.format = Format::kCsv;
    r = IngestFiles(dir, {dir.Write(name, text)}, forced);
    ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
    EXPECT_EQ(r.store->row_count(), 0u);
    EXPECT_EQ(r.store->meta().files[0].format, "csv");

    r = IngestFiles(dir, {dir.Write(name, text), dir.Write("d.csv", data)});
    ASSERT_TRUE(r.meta.ok()) << r.meta.status().ToString();
    EXPECT_EQ(r.store->row_count(), 2u);
    EXPECT_EQ(r.store->meta().parser_name, "csv");
    EXPECT_EQ(r.store->meta().files[0].format, "");
    EXPECT_EQ(r.store->meta().files[1].format, "csv");
  }
}

TEST(IngestTest, CancellationStops) {
  TempDir dir;
  std::atomic<bool> cancel{true};
  IngestOptions opts;
  opts.cancel = &cancel;
  Ingested r = IngestFiles(dir, {dir.Write("a.log", PlcDebugLines(40000))}, opts);
  EXPECT_FALSE(r.meta.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.Path("s.plcs")));
}

TEST(IngestTest, MultipleFilesAreSourcesAndMerge) {
  TempDir dir;
  const std::string a = PlcDebugLines(2000);
  Ingested r = IngestFiles(dir, {dir.Write("a.log", a), dir.Write("b.log", a)});
  ASSERT_TRUE(r.meta.ok());
  // Same samples from another file within the tolerance: all dropped.
  EXPECT_EQ(r.store->row_count(), 2000u);
  EXPECT_EQ(r.store->meta().duplicates_dropped, 2000u);
  ASSERT_EQ(r.store->meta().files.size(), 2u);
  EXPECT_EQ(r.store->meta().files[1].name, "b.log");
  EXPECT_EQ(r.store->meta().files[1].samples, 2000u);
}

}  // namespace
}  // namespace plcscope::ingest
