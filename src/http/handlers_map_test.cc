// The map routes (handlers_map.cc, handlers_map_playback.cc) through a real
// Api: compat shapes, per-view state, playback over parsed sessions, bad and
// deep bodies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/base64.h"
#include "base/mapped_file.h"
#include "http/api.h"
#include "http/params.h"

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

// A real Api over a temporary data directory: the map routes as the server
// registers them, with real sessions parsed from real logs.
class MapRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("plcscope_maproutes_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    ServerConfig config;
    config.data_dir = (root_ / "data").string();
    config.quiet = true;
    auto api = Api::Create(config);
    ASSERT_TRUE(api.ok()) << api.status().ToString();
    api_ = std::move(api).value();
  }
  void TearDown() override {
    api_.reset();
    fs::remove_all(root_);
  }

  // Registers `text` as a file, parses it and waits; returns the session id.
  std::string Parse(const std::string& name, const std::string& text) {
    const std::string path = (root_ / name).string();
    EXPECT_TRUE(base::WriteFileAtomic(path, text).ok());
    FileRecord r;
    r.id = NewId();
    r.name = name;
    r.size = text.size();
    r.path = path;
    r.external = true;
    EXPECT_TRUE(api_->files().Add(r).ok());
    ApiError err;
    auto s = api_->sessions().Start({r.id}, "", &err);
    EXPECT_TRUE(s) << err.message;
    if (!s) return "";
    WaitParsed(s->id);
    return s->id;
  }
  // Waits until the session's store can be acquired (its status may say
  // "complete" a moment before).
  void WaitParsed(const std::string& id) {
    for (int i = 0; i < 1000; ++i) {
      auto s = api_->sessions().Find(id);
      ASSERT_TRUE(s);
      {
        std::lock_guard<std::mutex> lock(s->mu);
        ASSERT_NE(s->status, "error") << s->ToJsonLocked();
      }
      ApiError err;
      if (api_->sessions().Acquire(id, &err)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "session " << id << " did not finish parsing";
  }

  Response Call(const std::string& method, const std::string& path,
                std::multimap<std::string, std::string> query = {}, std::string body = "",
                std::string view = "") {
    Request req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = std::move(body);
    if (!view.empty()) req.headers.emplace("x-view-id", view);
    return api_->router().Dispatch(req);
  }
  static std::string Upload(const std::string& name, const std::string& data) {
    return json{{"name", name}, {"data", base::EncodeBase64(data)}}.dump();
  }

  fs::path root_;
  std::unique_ptr<Api> api_;
};

// 2025-09-22 13:00:00.000 UTC in ms, the start of the test logs.
const int64_t kT0 = 1758546000000;
std::string Ms(int64_t offset) { return std::to_string(kT0 + offset); }

const char* kPlcLog =
    "2025-09-22 13:00:01.000 [Info] [CNV1-101] [INPUT:I_ERROR] (Boolean) : OFF\n"
    "2025-09-22 13:00:01.000 [Info] [CNV1-101] [INPUT:SPEED] (Integer) : 12\n"
    "2025-09-22 13:00:02.000 [Info] [CNV1-101] [INPUT:I_ERROR] (Boolean) : ON\n"
    "2025-09-22 13:00:03.000 [Info] [CNV1-101] [INPUT:I_ERROR] (Boolean) : OFF\n";

const char* kMcsLog =
    "2025-09-22 13:00:01.000 [ADD=CMD001, CAR-1] [CurrentLocation=CNV1-101]\n"
    "2025-09-22 13:00:02.500 [UPDATE=CMD001, CAR-1] [CurrentLocation=L2-7]\n"
    "2025-09-22 13:00:04.000 [REMOVE=CMD001, CAR-1]\n";

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
  // The map routes answer bad JSON like every other route (they said BAD_JSON).
  Response nope = Call("POST", "/api/map/upload", {}, "{nope", "alice");
  EXPECT_EQ(nope.status, 400);
  EXPECT_EQ(json::parse(nope.body)["code"], "MALFORMED_JSON");
  EXPECT_EQ(json::parse(Call("POST", "/api/map/active", {}, "[1]").body)["code"], "MALFORMED_JSON");
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
  const std::string plc = Parse("plc.log", kPlcLog);
  ASSERT_FALSE(plc.empty());
  ASSERT_EQ(Call("POST", "/api/map/upload", {}, Upload("p.xml", kXml), "v").status, 201);
  ASSERT_EQ(Call("POST", "/api/map/rules", {}, Upload("r.yaml", kYaml), "v").status, 200);
  EXPECT_EQ(Call("GET", "/api/map/state", {{"session", plc}}, "", "v").status, 400);  // no t
  EXPECT_EQ(Call("GET", "/api/map/state", {{"session", "zzz"}, {"t", "1"}}, "", "v").status, 404);

  // No carrier log yet: the PLC session has no carriers.
  auto state_at = [&](int64_t offset) {
    return json::parse(
        Call("GET", "/api/map/state", {{"session", plc}, {"t", Ms(offset)}}, "", "v").body);
  };
  json s1 = state_at(1500);
  EXPECT_EQ(s1["units"].size(), 0u);
  EXPECT_EQ(s1["carriers"].size(), 0u);
  json s2 = state_at(2000);
  ASSERT_EQ(s2["units"].size(), 1u) << s2;
  EXPECT_EQ(s2["units"][0]["unitId"], "CNV1");
  EXPECT_EQ(s2["units"][0]["color"], "#FF4444");
  EXPECT_EQ(s2["units"][0]["signal"], "CNV1-101::I_ERROR");

  Response hello = Call("POST", "/api/map/carrier-log", {}, Upload("c.log", "hello"), "v");
  EXPECT_EQ(hello.status, 400);
  EXPECT_EQ(json::parse(hello.body)["code"], "NOT_MCS_LOG");
  Response up = Call("POST", "/api/map/carrier-log", {}, Upload("c.log", kMcsLog), "v");
  ASSERT_EQ(up.status, 201) << up.body;
  json started = json::parse(up.body);
  EXPECT_EQ(started["fileName"], "c.log");
  const std::string mcs = started["sessionId"].get<std::string>();
  auto file = api_->files().Get(started["fileId"].get<std::string>());
  ASSERT_TRUE(file);
  auto stored = base::ReadFileToString(file->path);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, kMcsLog);
  WaitParsed(mcs);
  json st = json::parse(Call("GET", "/api/map/carrier-log", {}, "", "v").body);
  EXPECT_EQ(st["loaded"], true);
  EXPECT_EQ(st["status"], "complete");
  EXPECT_EQ(st["sessionId"], mcs);
  EXPECT_GT(st["entryCount"].get<int>(), 0);
  EXPECT_EQ(json::parse(Call("GET", "/api/map/carrier-log", {}, "", "other").body),
            json::parse(R"({"loaded":false})"));

  auto carriers_at = [&](int64_t offset) {
    std::string out;
    const json s = state_at(offset);
    for (const auto& c : s["carriers"]) {
      out += c["carrierId"].get<std::string>() + "@" + c["unitId"].get<std::string>() + " ";
    }
    return out;
  };
  EXPECT_EQ(carriers_at(999), "");
  EXPECT_EQ(carriers_at(1000), "CAR-1@CNV1 ");
  EXPECT_EQ(carriers_at(2500), "CAR-1@CNV2 ");
  EXPECT_EQ(carriers_at(4000), "");

  json changes = json::parse(
      Call("GET", "/api/map/carriers/changes", {{"start", Ms(1000)}, {"end", Ms(5000)}}, "", "v")
          .body);
  EXPECT_EQ(changes["carriers"].size(), 1u);
  EXPECT_EQ(changes["changes"]["t"], json::array({kT0 + 2500, kT0 + 4000}));
  EXPECT_EQ(changes["changes"]["unitId"], json::parse(R"(["CNV2", null])"));
  EXPECT_EQ(changes["truncated"], false);
  EXPECT_EQ(
      Call("GET", "/api/map/carriers/changes", {{"start", "5"}, {"end", "1"}}, "", "v").status,
      400);

  json entries = json::parse(Call("GET", "/api/map/carrier-log/entries", {}, "", "v").body);
  // `total` counts the carrier session's entries (compat), `count` the moves.
  EXPECT_EQ(entries["total"], st["entryCount"]);
  EXPECT_EQ(entries["count"], 2);
  EXPECT_EQ(entries["entries"][0]["carrierId"], "CAR-1");
  EXPECT_EQ(entries["entries"][0]["unitId"], "CNV1");
  EXPECT_EQ(entries["entries"][0]["timestamp"], kT0 + 1000);

  json unit = json::parse(
      Call("GET", "/api/map/unit", {{"session", plc}, {"t", Ms(1000)}, {"unitId", "CNV1"}}, "", "v")
          .body);
  ASSERT_EQ(unit["devices"].size(), 1u) << unit;
  EXPECT_EQ(unit["devices"][0]["id"], "CNV1-101");
  EXPECT_EQ(unit["devices"][0]["signals"].size(), 2u);
  EXPECT_EQ(unit["carriers"].size(), 1u);
}

