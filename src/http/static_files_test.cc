#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace plcscope::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("plcscope_static_" + std::to_string(::getpid()));
    fs::create_directories(root_ / "ui" / "assets");
    std::ofstream(root_ / "ui" / "index.html") << "<html>index</html>";
    std::ofstream(root_ / "ui" / "assets" / "app.js") << "console.log(1)";
    std::ofstream(root_ / "secret.txt") << "secret";
    fs::create_symlink(root_ / "secret.txt", root_ / "ui" / "link.txt");
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string ui() const { return (root_ / "ui").string(); }
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesAndFallsBackToIndex) {
  Response r = ServeStatic(ui(), "/assets/app.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(fs::path(r.file_path).filename(), "app.js");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  r = ServeStatic(ui(), "/timing/whatever");
  EXPECT_EQ(fs::path(r.file_path).filename(), "index.html");
  r = ServeStatic(ui(), "/");
  EXPECT_EQ(fs::path(r.file_path).filename(), "index.html");
}

TEST_F(StaticFilesTest, NeverLeavesTheFolder) {
  EXPECT_EQ(ServeStatic(ui(), "/../secret.txt").status, 400);
  EXPECT_EQ(ServeStatic(ui(), "/assets/../../secret.txt").status, 400);
  EXPECT_EQ(ServeStatic(ui(), "/a\\..\\secret.txt").status, 400);
  // A symlink out of the folder is not followed: the SPA index is served.
  Response r = ServeStatic(ui(), "/link.txt");
  EXPECT_EQ(fs::path(r.file_path).filename(), "index.html");
}

TEST_F(StaticFilesTest, NoUiFolderIsA404) {
  EXPECT_EQ(ServeStatic("", "/").status, 404);
  EXPECT_EQ(ServeStatic((root_ / "missing").string(), "/").status, 404);
}

}  // namespace
}  // namespace plcscope::http
