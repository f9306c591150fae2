#include "ingest/chunker.h"

#include <gtest/gtest.h>

#include "ingest/chunk_parser.h"
#include "ingest/test_files.h"

namespace plcscope::ingest {
namespace {
using testing::TempDir;

struct Cut {
  std::string data;  // all chunk data joined
  std::vector<std::string> prefixes;
  size_t chunks = 0;
  bool all_end_in_newline = true;
};

Cut CutFile(const std::string& path, size_t chunk_bytes) {
  auto r = InputReader::Open(path);
  EXPECT_TRUE(r.ok());
  Chunker c(r->get(), chunk_bytes);
  Cut out;
  Chunk chunk;
  for (;;) {
    auto more = c.Next(&chunk);
    EXPECT_TRUE(more.ok());
    if (!*more) break;
    ++out.chunks;
    if (chunk.has_overlong_prefix) out.prefixes.push_back(chunk.overlong_prefix);
    out.data += chunk.data();
    if (chunk.size > 0 && chunk.data().back() != '\n') out.all_end_in_newline = false;
  }
  return out;
}

TEST(ChunkerTest, CutsAtLineBoundariesAndStripsBom) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line number " + std::to_string(i) + "\n";
  const Cut cut = CutFile(dir.Write("a.log", "\xEF\xBB\xBF" + text), 2 << 20);
  EXPECT_GT(cut.chunks, 1u);
  EXPECT_EQ(cut.data, text);
  EXPECT_TRUE(cut.all_end_in_newline);
}

TEST(ChunkerTest, OverlongLinesAreCutOut) {
  TempDir dir;
  const std::string big(5 << 20, 'x');
  const std::string text = "a\n" + big + "\nb\n" + big + big + "\nc";
  const Cut cut = CutFile(dir.Write("a.log", text), 2 << 20);
  EXPECT_EQ(cut.data, "a\nb\nc");
  ASSERT_EQ(cut.prefixes.size(), 2u);
  EXPECT_EQ(cut.prefixes[0], std::string(512, 'x'));
}

TEST(ChunkerTest, LineNumbersSurviveOverlongLines) {
  TempDir dir;
  const std::string big(3 << 20, 'y');
  const std::string text = "one\n\n" + big + "\nfour\r\n   \nsix";
  auto r = InputReader::Open(dir.Write("a.log", text));
  ASSERT_TRUE(r.ok());
  Chunker c(r->get(), 2 << 20);
  Chunk chunk;
  uint64_t lines = 0, nonblank = 0;
  std::vector<uint64_t> error_lines;
  ParseContext ctx;
  for (;;) {
    auto more = c.Next(&chunk);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ParsedChunk parsed;
    ParseChunk(Format::kCsv, chunk, 0, &ctx, 0, &parsed);
    for (const auto& e : parsed.errors) error_lines.push_back(lines + e.line);
    lines += parsed.physical_lines;
    nonblank += parsed.nonblank_lines;
  }
  EXPECT_EQ(lines, 6u);
  EXPECT_EQ(nonblank, 4u);
  // "one", the overlong line, "four", "six" are all bad csv lines.
  EXPECT_EQ(error_lines, (std::vector<uint64_t>{1, 3, 4, 6}));
}

}  // namespace
}  // namespace plcscope::ingest