// Untrusted bodies: deep JSON, deep XML, deep YAML are 400s naming the
// limit; a label keeps its trailing space.
TEST_F(MapRoutesTest, DeepBodiesAreRefusedNamingTheLimit) {
  const std::string deep_json = R"({"name":"x.xml","data":)" + std::string(100000, '[') + "}";
  for (const char* path : {"/api/map/upload", "/api/map/rules", "/api/map/active",
                           "/api/map/defaults/load", "/api/map/carrier-log"}) {
    Response r = Call("POST", path, {}, deep_json);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(json::parse(r.body)["error"], "The body is nested deeper than 64 levels.") << path;
  }
  std::string xml = "<ConveyorMap>";
  for (int i = 0; i < 12000; ++i) xml += "<Object>";
  for (int i = 0; i < 12000; ++i) xml += "</Object>";
  xml += "</ConveyorMap>";
  Response r = Call("POST", "/api/map/upload", {}, Upload("deep.xml", xml));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("nested deeper than 64 levels"), std::string::npos) << r.body;
  r = Call("POST", "/api/map/rules", {}, Upload("deep.yaml", "rules: " + std::string(100000, '[')));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("nested deeper than 64 levels"), std::string::npos) << r.body;
  EXPECT_EQ(json::parse(Call("GET", "/api/map/files/recent").body)["xmlFiles"].size(), 0u);

  r = Call("POST", "/api/map/upload", {},
           Upload("bcr.xml",
                  "<ConveyorMap><Object name=\"L1\"><Text>BCR </Text></Object>"
                  "<Object name=\"L2\" text=\"\xff\xfe\"/></ConveyorMap>"));
  ASSERT_EQ(r.status, 201) << r.body;
  json layout = json::parse(Call("GET", "/api/map/layout").body);
  EXPECT_EQ(layout["objects"]["L1"]["text"], "BCR ");
  EXPECT_EQ(layout["objects"]["L2"]["text"], "\xEF\xBF\xBD\xEF\xBF\xBD");  // repaired
}

