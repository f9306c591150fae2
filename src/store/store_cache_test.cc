#include "store/store_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/mapped_file.h"
#include "store/session_builder.h"

namespace plcscope::store {
namespace {
namespace fs = std::filesystem;

class StoreCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("plcscope_cache_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The caller's ingest step: a small store of `rows` rows.
  StoreCache::Ingest Builder(int rows, int* calls) {
    return [rows, calls](const std::string& path) {
      ++*calls;
      SessionBuilder b;
      b.meta().files.resize(1);
      const uint32_t st = b.Stream(b.Signal(b.Device("D", "P/D"), "S"), "", 0);
      for (int i = 0; i < rows; ++i) b.AddRow(i, st, b.Value(std::to_string(i), {}));
      return b.Finish(path);
    };
  }
  static void WriteBytes(const fs::path& p, size_t n) {
    std::ofstream(p, std::ios::binary) << std::string(n, 'x');
  }

  fs::path dir_;
};

TEST(StoreKeyTest, IsStableAndCoversEveryPart) {
  const KeyInput a{0x1234, 100}, b{0x5678, 200};
  const std::vector<KeyInput> ab{a, b}, ba{b, a};
  const std::string k = StoreKey(ab, {});
  EXPECT_EQ(k.size(), 16u);
  EXPECT_EQ(k, StoreKey(ab, {}));
  EXPECT_NE(k, StoreKey(ba, {}));
  EXPECT_NE(k, StoreKey(ab, {"csv", 1000}));
  EXPECT_NE(k, StoreKey(ab, {"", 500}));
  const std::vector<KeyInput> bigger{{0x1234, 101}, b};
  EXPECT_NE(k, StoreKey(bigger, {}));
}

TEST(StoreKeyTest, DefaultDataDirFollowsXdg) {
  const char* old = std::getenv("XDG_DATA_HOME");
  const std::string saved = old ? old : "";
  ::setenv("XDG_DATA_HOME", "/srv/xdg", 1);
  EXPECT_EQ(DefaultDataDir(), "/srv/xdg/plcscope");
  ::unsetenv("XDG_DATA_HOME");
  EXPECT_NE(DefaultDataDir().find(".local/share/plcscope"), std::string::npos);
  if (old) ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
}

TEST_F(StoreCacheTest, BuildsOnceThenReopens) {
  StoreCache cache(dir_.string());
  ASSERT_TRUE(cache.Init().ok());
  EXPECT_EQ(cache.OpenOrBuild("k1", nullptr).status().code(), base::StatusCode::kNotFound);
  int calls = 0;
  auto first = cache.OpenOrBuild("k1", Builder(10, &calls));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->built);
  EXPECT_EQ(first->store->row_count(), 10u);
  EXPECT_EQ(first->store->path(), (dir_ / "stores" / "k1.store").string());
  auto again = cache.OpenOrBuild("k1", Builder(10, &calls));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->built);
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(cache.OpenOrBuild("k1", Builder(10, &calls), /*force=*/true).ok());
  EXPECT_EQ(calls, 2);
}

TEST_F(StoreCacheTest, DamagedStoreIsRebuiltNeverServed) {
  StoreCache cache(dir_.string());
  ASSERT_TRUE(cache.Init().ok());
  int calls = 0;
  ASSERT_TRUE(cache.OpenOrBuild("k", Builder(50, &calls)).ok());
  const std::string path = cache.PathFor("k");
  auto bytes = base::ReadFileToString(path);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[damaged.size() / 2] ^= 0x40;
  ASSERT_TRUE(base::WriteFileAtomic(path, damaged).ok());
  // Without an ingest step a damaged store is not found (and is gone).
  EXPECT_EQ(cache.OpenOrBuild("k", nullptr).status().code(), base::StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(path));
  ASSERT_TRUE(base::WriteFileAtomic(path, damaged).ok());
  auto rebuilt = cache.OpenOrBuild("k", Builder(50, &calls));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_TRUE(rebuilt->built);
  EXPECT_EQ(rebuilt->store->row_count(), 50u);
  EXPECT_EQ(calls, 2);
}

TEST_F(StoreCacheTest, InitSweepsStaleTemporaryFilesOnly) {
  fs::create_directories(dir_ / "stores");
  WriteBytes(dir_ / "stores" / "abc.store.tmp-4194301-4", 1 << 20);  // writer gone
  const std::string live = "def.store.tmp-" + std::to_string(::getppid()) + "-1";
  WriteBytes(dir_ / "stores" / live, 10);  // a writer that is still running
  WriteBytes(dir_ / "stores" / "abc.store", 10);
  WriteBytes(dir_ / "stores" / "notes.txt", 10);
  StoreCache cache(dir_.string());
  size_t swept = 0;
  ASSERT_TRUE(cache.Init(&swept).ok());
  EXPECT_EQ(swept, 1u);
  EXPECT_FALSE(fs::exists(dir_ / "stores" / "abc.store.tmp-4194301-4"));
  EXPECT_TRUE(fs::exists(dir_ / "stores" / live));
  EXPECT_TRUE(fs::exists(dir_ / "stores" / "abc.store"));
  EXPECT_TRUE(fs::exists(dir_ / "stores" / "notes.txt"));
}

TEST_F(StoreCacheTest, BudgetCountsTemporaryFilesAndSparesStoresInUse) {
  fs::create_directories(dir_ / "stores");
  StoreCache cache(dir_.string(), /*budget_bytes=*/3000);
  ASSERT_TRUE(cache.Init().ok());
  WriteBytes(dir_ / "stores" / "old.store", 1000);
  WriteBytes(dir_ / "stores" / "mid.store", 1000);
  WriteBytes(dir_ / "stores" / "new.store", 1000);
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(dir_ / "stores" / "old.store", now - std::chrono::hours(3));
  fs::last_write_time(dir_ / "stores" / "mid.store", now - std::chrono::hours(2));
  fs::last_write_time(dir_ / "stores" / "new.store", now - std::chrono::hours(1));
  EXPECT_EQ(cache.EnforceBudget({}), 0u);  // 3000 fits
  // A writer in flight (1,500 bytes) pushes the folder over the budget.
  WriteBytes(dir_ / "stores" / "x.store.tmp-99-1", 1500);
  EXPECT_EQ(cache.DiskBytes(), 4500u);
  EXPECT_EQ(cache.EnforceBudget({"old"}), 2000u);  // old in use: mid, then new go
  EXPECT_TRUE(fs::exists(dir_ / "stores" / "old.store"));
  EXPECT_FALSE(fs::exists(dir_ / "stores" / "mid.store"));
  EXPECT_FALSE(fs::exists(dir_ / "stores" / "new.store"));
  EXPECT_TRUE(fs::exists(dir_ / "stores" / "x.store.tmp-99-1"));
}

struct MapWriter {
  std::map<std::string, std::string> fields;
  template <typename T>
  MapWriter& Field(std::string_view k, const T& v) {
    if constexpr (std::is_convertible_v<T, std::string>) {
      fields[std::string(k)] = v;
    } else {
      fields[std::string(k)] = std::to_string(v);
    }
    return *this;
  }
};

TEST(FileSummaryTest, OneSetOfKeys) {
  InputFileMeta f;
  f.name = "a.log";
  f.error_count = 3;
  MapWriter w;
  WriteFileSummary(f, w);
  EXPECT_EQ(w.fields["errorCount"], "3");
  EXPECT_EQ(w.fields.count("errors"), 0u);
  EXPECT_EQ(w.fields["name"], "a.log");
}

}  // namespace
}  // namespace plcscope::store
