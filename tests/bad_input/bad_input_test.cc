// The bad-input corpus (docs/targets.md "Robustness"): every input is generated
// here, parsed end to end into a store, and checked for counts and errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "ingest/ingest.h"
#include "ingest/test_files.h"
#include "store/store.h"

namespace plcscope {
namespace {
namespace fs = std::filesystem;

std::string Line(int i, const std::string& value = "ON", const std::string& ts = "") {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2025-09-22 13:%02d:%02d.%03d", (i / 60000) % 60, (i / 1000) % 60,
                i % 1000);
  return (ts.empty() ? std::string(buf) : ts) + " [Debug] [LINE/A.Belts.DEV-" +
         std::to_string(i % 5) + "@B1] [IN:SIG_" + std::to_string(i % 3) +
         "] (Boolean) : " + value + "\n";
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plcscope_bad_input_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  // Parses `paths`; on success opens the store into store_.
  base::Status Parse(const std::vector<std::string>& paths, ingest::IngestOptions opts = {}) {
    std::vector<ingest::InputFile> in;
    for (const auto& p : paths) in.push_back({p, ""});
    const std::string out = (dir_ / "s.plcs").string();
    fs::remove(out);
    auto meta = ingest::IngestToStore(in, opts, out);
    if (!meta.ok()) return meta.status();
    auto s = store::Store::Open(out);
    if (!s.ok()) return s.status();
    store_ = *s;
    errors_ = *store_->LoadErrors();
    return base::Status::Ok();
  }
  uint64_t Errors(const std::string& reason) const {
    auto it = store_->meta().error_counts.find(reason);
    return it == store_->meta().error_counts.end() ? 0 : it->second;
  }

  fs::path dir_;
  std::shared_ptr<const store::Store> store_;
  std::vector<store::ParseErrorRecord> errors_;
};

TEST_F(BadInputTest, EmptyFile) {
  ASSERT_TRUE(Parse({Write("empty.log", "")}).ok());
  EXPECT_EQ(store_->row_count(), 0u);
  EXPECT_EQ(store_->meta().error_count, 0u);
  EXPECT_EQ(store_->meta().files[0].lines, 0u);
}

TEST_F(BadInputTest, OnlyBlankLines) {
  ASSERT_TRUE(Parse({Write("blank.log", "\n\n   \r\n\t\t\n \n")}).ok());
  EXPECT_EQ(store_->row_count(), 0u);
  EXPECT_EQ(store_->meta().error_count, 0u);
  EXPECT_EQ(store_->meta().files[0].lines, 0u);
}

TEST_F(BadInputTest, BinaryGarbage) {
  std::mt19937 rng(7);
  std::string junk(1 << 20, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  const std::string path = Write("garbage.bin", junk);
  base::Status st = Parse({path});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("tried plc_debug, plc_tab, mcs, csv"), std::string::npos);
  // Forced, every non-blank line is an error and nothing crashes.
  ingest::IngestOptions opts;
  opts.format = ingest::Format::kPlcDebug;
  ASSERT_TRUE(Parse({path}, opts).ok());
  EXPECT_EQ(store_->row_count(), 0u);
  EXPECT_EQ(store_->meta().error_count, store_->meta().files[0].lines);
  EXPECT_GT(store_->meta().error_count, 1000u);
  EXPECT_EQ(errors_.size(), 1000u);  // details of the first 1,000 only
}

TEST_F(BadInputTest, NulBytes) {
  std::string text = Line(0);
  text += Line(1, std::string("A\0B", 3));  // NUL inside a value
  const char kNulTime[] = "2025-09-22 13:00:\0\0.000 [D] [P/DEV-1] [C:S] (Boolean) : ON\n";
  text += std::string(kNulTime, sizeof kNulTime - 1);
  text += std::string(100, '\0') + "\n";
  text += Line(2);
  ASSERT_TRUE(Parse({Write("nul.log", text)}).ok());
  EXPECT_EQ(store_->row_count(), 3u);
  EXPECT_EQ(store_->meta().error_count, 2u);
  ASSERT_EQ(errors_.size(), 2u);
  EXPECT_EQ(errors_[0].line, 3u);
  EXPECT_EQ(errors_[1].line, 4u);
}

TEST_F(BadInputTest, InvalidUtf8) {
  std::string text = Line(0, "\xff\xfe\xc3(") + Line(1) + Line(2) + "\xc3\x28\xa0\xa1 not a line\n";
  ASSERT_TRUE(Parse({Write("utf8.log", text)}).ok());
  EXPECT_EQ(store_->row_count(), 3u);
  // The bytes are kept as written; the signal becomes a string signal.
  const auto v = store_->RowValue(0);
  EXPECT_EQ(v.type, base::ValueType::kString);
  EXPECT_EQ(v.s, "\xff\xfe\xc3(");
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_EQ(errors_[0].line, 4u);
}

TEST_F(BadInputTest, TenMegabyteLine) {
  std::string text = Line(0) + Line(1) + std::string(10 << 20, 'x') + "\n" + Line(2) +
                     "2025-09-22 13:00:00.500 " + std::string(2 << 20, 'y') + "\n" + Line(3);
  ASSERT_TRUE(Parse({Write("long.log", text)}).ok());
  EXPECT_EQ(store_->row_count(), 4u);
  EXPECT_EQ(Errors("line too long"), 2u);
  ASSERT_EQ(errors_.size(), 2u);
  EXPECT_EQ(errors_[0].line, 3u);
  EXPECT_EQ(errors_[0].content, std::string(512, 'x'));
  EXPECT_EQ(errors_[1].line, 5u);
  EXPECT_EQ(errors_[1].content.size(), 512u);
  EXPECT_EQ(store_->meta().files[0].lines, 6u);
}

TEST_F(BadInputTest, CrlfAndBomEqualPlain) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += Line(i, i % 7 ? "ON" : "OFF");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  ASSERT_TRUE(Parse({Write("plain.log", text)}).ok());
  const std::vector<int64_t> want(store_->row_time().begin(), store_->row_time().end());
  const std::vector<uint32_t> want_values(store_->row_value().begin(), store_->row_value().end());
  for (const std::string& variant : {crlf, "\xEF\xBB\xBF" + text, "\xEF\xBB\xBF" + crlf}) {
    ASSERT_TRUE(Parse({Write("variant.log", variant)}).ok());
    EXPECT_EQ(std::vector<int64_t>(store_->row_time().begin(), store_->row_time().end()), want);
    EXPECT_EQ(std::vector<uint32_t>(store_->row_value().begin(), store_->row_value().end()),
              want_values);
    EXPECT_EQ(store_->meta().error_count, 0u);
  }
}

