#include "store/session_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"

namespace plcscope::store {
namespace {
using base::DeclaredType;
using base::ValueType;

class BuilderTest : public ::testing::Test {
 protected:
  std::string Path() {
    dir_ = std::filesystem::temp_directory_path() /
           ("plcscope_store_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    return (dir_ / "s.plcs").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BuilderTest, SortsResolvesTypesAndIndexes) {
  SessionBuilder b;
  uint32_t dev = b.Device("DEV-1", "A/B/DEV-1");
  uint32_t flag = b.Stream(b.Signal(dev, "FLAG"), "IN", 0);
  uint32_t num = b.Stream(b.Signal(dev, "NUM"), "", 0);
  b.AddRow(30, flag, b.Value("OFF", DeclaredType::kInfer));
  b.AddRow(10, flag, b.Value("ON", DeclaredType::kInfer));
  b.AddRow(20, num, b.Value("1", DeclaredType::kInfer));
  b.AddRow(20, flag, b.Value("1", DeclaredType::kInfer));   // bool + 0/1 int -> boolean
  b.AddRow(40, num, b.Value("2.5", DeclaredType::kInfer));  // int + float -> float
  b.AddError(0, 7, "bad timestamp", "xx");
  std::string path = Path();
  ASSERT_TRUE(b.Finish(path).ok());

  auto s_or = Store::Open(path);
  ASSERT_TRUE(s_or.ok()) << s_or.status().ToString();
  const Store& s = **s_or;
  ASSERT_EQ(s.row_count(), 5u);
  EXPECT_FALSE(s.meta().input_was_sorted);
  std::vector<int64_t> ts(s.row_time().begin(), s.row_time().end());
  EXPECT_EQ(ts, (std::vector<int64_t>{10, 20, 20, 30, 40}));
  // Equal times keep insertion order: NUM (added first) before FLAG.
  EXPECT_EQ(s.str(s.signals()[s.row_signal(1)].name), "NUM");
  ASSERT_EQ(s.signals().size(), 2u);
  EXPECT_EQ(s.str(s.signals()[0].key), "DEV-1::FLAG");
  EXPECT_EQ(s.signal_type(0), ValueType::kBoolean);
  EXPECT_EQ(s.signal_type(1), ValueType::kFloat);
  EXPECT_EQ(s.FindSignal("DEV-1::NUM"), 1);
  EXPECT_EQ(s.FindSignal("DEV-1::NOPE"), -1);
  auto flag_rows = s.signal_rows(0);
  EXPECT_EQ(std::vector<uint32_t>(flag_rows.begin(), flag_rows.end()),
            (std::vector<uint32_t>{0, 2, 3}));
  // ON, 1 (== true, no change), OFF.
  EXPECT_TRUE(s.row_changed(0));
  EXPECT_FALSE(s.row_changed(2));
  EXPECT_TRUE(s.row_changed(3));
  EXPECT_DOUBLE_EQ(s.RowValue(4).d, 2.5);
  EXPECT_DOUBLE_EQ(s.RowValue(1).d, 1.0);
  EXPECT_EQ(s.meta().error_counts.at("bad timestamp"), 1u);
  auto errors = s.LoadErrors();
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].line, 7u);
  EXPECT_EQ(s.str(s.devices()[0].path), "A/B/DEV-1");
}

TEST_F(BuilderTest, DropsCrossFileDuplicatesOnly) {
  SessionBuilder b;
  uint32_t dev = b.Device("D", "D");
  uint32_t sig = b.Signal(dev, "S");
  uint32_t a = b.Stream(sig, "", 0);
  uint32_t c = b.Stream(sig, "", 1);
  uint32_t on = b.Value("ON", DeclaredType::kInfer);
  uint32_t on2 = b.Value("true", DeclaredType::kInfer);
  const int64_t ms = 1'000'000;
  b.AddRow(0, a, on);
  b.AddRow(100 * ms, a, on);   // same file: never dropped
  b.AddRow(500 * ms, c, on2);  // other file, same value, 400 ms later: dropped
  b.AddRow(2000 * ms, c, on);  // 1900 ms after the last kept of file 0: kept
  b.meta().files.resize(2);
  std::string path = Path();
  ASSERT_TRUE(b.Finish(path).ok());
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->row_count(), 3u);
  EXPECT_EQ((*s)->meta().duplicates_dropped, 1u);
}

// Builds the same rows with and without spilling; the stores must match.
void AddManyRows(SessionBuilder* b, bool shuffled, uint32_t sources) {
  uint32_t dev = b->Device("D", "P/D");
  std::vector<uint32_t> streams;
  for (uint32_t s = 0; s < 50; ++s) {
    streams.push_back(b->Stream(b->Signal(dev, "S" + std::to_string(s)), "", s % sources));
  }
  uint32_t values[3] = {b->Value("ON", DeclaredType::kInfer), b->Value("OFF", DeclaredType::kInfer),
                        b->Value("1", DeclaredType::kInfer)};
  const int64_t n = 2'500'000;
  for (uint32_t src = 0; src < sources; ++src) {
    for (int64_t i = 0; i < n / sources; ++i) {
      const int64_t t = shuffled ? (i * 7919) % n : i;
      const uint32_t st = static_cast<uint32_t>(i % 25) * sources + src;
      b->AddRow(t * 1000, streams[st % streams.size()], values[(i / 3) % 3]);
    }
  }
  b->meta().files.resize(sources);
}

void ExpectSameStore(const Store& a, const Store& b) {
  ASSERT_EQ(a.row_count(), b.row_count());
  EXPECT_TRUE(std::equal(a.row_time().begin(), a.row_time().end(), b.row_time().begin()));
  EXPECT_TRUE(std::equal(a.row_stream().begin(), a.row_stream().end(), b.row_stream().begin()));
  EXPECT_TRUE(std::equal(a.row_value().begin(), a.row_value().end(), b.row_value().begin()));
  EXPECT_TRUE(std::equal(a.row_changed_words().begin(), a.row_changed_words().end(),
                         b.row_changed_words().begin()));
  ASSERT_EQ(a.signals().size(), b.signals().size());
  for (uint32_t s = 0; s < a.signals().size(); ++s) {
    auto ra = a.signal_rows(s), rb = b.signal_rows(s);
    ASSERT_EQ(ra.size(), rb.size());
    EXPECT_TRUE(std::equal(ra.begin(), ra.end(), rb.begin()));
    EXPECT_EQ(a.signal_type(s), b.signal_type(s));
  }
  EXPECT_EQ(a.meta().min_ts, b.meta().min_ts);
  EXPECT_EQ(a.meta().max_ts, b.meta().max_ts);
  EXPECT_EQ(a.meta().duplicates_dropped, b.meta().duplicates_dropped);
}

TEST_F(BuilderTest, SpilledRowsGiveTheSameStore) {
  const std::string dir = Path() + ".d";
  std::filesystem::create_directories(dir);
  for (bool shuffled : {false, true}) {
    for (uint32_t sources : {1u, 2u}) {
      SessionBuilder plain;
      BuildOptions small;
      small.max_rows_in_memory = 1;
      small.index_slice_rows = 300'000;
      small.spill_dir = dir;
      SessionBuilder spilled(small);
      AddManyRows(&plain, shuffled, sources);
      AddManyRows(&spilled, shuffled, sources);
      ASSERT_TRUE(plain.Finish(dir + "/plain.plcs").ok());
      ASSERT_TRUE(spilled.Finish(dir + "/spilled.plcs").ok());
      auto a = Store::Open(dir + "/plain.plcs");
      auto b = Store::Open(dir + "/spilled.plcs");
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ((*a)->meta().input_was_sorted, !shuffled && sources == 1);
      ExpectSameStore(**a, **b);
      // Rows per signal are in time order.
      auto rows = (*b)->signal_rows(3);
      for (size_t i = 1; i < rows.size(); ++i) ASSERT_LT(rows[i - 1], rows[i]);
    }
  }
}

std::string ReadBytes(const std::string& path) {
  std::string out;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, got);
  std::fclose(f);
  return out;
}

