#include "http/map_routes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "http/params.h"
#include "map/test_store.h"

namespace plcscope::http {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const char* kXml = R"(<ConveyorMap version="1.0">
  <Object name="Belt_01" type="SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt">
    <Size>120, 40</Size><Location>20, 100</Location><UnitId>CNV1</UnitId><Text>Infeed 1</Text>
  </Object>
  <Object name="Belt_02" type="X.WidgetBelt" size="120, 40" location="160, 100" unitId="CNV2"/>
  <Object name="Arrow_01" type="X.WidgetArrow"><FlowDirection>Angle_90</FlowDirection></Object>
</ConveyorMap>)";

const char* kYaml = R"(default_color: "#D3D3D3"
device_to_unit:
  - {pattern: "CNV1-*", unit_id: "CNV1"}
  - {pattern: "L2*", unit_id: "CNV2"}
rules:
  - {signal: I_ERROR, op: "==", value: true, color: "#FF4444", text: ERR, priority: 10}
)";

// Real stores behind the hooks: a PLC session and an MCS session, served by
// id the way the server's session manager does.
class MapRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("plcscope_maproutes_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    auto lib = map::MapLibrary::Open((root_ / "data").string(), "");
    ASSERT_TRUE(lib.ok());
    lib_ = std::move(lib).value();
    stores_["plc"] = ts_.Build({{1000, "CNV1-101", "I_ERROR", "OFF"},
                                {2000, "CNV1-101", "I_ERROR", "ON"},
                                {1000, "CNV1-101", "SPEED", "12"},
                                {3000, "CNV1-101", "I_ERROR", "OFF"}});
    stores_["mcs"] = ts_.Build({{1000, "CAR-1", "_Action", "ADD"},
                                {1000, "CAR-1", "CurrentLocation", "CNV1-101"},
                                {2500, "CAR-1", "CurrentLocation", "L2-7"},
                                {4000, "CAR-1", "_Action", "REMOVE"}});
    MapHooks hooks;
    hooks.acquire = [this](const std::string& id, ApiError* err) {
      auto it = stores_.find(id);
      if (it == stores_.end()) {
        *err = NotFoundError("Unknown session.");
        return std::shared_ptr<const store::Store>();
      }
      return it->second;
    };
    hooks.start_mcs_parse = [this](const std::string& name, const std::string& bytes,
                                   CarrierLogStart* out, ApiError* err) {
      if (bytes.find("[ADD=") == std::string::npos) {
        *err = {400, "NOT_MCS_LOG", "not an mcs log"};
        return false;
      }
      started_.push_back(name);
      out->session_id = "mcs";
      out->file_id = "f1";
      return true;
    };
    hooks.session_status = [this](const std::string& id, std::string* status, uint64_t* n) {
      auto it = stores_.find(id);
      if (it == stores_.end()) return false;
      *status = "complete";
      *n = it->second->row_count();
      return true;
    };
    RegisterMapRoutes(&router_, lib_.get(), hooks);
  }
  void TearDown() override { fs::remove_all(root_); }

  Response Call(const std::string& method, const std::string& path,
                std::multimap<std::string, std::string> query = {}, std::string body = "",
                std::string view = "") {
    Request req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = std::move(body);
    if (!view.empty()) req.headers.emplace("x-view-id", view);
    return router_.Dispatch(req);
  }
  static std::string Upload(const std::string& name, const std::string& data) {
    return json{{"name", name}, {"data", EncodeBase64(data)}}.dump();
  }

  fs::path root_;
  map::TestStore ts_;
  std::map<std::string, std::shared_ptr<const store::Store>> stores_;
  std::vector<std::string> started_;
  std::unique_ptr<map::MapLibrary> lib_;
  Router router_;
};