TEST_F(BadInputTest, TruncatedGzip) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += Line(i);
  const std::string gz = ingest::testing::Gzip(text);
  ASSERT_TRUE(Parse({Write("t.log.gz", gz.substr(0, gz.size() * 2 / 3))}).ok());
  EXPECT_GT(store_->row_count(), 5000u);
  EXPECT_LT(store_->row_count(), 20000u);
  EXPECT_EQ(Errors("truncated compressed input"), 1u);
  // A cut mid-line leaves at most one bad last line besides that.
  EXPECT_LE(store_->meta().error_count, 2u);
}

TEST_F(BadInputTest, MixedFormats) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += i % 10 < 7 ? Line(i) : "2025-09-22 13:00:00.000,DEV-1,S," + std::to_string(i) + "\n";
  }
  ASSERT_TRUE(Parse({Write("mixed.log", text)}).ok());
  EXPECT_EQ(store_->meta().parser_name, "plc_debug");
  EXPECT_EQ(store_->row_count(), 70u);
  EXPECT_EQ(Errors("line does not match plc_debug format"), 30u);
}

TEST_F(BadInputTest, OutOfRangeTimestamps) {
  const char* bad[] = {
      "2025-13-01 00:00:00.000", "2025-00-10 00:00:00.000", "2025-01-32 00:00:00.000",
      "2025-02-29 00:00:00.000", "2025-01-01 24:00:00.000", "2025-01-01 00:60:00.000",
      "2025-01-01 00:00:61.000", "2025-01-01 00:00:00.",    "2025-01-01 00:00:00.1234567890"};
  std::string text = Line(0) + Line(1, "ON", "2024-02-29 12:00:00.000") + Line(2);
  for (const char* ts : bad) text += Line(3, "ON", ts);
  ingest::IngestOptions opts;
  opts.format = ingest::Format::kPlcDebug;
  ASSERT_TRUE(Parse({Write("ts.log", text)}, opts).ok());
  EXPECT_EQ(store_->row_count(), 3u);  // 2024-02-29 is a real day
  EXPECT_EQ(Errors("bad timestamp"), std::size(bad));
  ASSERT_EQ(errors_.size(), std::size(bad));
  EXPECT_EQ(errors_[0].line, 4u);
}

TEST_F(BadInputTest, UnsortedTimestamps) {
  std::string text;
  for (int i = 999; i >= 0; --i) text += Line(i - i % 2, i % 3 ? "ON" : "OFF");
  ASSERT_TRUE(Parse({Write("unsorted.log", text)}).ok());
  ASSERT_EQ(store_->row_count(), 1000u);
  EXPECT_FALSE(store_->meta().input_was_sorted);
  auto t = store_->row_time();
  for (size_t i = 1; i < t.size(); ++i) ASSERT_LE(t[i - 1], t[i]);
  // Equal times keep line order: the pair at the earliest time was written
  // as i = 1 (ON) then i = 0 (OFF).
  EXPECT_EQ(t[0], t[1]);
  EXPECT_TRUE(store_->RowValue(0).b);
  EXPECT_FALSE(store_->RowValue(1).b);
}

TEST_F(BadInputTest, DuplicateLines) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += Line(0);
  const std::string a = Write("a.log", text), b = Write("b.log", text);
  ASSERT_TRUE(Parse({a}).ok());
  EXPECT_EQ(store_->row_count(), 1000u);  // never dropped within a file
  EXPECT_EQ(store_->meta().duplicates_dropped, 0u);
  ASSERT_TRUE(Parse({a, b}).ok());
  EXPECT_EQ(store_->row_count(), 1000u);
  EXPECT_EQ(store_->meta().duplicates_dropped, 1000u);
}

TEST_F(BadInputTest, HundredThousandDistinctSignals) {
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += "2025-09-22 13:00:00.000 [D] [P/DEV-" + std::to_string(i % 100) + "] [C:SIG_" +
            std::to_string(i) + "] (Integer) : " + std::to_string(i) + "\n";
  }
  ASSERT_TRUE(Parse({Write("many.log", text)}).ok());
  EXPECT_EQ(store_->row_count(), 100000u);
  EXPECT_EQ(store_->signals().size(), 100000u);
  EXPECT_EQ(store_->devices().size(), 100u);
  EXPECT_EQ(store_->values().size(), 100000u);
  EXPECT_GE(store_->FindSignal("DEV-42::SIG_99942"), 0);
  EXPECT_EQ(store_->meta().error_count, 0u);
}

}  // namespace
}  // namespace plcscope
