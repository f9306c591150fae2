#include "base/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

namespace plcscope::base {
namespace {

namespace fs = std::filesystem;

class MappedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/plcscope-base-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(MappedFileTest, ConcurrentAtomicWritersNeverCollide) {
  const std::string path = dir_ + "/registry.json";
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 16; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (!WriteFileAtomic(path, std::string(1000, static_cast<char>('a' + t))).ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  auto text = ReadFileToString(path);
  ASSERT_TRUE(text.ok());
  ASSERT_EQ(text->size(), 1000u);
  EXPECT_EQ(*text, std::string(1000, (*text)[0]));
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);  // no temporary file left behind
}

TEST_F(MappedFileTest, TempNamesAreRecognised) {
  EXPECT_TRUE(IsTempName(fs::path(TempNameFor(dir_ + "/x.store")).filename().string()));
  EXPECT_FALSE(IsTempName("x.store"));
  EXPECT_FALSE(IsTempName("notes.tmp-abc"));
  EXPECT_FALSE(IsTempName("a.tmp-12-"));
}

TEST_F(MappedFileTest, SetAsideKeepsTheDamagedBytes) {
  const std::string path = dir_ + "/files.json";
  ASSERT_TRUE(WriteFileAtomic(path, "{broken").ok());
  auto moved = SetAsideDamaged(path);
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(fs::exists(path));
  EXPECT_NE(moved->find("files.json.damaged-"), std::string::npos);
  EXPECT_EQ(*ReadFileToString(*moved), "{broken");
  ASSERT_TRUE(WriteFileAtomic(path, "{again").ok());
  auto second = SetAsideDamaged(path);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *moved);
}

}  // namespace
}  // namespace plcscope::base