// Rows from `sources` files that overlap in time, each a noisy copy of the
// same log (so that many rows are cross-file duplicates), with some rows
// out of order when `shuffled`, and equal timestamps.
void AddOverlappingRows(SessionBuilder* b, bool shuffled, uint32_t sources) {
  uint32_t dev = b->Device("DEV-1", "P/DEV-1");
  std::vector<uint32_t> signals;
  for (uint32_t s = 0; s < 40; ++s) signals.push_back(b->Signal(dev, "S" + std::to_string(s)));
  std::vector<uint32_t> values;
  for (const char* v : {"ON", "OFF", "1", "0", "2.5", "x", "7"}) {
    values.push_back(b->Value(v, DeclaredType::kInfer));
  }
  const int64_t n = 60'000;
  uint64_t rnd = 12345;
  auto next = [&] {
    rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
    return rnd >> 33;
  };
  for (uint32_t src = 0; src < sources; ++src) {
    std::vector<uint32_t> streams;
    for (uint32_t sig : signals) streams.push_back(b->Stream(sig, "C", src));
    for (int64_t i = 0; i < n; ++i) {
      int64_t t = (i / 3) * 100'000'000 + static_cast<int64_t>(src) * 7'000'000;  // 3 rows a tick
      if (shuffled && next() % 5 == 0) t -= static_cast<int64_t>(next() % 3'000'000'000ull);
      const uint32_t sig = static_cast<uint32_t>((i * 7) % signals.size());
      const uint32_t val = static_cast<uint32_t>((i / 11 + (next() % 4 == 0 ? src : 0)) % 7);
      b->AddRow(t, streams[sig], values[val]);
    }
  }
  b->meta().files.resize(sources);
}

// Issue 17: external merge sort. Many small runs give byte for byte the
// store of one in-memory sort, for sorted, unsorted and merged input.
TEST_F(BuilderTest, ManySmallRunsGiveTheSameStoreBytes) {
  const std::string dir = Path() + ".runs";
  std::filesystem::create_directories(dir);
  for (bool shuffled : {false, true}) {
    for (uint32_t sources : {1u, 2u, 3u}) {
      BuildOptions memory;
      memory.max_rows_in_memory = size_t{1} << 20;  // everything in one run
      SessionBuilder plain(memory);
      BuildOptions tiny;
      tiny.max_rows_in_memory = SessionBuilder::kMinRunRows;
      tiny.merge_buffer_rows = 1;  // 256 rows buffered a run
      tiny.index_slice_rows = 5'000;
      tiny.spill_dir = dir;
      SessionBuilder spilled(tiny);
      AddOverlappingRows(&plain, shuffled, sources);
      AddOverlappingRows(&spilled, shuffled, sources);
      EXPECT_EQ(plain.spilled_runs(), 0u);
      EXPECT_GE(spilled.spilled_runs(), 50u);
      ASSERT_TRUE(plain.Finish(dir + "/plain.plcs").ok());
      ASSERT_TRUE(spilled.Finish(dir + "/spilled.plcs").ok());
      const std::string a = ReadBytes(dir + "/plain.plcs");
      ASSERT_GT(a.size(), 1000u);
      EXPECT_TRUE(a == ReadBytes(dir + "/spilled.plcs"))
          << "shuffled " << shuffled << " sources " << sources;
      auto s = Store::Open(dir + "/spilled.plcs");
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      EXPECT_EQ((*s)->meta().input_was_sorted, !shuffled && sources == 1);
      if (sources > 1) EXPECT_GT((*s)->meta().duplicates_dropped, 0u);
      auto t = (*s)->row_time();
      EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
    }
  }
}

std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Issue 17: spill files live in the store's folder and are gone after
// success and after failure; stale ones are removed at start.
TEST_F(BuilderTest, SpillFilesAreGoneAfterSuccessAndFailure) {
  const std::string dir = Path() + ".spill";
  std::filesystem::create_directories(dir);
  {
    FILE* stale = std::fopen((dir + "/plcscope-rows-stale1").c_str(), "w");
    ASSERT_NE(stale, nullptr);
    std::fclose(stale);
  }
  BuildOptions tiny;
  tiny.max_rows_in_memory = SessionBuilder::kMinRunRows;
  tiny.spill_dir = dir;
  for (bool fail : {false, true}) {
    SessionBuilder b(tiny);
    AddOverlappingRows(&b, /*shuffled=*/true, 2);
    EXPECT_GE(b.spilled_runs(), 50u);
    // Unlinked while in use: nothing to see, not even mid-way; the stale one is gone.
    EXPECT_EQ(Listing(dir), std::vector<std::string>{});
    const std::string store = fail ? dir + "/no/such/dir/s.plcs" : dir + "/s.plcs";
    base::Status st = b.Finish(store);
    EXPECT_EQ(st.ok(), !fail) << st.ToString();
    EXPECT_EQ(Listing(dir), fail ? std::vector<std::string>{} : std::vector<std::string>{"s.plcs"});
    std::filesystem::remove(dir + "/s.plcs");
  }
  std::filesystem::remove_all(dir);
}

TEST_F(BuilderTest, EmptySessionOpens) {
  SessionBuilder b;
  std::string path = Path();
  ASSERT_TRUE(b.Finish(path).ok());
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->row_count(), 0u);
}

TEST_F(BuilderTest, RejectsGarbageFile) {
  std::string path = Path();
  ASSERT_TRUE(base::WriteFileAtomic(path,
                                    "not a store at all, just some text........"
                                    "................................")
                  .ok());
  auto s = Store::Open(path);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace plcscope::store
