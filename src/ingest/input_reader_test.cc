#include "ingest/input_reader.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include "ingest/test_files.h"

namespace plcscope::ingest {
namespace {
using testing::TempDir;

std::string ReadAll(InputReader& r, size_t step = 7) {
  std::string out;
  std::string buf(step, '\0');
  for (;;) {
    auto n = r.Read(buf.data(), buf.size());
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) break;
    out.append(buf.data(), *n);
  }
  return out;
}

std::string Text() {
  std::string t;
  for (int i = 0; i < 5000; ++i) t += "line " + std::to_string(i) + " some text\n";
  return t;
}

TEST(InputReaderTest, PlainFileAndHash) {
  TempDir dir;
  const std::string text = Text();
  auto r = InputReader::Open(dir.Write("a.log", text));
  ASSERT_TRUE(r.ok());
  EXPECT_STREQ((*r)->compression(), "none");
  EXPECT_EQ(ReadAll(**r, 4096), text);
  EXPECT_EQ((*r)->hash(), XXH3_64bits(text.data(), text.size()));
  EXPECT_EQ((*r)->raw_bytes(), text.size());
  EXPECT_TRUE((*r)->damage().empty());
}

TEST(InputReaderTest, GzipConcatenatedMembers) {
  TempDir dir;
  const std::string a = Text(), b = "tail line\n";
  const std::string gz = testing::Gzip(a) + testing::Gzip(b);
  auto r = InputReader::Open(dir.Write("a.gz", gz));
  ASSERT_TRUE(r.ok());
  EXPECT_STREQ((*r)->compression(), "gzip");
  EXPECT_EQ(ReadAll(**r, 1000), a + b);
  EXPECT_TRUE((*r)->damage().empty());
  EXPECT_EQ((*r)->hash(), XXH3_64bits(gz.data(), gz.size()));
}

TEST(InputReaderTest, TruncatedGzipKeepsWhatDecompressed) {
  TempDir dir;
  const std::string text = Text();
  std::string gz = testing::Gzip(text);
  gz.resize(gz.size() / 2);
  auto r = InputReader::Open(dir.Write("t.gz", gz));
  ASSERT_TRUE(r.ok());
  std::string got = ReadAll(**r, 1000);
  EXPECT_GT(got.size(), 0u);
  EXPECT_LT(got.size(), text.size());
  EXPECT_EQ(text.compare(0, got.size(), got), 0);
  EXPECT_EQ((*r)->damage(), "truncated compressed input");
}

TEST(InputReaderTest, ZstdAndTruncatedZstd) {
  TempDir dir;
  const std::string text = Text();
  const std::string z = testing::Zstd(text) + testing::Zstd("more\n");
  auto r = InputReader::Open(dir.Write("a.zst", z));
  ASSERT_TRUE(r.ok());
  EXPECT_STREQ((*r)->compression(), "zstd");
  EXPECT_EQ(ReadAll(**r, 999), text + "more\n");
  EXPECT_TRUE((*r)->damage().empty());

  auto t = InputReader::Open(dir.Write("t.zst", z.substr(0, z.size() / 2)));
  ASSERT_TRUE(t.ok());
  std::string got = ReadAll(**t, 999);
  EXPECT_LT(got.size(), text.size());
  EXPECT_EQ((*t)->damage(), "truncated compressed input");
}

TEST(InputReaderTest, MissingFileIsAnIoError) {
  auto r = InputReader::Open("/nonexistent/plcscope/file.log");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace plcscope::ingest