TEST_F(MapRoutesTest, DefaultsListAndLoad) {
  ASSERT_TRUE(
      base::WriteFileAtomic((root_ / "data" / "defaults" / "maps" / "line1.xml").string(), kXml)
          .ok());
  json d = json::parse(Call("GET", "/api/map/defaults").body);
  EXPECT_EQ(d, json::parse(R"({"maps":[{"id":"line1","name":"line1"}]})"));
  EXPECT_EQ(Call("POST", "/api/map/defaults/load", {}, R"({"name":"nope"})").status, 404);
  Response r = Call("POST", "/api/map/defaults/load", {}, R"({"name":"line1"})", "w");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["objects"].size(), 3u);
  EXPECT_EQ(json::parse(Call("GET", "/api/map/layout", {}, "", "w").body)["objects"].size(), 3u);
}

// The demo opened at startup brings its carrier log (demo_carriers.mcs.log
// next to demo.log): /map/defaults names both sessions, and a view that takes
// the carrier session as its carrier log shows that file's name.
TEST(MapDemoTest, TheDemoCarrierLogOpensWithTheDemoAndIsNamed) {
  const fs::path root =
      fs::temp_directory_path() / ("plcscope_mapdemo_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "demo");
  ASSERT_TRUE(base::WriteFileAtomic((root / "demo" / "demo.log").string(), kPlcLog).ok());
  ASSERT_TRUE(
      base::WriteFileAtomic((root / "demo" / "demo_carriers.mcs.log").string(), kMcsLog).ok());
  ServerConfig config;
  config.data_dir = (root / "data").string();
  config.demo_log = (root / "demo" / "demo.log").string();
  config.quiet = true;
  auto created = Api::Create(config);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<Api> api = std::move(created).value();
  const std::string startup = api->OpenStartupFiles();
  ASSERT_FALSE(startup.empty());
  auto call = [&](const std::string& method, const std::string& path, std::string body) {
    Request req;
    req.method = method;
    req.path = path;
    req.body = std::move(body);
    req.headers.emplace("x-view-id", "d");
    return api->router().Dispatch(req);
  };
  json d = json::parse(call("GET", "/api/map/defaults", "").body);
  ASSERT_TRUE(d.contains("demo")) << d;
  EXPECT_EQ(d["demo"]["sessionId"], startup);
  const std::string carriers = d["demo"]["carrierSessionId"];
  EXPECT_NE(carriers, startup);
  Response use = call("POST", "/api/map/carrier-log", json{{"sessionId", carriers}}.dump());
  ASSERT_EQ(use.status, 201) << use.body;
  EXPECT_EQ(json::parse(use.body)["fileName"], "demo_carriers.mcs.log");
  json status = json::parse(call("GET", "/api/map/carrier-log", "").body);
  EXPECT_EQ(status["fileName"], "demo_carriers.mcs.log");
  EXPECT_EQ(status["sessionId"], carriers);
  api.reset();
  fs::remove_all(root);
}

}  // namespace
}  // namespace plcscope::http
