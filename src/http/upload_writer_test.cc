#include "http/upload_writer.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "http/test_compress.h"

namespace plcscope::http {
namespace {

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "line " + std::to_string(i * 7919 % 100003) + "\n";
  s.resize(n);
  return s;
}

// Feeds `in` in pieces of `piece` bytes; returns the output, *ok the verdict.
std::string Decode(const std::string& in, Inflater::Format f, size_t piece, bool* ok,
                   std::string* error = nullptr) {
  Inflater z(f);
  std::string out;
  *ok = true;
  for (size_t i = 0; i < in.size() && *ok; i += piece) {
    *ok = z.Feed(in.data() + i, std::min(piece, in.size() - i), [&](const char* d, size_t n) {
      out.append(d, n);
      return true;
    });
  }
  *ok = *ok && z.Finish();
  if (error) *error = z.error();
  return out;
}

TEST(Inflater, DecodesWholeStreamsInAnyPieces) {
  const std::string text = Text(300000);
  for (size_t piece : {1ul, 7ul, 4096ul, 1ul << 20}) {
    bool ok;
    EXPECT_EQ(Decode(test_util::Compress(text, true), Inflater::Format::kGzip, piece, &ok), text);
    EXPECT_TRUE(ok) << piece;
    EXPECT_EQ(Decode(test_util::Compress(text, false), Inflater::Format::kZlib, piece, &ok), text);
    EXPECT_TRUE(ok) << piece;
  }
}

TEST(Inflater, DrainsOutputPendingAfterTheLastInput) {
  // 8 MB of zeros compress to a few KB: one small input piece yields far
  // more than one output buffer.
  const std::string zeros(8 << 20, '\0');
  bool ok;
  EXPECT_EQ(Decode(test_util::Compress(zeros, true), Inflater::Format::kGzip, 1 << 20, &ok).size(),
            zeros.size());
  EXPECT_TRUE(ok);
}

TEST(Inflater, AcceptsConcatenatedGzipMembers) {
  const std::string a = Text(5000), b = Text(7000);
  bool ok;
  EXPECT_EQ(Decode(test_util::Compress(a, true) + test_util::Compress(b, true),
                   Inflater::Format::kGzip, 333, &ok),
            a + b);
  EXPECT_TRUE(ok);
}

TEST(Inflater, RefusesTruncatedStreams) {
  const std::string packed = test_util::Compress(Text(100000), true);
  for (size_t cut : {packed.size() / 2, packed.size() - 4, packed.size() - 1, size_t{5}}) {
    bool ok;
    std::string error;
    Decode(packed.substr(0, cut), Inflater::Format::kGzip, 4096, &ok, &error);
    EXPECT_FALSE(ok) << cut;
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  }
  bool ok;
  std::string error;
  Decode("", Inflater::Format::kGzip, 1, &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("empty"), std::string::npos) << error;
  const std::string zlib = test_util::Compress(Text(1000), false);
  Decode(zlib.substr(0, zlib.size() - 2), Inflater::Format::kZlib, 64, &ok);
  EXPECT_FALSE(ok);
}

TEST(Inflater, RefusesABadTrailerCrc) {
  std::string packed = test_util::Compress(Text(10000), true);
  packed[packed.size() - 6] ^= 0x55;  // inside the CRC-32
  bool ok;
  std::string error;
  Decode(packed, Inflater::Format::kGzip, 4096, &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("incorrect data check"), std::string::npos) << error;
}

TEST(Inflater, RefusesBytesAfterTheLastMember) {
  const std::string packed = test_util::Compress(Text(10000), true);
  for (const std::string& tail : {std::string("garbage!!!!!"), std::string(2, '\0')}) {
    bool ok;
    std::string error;
    Decode(packed + tail, Inflater::Format::kGzip, 4096, &ok, &error);
    EXPECT_FALSE(ok);
    EXPECT_NE(error.find("not another gzip member"), std::string::npos) << error;
  }
  bool ok;
  std::string error;
  Decode(test_util::Compress(Text(100), false) + "x", Inflater::Format::kZlib, 4096, &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("after the end of the deflate stream"), std::string::npos) << error;
  // Not gzip at all.
  Decode("plain text, not compressed", Inflater::Format::kGzip, 4096, &ok, &error);
  EXPECT_FALSE(ok);
}

TEST(ContentEncoding, KnownAndUnknownCodings) {
  BodyEncoding e;
  EXPECT_TRUE(ParseContentEncoding("", &e));
  EXPECT_EQ(e, BodyEncoding::kIdentity);
  EXPECT_TRUE(ParseContentEncoding(" identity ", &e));
  EXPECT_EQ(e, BodyEncoding::kIdentity);
  EXPECT_TRUE(ParseContentEncoding("GZIP", &e));
  EXPECT_EQ(e, BodyEncoding::kGzip);
  EXPECT_TRUE(ParseContentEncoding("x-gzip", &e));
  EXPECT_EQ(e, BodyEncoding::kGzip);
  EXPECT_TRUE(ParseContentEncoding("deflate", &e));
  EXPECT_EQ(e, BodyEncoding::kDeflate);
  for (const char* bad : {"br", "zstd", "gzip, br", "compress", "gzip;q=1"}) {
    EXPECT_FALSE(ParseContentEncoding(bad, &e)) << bad;
  }
}

}  // namespace
}  // namespace plcscope::http
