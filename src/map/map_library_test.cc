#include "map/map_library.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/mapped_file.h"

namespace plcscope::map {
namespace {
namespace fs = std::filesystem;

const char* kXml = R"(<ConveyorMap version="1.0"><Object name="B1" unitId="U1"/></ConveyorMap>)";
const char* kYaml = "rules:\n  - {signal: S, op: \"==\", value: 1, color: red}\n";

class MapLibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("plcscope_maplib_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "demo");
    std::ofstream(root_ / "demo" / "layout.xml") << kXml;
    std::ofstream(root_ / "demo" / "rules.yaml") << kYaml;
  }
  void TearDown() override { fs::remove_all(root_); }
  std::unique_ptr<MapLibrary> OpenLib() {
    auto lib = MapLibrary::Open((root_ / "data").string(), (root_ / "demo").string());
    EXPECT_TRUE(lib.ok()) << lib.status().ToString();
    return std::move(lib).value();
  }
  fs::path root_;
};

TEST_F(MapLibraryTest, StoresValidatesAndKeepsStatePerView) {
  auto lib = OpenLib();
  auto bad = lib->AddLayout("bad.xml", "<ConveyorMap>");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), base::StatusCode::kInvalidArgument);
  auto bad_rules = lib->AddRules("bad.yaml", "rules:\n  - signal: A\n    op: \"~\"\n");
  ASSERT_FALSE(bad_rules.ok());
  EXPECT_NE(bad_rules.status().message().find("line 3"), std::string::npos);

  auto xml = lib->AddLayout("plant.xml", kXml);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  auto again = lib->AddLayout("plant.xml", kXml);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, xml->id);
  auto yaml = lib->AddRules("r.yaml", kYaml);
  ASSERT_TRUE(yaml.ok());
  EXPECT_EQ(lib->Recent(MapFileKind::kLayout, 20).size(), 1u);
  EXPECT_EQ(lib->Recent(MapFileKind::kRules, 20).size(), 1u);

  ASSERT_TRUE(lib->Activate("alice", xml->id).ok());
  ASSERT_TRUE(lib->Activate("alice", yaml->id).ok());
  EXPECT_EQ(lib->Activate("alice", "nope").code(), base::StatusCode::kNotFound);
  EXPECT_EQ(lib->View("alice").layout_id, xml->id);
  EXPECT_EQ(lib->View("alice").rules_id, yaml->id);
  // Another view is not changed by alice's choice.
  EXPECT_EQ(lib->View("bob").layout_id, "");

  // Everything survives a reopen.
  lib.reset();
  auto reopened = OpenLib();
  EXPECT_EQ(reopened->View("alice").layout_id, xml->id);
  auto layout = reopened->GetLayout(xml->id);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->objects.at(0).unit_id, "U1");
  auto rules = reopened->GetRules(yaml->id);
  ASSERT_NE(rules, nullptr);
  EXPECT_EQ(rules->rules.size(), 1u);
  EXPECT_EQ(reopened->GetLayout(yaml->id), nullptr);  // wrong kind
}

TEST_F(MapLibraryTest, DefaultsAreSeededFromTheDemoFolderAndLoadable) {
  auto lib = OpenLib();
  EXPECT_EQ(lib->DefaultMaps(), (std::vector<std::string>{"demo_layout"}));
  EXPECT_FALSE(lib->LoadDefault("v", "../demo/layout").ok());
  auto info = lib->LoadDefault("v", "demo_layout");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ViewState v = lib->View("v");
  EXPECT_EQ(v.layout_id, info->id);
  EXPECT_FALSE(v.rules_id.empty());  // the default rules came along
  EXPECT_EQ(lib->GetRules(v.rules_id)->rules.size(), 1u);
}

// A member of the wrong type in index.json threw out of Open and stopped the
// server from starting.
TEST_F(MapLibraryTest, ADamagedIndexDoesNotStopOpening) {
  std::string id;
  {
    auto lib = OpenLib();
    auto info = lib->AddLayout("plant.xml", kXml);
    ASSERT_TRUE(info.ok());
    id = info->id;
    ASSERT_TRUE(lib->Activate("v", id).ok());
  }
  auto text = base::ReadFileToString((root_ / "data" / "map" / "index.json").string());
  ASSERT_TRUE(text.ok());
  // The views keep a number where a string belongs.
  std::string damaged = *text;
  const size_t at = damaged.find("\"layoutId\"");
  ASSERT_NE(at, std::string::npos);
  damaged.replace(at, std::string("\"layoutId\"").size(), "\"layoutId\": 5, \"x\"");
  ASSERT_TRUE(
      base::WriteFileAtomic((root_ / "data" / "map" / "index.json").string(), damaged).ok());
  auto lib = OpenLib();
  ASSERT_NE(lib, nullptr);
  EXPECT_TRUE(lib->Info(id).has_value());  // the files came before the views
}

}  // namespace
}  // namespace plcscope::map
