#include "http/file_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/utf8.h"

namespace plcscope::http {
namespace {

namespace fs = std::filesystem;

class FileRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plcscope_registry_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "files");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string data() const { return dir_.string(); }
  void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  // An upload's bytes at files/<id>.log.
  void Upload(const std::string& id, const std::string& bytes) {
    Write(dir_ / "files" / (id + ".log"), bytes);
  }
  int Damaged() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) {
      n += e.path().filename().string().rfind("files.json.damaged-", 0) == 0;
    }
    return n;
  }
  std::unique_ptr<FileRegistry> Open() {
    auto r = FileRegistry::Open(data());
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : nullptr;
  }

  fs::path dir_;
};

TEST_F(FileRegistryTest, SurvivesARestart) {
  Upload("00000000000000aa", "hello");
  {
    auto reg = Open();
    FileRecord r;
    r.id = "00000000000000aa";
    r.name = "a.log";
    r.size = 5;
    r.path = data() + "/files/00000000000000aa.log";
    r.hash = 42;
    r.has_hash = true;
    ASSERT_TRUE(reg->Add(r).ok());
  }
  auto reg = Open();
  auto r = reg->Get("00000000000000aa");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "a.log");
  EXPECT_EQ(r->hash, 42u);
  EXPECT_TRUE(r->has_hash);
  EXPECT_EQ(Damaged(), 0);
}

TEST_F(FileRegistryTest, GarbageIsSetAsideAndTheListRebuiltFromDisk) {
  Upload("0123456789abcdef", "first file\n");
  Upload("fedcba9876543210", "second\n");
  Write(dir_ / "files" / "notes.txt", "not an upload");
  Write(dir_ / "files.json", "\x01\x02{[ this is not json");
  auto reg = Open();
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->size(), 2u);
  auto r = reg->Get("0123456789abcdef");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "0123456789abcdef.log");
  EXPECT_EQ(r->size, 11u);
  EXPECT_FALSE(r->has_hash);
  EXPECT_EQ(Damaged(), 1);
  // The rebuilt list was written and loads cleanly.
  auto again = Open();
  EXPECT_EQ(again->size(), 2u);
  EXPECT_EQ(Damaged(), 1);
}

TEST_F(FileRegistryTest, NotAnArrayIsDamaged) {
  Upload("0123456789abcdef", "x");
  Write(dir_ / "files.json", R"({"id": "0123456789abcdef"})");
  auto reg = Open();
  EXPECT_EQ(reg->size(), 1u);
  EXPECT_EQ(Damaged(), 1);
}

TEST_F(FileRegistryTest, InvalidEntriesAreDroppedAndTheRestKept) {
  Upload("00000000000000aa", "good");
  Upload("00000000000000bb", "dup");
  Write(dir_ / "outside.log", "secret");
  const std::string files = data() + "/files/";
  nlohmann::json j = nlohmann::json::array({
      {{"id", "00000000000000aa"},
       {"name", "good.log"},
       {"size", 4},
       {"path", files + "00000000000000aa.log"}},
      {{"id", "00000000000000bb"},
       {"name", "one"},
       {"size", 3},
       {"path", files + "00000000000000bb.log"}},
      {{"id", "00000000000000bb"},
       {"name", "two"},
       {"size", 3},
       {"path", files + "00000000000000bb.log"}},
      {{"id", "00000000000000cc"},
       {"name", "escape"},
       {"size", 6},
       {"path", data() + "/outside.log"}},
      {{"id", "00000000000000dd"},
       {"name", "dots"},
       {"size", 6},
       {"path", files + "../outside.log"}},
      {{"id", "../../etc/passwd"}, {"name", "bad id"}, {"size", 1}, {"path", "/etc/passwd"}},
      {{"id", "00000000000000ee"},
       {"name", 12},
       {"size", 1},
       {"path", files + "00000000000000ee.log"}},
      {{"id", "00000000000000ff"},
       {"name", "neg"},
       {"size", -1},
       {"path", files + "00000000000000ff.log"}},
      "not an object",
  });
  Write(dir_ / "files.json", j.dump());
  auto reg = Open();
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->size(), 2u);
  ASSERT_TRUE(reg->Get("00000000000000aa"));
  EXPECT_EQ(reg->Get("00000000000000aa")->name, "good.log");
  ASSERT_TRUE(reg->Get("00000000000000bb"));
  EXPECT_EQ(reg->Get("00000000000000bb")->name, "one");  // the first of the duplicates
  EXPECT_FALSE(reg->Get("00000000000000cc"));
  EXPECT_FALSE(reg->Get("00000000000000dd"));
  EXPECT_EQ(Damaged(), 1);  // the original is kept for a human
  EXPECT_TRUE(fs::exists(dir_ / "outside.log"));
}

TEST_F(FileRegistryTest, OrphanedUploadsAreAdoptedAndLinksIgnored) {
  Upload("00000000000000aa", "orphan");
  Write(dir_ / "secret", "secret");
  fs::create_symlink(dir_ / "secret", dir_ / "files" / "00000000000000bb.log");
  Write(dir_ / "files" / "00000000000000cc.log.tmp", "half");
  Write(dir_ / "files.json", "[]");
  auto reg = Open();
  EXPECT_EQ(reg->size(), 1u);
  EXPECT_TRUE(reg->Get("00000000000000aa"));
  EXPECT_FALSE(reg->Get("00000000000000bb"));
  EXPECT_FALSE(fs::exists(dir_ / "files" / "00000000000000cc.log.tmp"));
  EXPECT_EQ(Damaged(), 0);
}

TEST_F(FileRegistryTest, ChangedSizeIsBelievedAndRehashed) {
  Upload("00000000000000aa", "now longer");
  const std::string files = data() + "/files/";
  Write(dir_ / "files.json", nlohmann::json::array({{{"id", "00000000000000aa"},
                                                     {"name", "a"},
                                                     {"size", 3},
                                                     {"hasHash", true},
                                                     {"hash", 7},
                                                     {"path", files + "00000000000000aa.log"}}})
                                 .dump());
  auto reg = Open();
  auto r = reg->Get("00000000000000aa");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size, 10u);
  EXPECT_FALSE(r->has_hash);
}

TEST_F(FileRegistryTest, NamesAreValidUtf8AndBounded) {
  EXPECT_EQ(CleanDisplayName("St\xf6rung.log"), "St\xEF\xBF\xBDrung.log");
  EXPECT_EQ(CleanDisplayName("a\x01\x1f\x7f b\n"), "a b");
  EXPECT_EQ(CleanDisplayName("\x01\x02"), "upload");
  std::string long_name(254, 'a');
  long_name += "\xc3\xa4\xc3\xa4";  // "ää" across the 255-byte limit
  const std::string clean = CleanDisplayName(long_name);
  EXPECT_EQ(clean.size(), 254u);
  EXPECT_TRUE(base::IsValidUtf8(clean));
  // A damaged name in the registry is repaired on load.
  Upload("00000000000000aa", "x");
  Write(dir_ / "files.json",
        "[{\"id\":\"00000000000000aa\",\"name\":\"\xff\xfe.log\",\"size\":1,\"path\":\"" + data() +
            "/files/00000000000000aa.log\"}]");
  auto reg = Open();
  ASSERT_TRUE(reg);
  // Invalid UTF-8 inside the JSON text makes the whole file unparsable: it is
  // set aside and the upload recovered under its id.
  auto r = reg->Get("00000000000000aa");
  ASSERT_TRUE(r);
  EXPECT_TRUE(base::IsValidUtf8(r->name));
}

}  // namespace
}  // namespace plcscope::http
