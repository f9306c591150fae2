#include "base/utf8.h"

#include <gtest/gtest.h>

namespace plcscope::base {
namespace {

TEST(Utf8, ValidTextIsKept) {
  EXPECT_TRUE(IsValidUtf8("St\xC3\xB6rung.log"));
  EXPECT_EQ(RepairUtf8("St\xC3\xB6rung"), "St\xC3\xB6rung");
}

TEST(Utf8, Latin1ByteBecomesReplacement) {
  const std::string latin1 = "St\xF6rung.log";
  EXPECT_FALSE(IsValidUtf8(latin1));
  EXPECT_EQ(RepairUtf8(latin1), "St\xEF\xBF\xBDrung.log");
  EXPECT_TRUE(IsValidUtf8(RepairUtf8(latin1)));
}

TEST(Utf8, TruncatedSequenceOverlongAndSurrogateAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("a\xE2\x82"));         // cut in the middle
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_EQ(RepairUtf8("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, PrefixNeverCutsACharacter) {
  const std::string s = "ab\xE2\x82\xAC";  // "ab€"
  EXPECT_EQ(Utf8Prefix(s, 4), "ab");
  EXPECT_EQ(Utf8Prefix(s, 5), s);
  EXPECT_EQ(Utf8Prefix(s, 2), "ab");
  EXPECT_TRUE(IsValidUtf8(Utf8Prefix(std::string(300, 'x') + "\xC3\xB6", 301)));
}

}  // namespace
}  // namespace plcscope::base