TEST_F(MapRoutesTest, LayoutAndRulesCompatShapesPerView) {
  Response empty = Call("GET", "/api/map/layout");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(json::parse(empty.body), json::parse(R"({"objects":{}})"));
  EXPECT_EQ(json::parse(Call("GET", "/api/map/rules").body),
            json::parse(R"({"defaultColor":"#D3D3D3","deviceToUnit":[],"rules":[]})"));

  Response bad = Call("POST", "/api/map/upload", {}, Upload("x.xml", "<ConveyorMap>"), "alice");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(json::parse(bad.body)["error"].get<std::string>().find("invalid layout XML"),
            std::string::npos);
  EXPECT_EQ(Call("POST", "/api/map/upload", {}, "{nope", "alice").status, 400);
  EXPECT_EQ(Call("POST", "/api/map/upload", {}, R"({"name":"a","data":"***"})", "alice").status,
            400);

  Response up = Call("POST", "/api/map/upload", {}, Upload("plant.xml", kXml), "alice");
  ASSERT_EQ(up.status, 201) << up.body;
  json info = json::parse(up.body);
  for (const char* k : {"id", "name", "size", "uploadedAt", "status"})
    EXPECT_TRUE(info.contains(k));
  EXPECT_EQ(info["name"], "plant.xml");

  json layout = json::parse(Call("GET", "/api/map/layout", {}, "", "alice").body);
  EXPECT_EQ(layout["version"], "1.0");
  EXPECT_EQ(layout["id"], info["id"]);
  EXPECT_EQ(layout["name"], "plant.xml");
  ASSERT_EQ(layout["objects"].size(), 3u);
  json belt = layout["objects"]["Belt_01"];
  EXPECT_EQ(belt, json::parse(R"({"name":"Belt_01",
    "type":"SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt","text":"Infeed 1","size":"120, 40",
    "location":"20, 100","unitId":"CNV1","lineThick":"","flowDirection":"","foreColor":"",
    "endCap":"","startCap":"","dashStyle":""})"));
  // Bob's view is untouched by Alice's upload.
  EXPECT_EQ(json::parse(Call("GET", "/api/map/layout", {}, "", "bob").body)["objects"].size(), 0u);

  Response rules_bad =
      Call("POST", "/api/map/rules", {}, Upload("r.yaml", "rules:\n  - signal: A\n    op: x\n"));
  EXPECT_EQ(rules_bad.status, 400);
  EXPECT_NE(rules_bad.body.find("line 3"), std::string::npos);
  Response rules = Call("POST", "/api/map/rules", {}, Upload("r.yaml", kYaml), "alice");
  ASSERT_EQ(rules.status, 200) << rules.body;
  json rj = json::parse(rules.body);
  EXPECT_EQ(rj["rulesCount"], 1);
  EXPECT_EQ(rj["deviceCount"], 2);
  json got = json::parse(Call("GET", "/api/map/rules", {}, "", "alice").body);
  EXPECT_EQ(got["deviceToUnit"][0], json::parse(R"({"pattern":"CNV1-*","unitId":"CNV1"})"));
  EXPECT_EQ(got["rules"][0]["value"], true);
  EXPECT_EQ(got["rules"][0]["op"], "==");

  json recent = json::parse(Call("GET", "/api/map/files/recent").body);
  EXPECT_EQ(recent["xmlFiles"].size(), 1u);
  EXPECT_EQ(recent["yamlFiles"].size(), 1u);

  EXPECT_EQ(Call("POST", "/api/map/active", {}, R"({"id":"nope"})", "bob").status, 404);
  Response act = Call("POST", "/api/map/active", {}, json{{"id", info["id"]}}.dump(), "bob");
  EXPECT_EQ(json::parse(act.body), json::parse(R"({"status":"active map updated"})"));
  EXPECT_EQ(json::parse(Call("GET", "/api/map/layout", {}, "", "bob").body)["objects"].size(), 3u);
  EXPECT_EQ(Call("GET", "/api/map/layout", {{"view", "../etc"}}).status, 400);
}

TEST_F(MapRoutesTest, StateGivesColorsAndCarriersAtTheInstant) {
  ASSERT_EQ(Call("POST", "/api/map/upload", {}, Upload("p.xml", kXml), "v").status, 201);
  ASSERT_EQ(Call("POST", "/api/map/rules", {}, Upload("r.yaml", kYaml), "v").status, 200);
  EXPECT_EQ(Call("GET", "/api/map/state", {{"session", "plc"}}, "", "v").status, 400);  // no t
  EXPECT_EQ(Call("GET", "/api/map/state", {{"session", "zzz"}, {"t", "1"}}, "", "v").status, 404);

  // No carrier log yet: the PLC session has no carriers.
  json s1 =
      json::parse(Call("GET", "/api/map/state", {{"session", "plc"}, {"t", "1500"}}, "", "v").body);
  EXPECT_EQ(s1["units"].size(), 0u);
  EXPECT_EQ(s1["carriers"].size(), 0u);
  json s2 =
      json::parse(Call("GET", "/api/map/state", {{"session", "plc"}, {"t", "2000"}}, "", "v").body);
  ASSERT_EQ(s2["units"].size(), 1u);
  EXPECT_EQ(s2["units"][0]["unitId"], "CNV1");
  EXPECT_EQ(s2["units"][0]["color"], "#FF4444");
  EXPECT_EQ(s2["units"][0]["signal"], "CNV1-101::I_ERROR");

  EXPECT_EQ(Call("POST", "/api/map/carrier-log", {}, Upload("c.log", "hello"), "v").status, 400);
  Response up = Call("POST", "/api/map/carrier-log", {},
                     Upload("c.log", "2024-01-15 10:30:45.123 [ADD=CMD001, CARR001]"), "v");
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(json::parse(up.body),
            json::parse(R"({"sessionId":"mcs","fileId":"f1","fileName":"c.log"})"));
  json st = json::parse(Call("GET", "/api/map/carrier-log", {}, "", "v").body);
  EXPECT_EQ(st["loaded"], true);
  EXPECT_EQ(st["entryCount"], 4);
  EXPECT_EQ(json::parse(Call("GET", "/api/map/carrier-log", {}, "", "other").body),
            json::parse(R"({"loaded":false})"));

  auto carriers_at = [&](const char* t) {
    json s =
        json::parse(Call("GET", "/api/map/state", {{"session", "plc"}, {"t", t}}, "", "v").body);
    std::string out;
    for (const auto& c : s["carriers"]) {
      out += c["carrierId"].get<std::string>() + "@" + c["unitId"].get<std::string>() + " ";
    }
    return out;
  };
  EXPECT_EQ(carriers_at("999"), "");
  EXPECT_EQ(carriers_at("1000"), "CAR-1@CNV1 ");
  EXPECT_EQ(carriers_at("2500"), "CAR-1@CNV2 ");
  EXPECT_EQ(carriers_at("4000"), "");

  json changes = json::parse(
      Call("GET", "/api/map/carriers/changes", {{"start", "1000"}, {"end", "5000"}}, "", "v").body);
  EXPECT_EQ(changes["carriers"].size(), 1u);
  EXPECT_EQ(changes["changes"]["t"], json::parse("[2500, 4000]"));
  EXPECT_EQ(changes["changes"]["unitId"], json::parse(R"(["CNV2", null])"));
  EXPECT_EQ(changes["truncated"], false);
  EXPECT_EQ(
      Call("GET", "/api/map/carriers/changes", {{"start", "5"}, {"end", "1"}}, "", "v").status,
      400);

  json entries = json::parse(Call("GET", "/api/map/carrier-log/entries", {}, "", "v").body);
  EXPECT_EQ(entries["total"], 2);
  EXPECT_EQ(entries["entries"][0]["carrierId"], "CAR-1");
  EXPECT_EQ(entries["entries"][0]["unitId"], "CNV1");
  EXPECT_EQ(entries["entries"][0]["timestamp"], "1970-01-01T00:00:01.000Z");

  json unit = json::parse(
      Call("GET", "/api/map/unit", {{"session", "plc"}, {"t", "1000"}, {"unitId", "CNV1"}}, "", "v")
          .body);
  ASSERT_EQ(unit["devices"].size(), 1u);
  EXPECT_EQ(unit["devices"][0]["id"], "CNV1-101");
  EXPECT_EQ(unit["devices"][0]["signals"].size(), 2u);
  EXPECT_EQ(unit["carriers"].size(), 1u);
}

TEST_F(MapRoutesTest, DefaultsListAndLoad) {
  fs::create_directories(root_ / "data" / "defaults" / "maps");
  std::ofstream(root_ / "data" / "defaults" / "maps" / "line1.xml") << kXml;
  json d = json::parse(Call("GET", "/api/map/defaults").body);
  EXPECT_EQ(d, json::parse(R"({"maps":[{"id":"line1","name":"line1"}]})"));
  EXPECT_EQ(Call("POST", "/api/map/defaults/load", {}, R"({"name":"nope"})").status, 404);
  Response r = Call("POST", "/api/map/defaults/load", {}, R"({"name":"line1"})", "w");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["objects"].size(), 3u);
  EXPECT_EQ(json::parse(Call("GET", "/api/map/layout", {}, "", "w").body)["objects"].size(), 3u);
}

}  // namespace
}  // namespace plcscope::http
