// Attack: hostile request bodies against a real server. Recursive parsers
// (JSON bodies, layout XML, rules YAML) have depth limits and answer 400
// naming them; invalid UTF-8 in names and values never breaks the JSON that
// comes back; the server stays up throughout (docs/http.md "Errors",
// docs/map.md).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "base/base64.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

constexpr const char* kTooDeep = "The body is nested deeper than 64 levels.";

// `levels` nested arrays as the value of member "v" of an object.
std::string DeepJson(int levels) {
  return "{\"v\":" + std::string(levels, '[') + std::string(levels, ']') + "}";
}

std::string DeepLayout(int levels) {
  std::string xml = "<ConveyorMap>";
  for (int i = 0; i < levels; ++i) xml += "<Object>";
  for (int i = 0; i < levels; ++i) xml += "</Object>";
  return xml + "</ConveyorMap>";
}

std::string Named(const std::string& name, const std::string& data) {
  return json{{"name", name}, {"data", base::EncodeBase64(data)}}.dump();
}

class BodiesAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    ASSERT_TRUE(server_->Start());
    auto cli = server_->Client();
    json f = UploadRaw(*cli, "t.log", MakePlcDebugLog(2000));
    auto r = cli->Post("/api/parse", json{{"fileId", f["id"]}}.dump(), "application/json");
    ASSERT_TRUE(r);
    session_ = new std::string(json::parse(r->body)["id"]);
    ASSERT_EQ(WaitParsed(*cli, *session_)["status"], "complete");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete session_;
  }
  static std::string P(const std::string& tail) { return "/api/parse/" + *session_ + tail; }

  // The server still answers a health probe.
  static void ExpectAlive() {
    auto r = server_->Client()->Get("/api/health");
    ASSERT_TRUE(r) << "the server is gone: " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }

  // A 4xx JSON error whose sentence contains `mention`.
  static void ExpectRefused(const httplib::Result& r, const std::string& code,
                            const std::string& mention, const std::string& what) {
    ASSERT_TRUE(r) << what << ": " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 400) << what << ": " << r->body.substr(0, 300);
    json j = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << what << ": " << r->body.substr(0, 300);
    EXPECT_EQ(j["code"], code) << what;
    EXPECT_NE(j["error"].get<std::string>().find(mention), std::string::npos)
        << what << ": " << j["error"];
  }

  static ServerProcess* server_;
  static std::string* session_;
};
ServerProcess* BodiesAttack::server_ = nullptr;
std::string* BodiesAttack::session_ = nullptr;

// Was SIGSEGV: recursive flattening of an 82 KB layout nested 12,000 levels.
TEST_F(BodiesAttack, DeepLayoutXmlIs400) {
  auto cli = server_->Client();
  const std::string xml = DeepLayout(12000);
  ASSERT_GT(xml.size(), 80000u);
  ExpectRefused(cli->Post("/api/map/upload", Named("deep.xml", xml), "application/json"),
                "BAD_REQUEST", "nested deeper than 64 levels", "layout");
  ExpectAlive();
  auto recent = Json(cli->Get("/api/map/files/recent"));
  EXPECT_EQ(recent["xmlFiles"].size(), 0u);  // nothing stored
}

// Was SIGSEGV: a transitions rule whose value nests 100,000 levels (195 KB).
TEST_F(BodiesAttack, DeepTransitionsValueIs400) {
  auto cli = server_->Client();
  const std::string body = R"({"rules":[{"name":"r","type":"value_populated","start":)"
                           R"({"signal":"INPUT2:I_MOVE_IN","value":)" +
                           std::string(100000, '[') + std::string(100000, ']') + "}}]}";
  ASSERT_GT(body.size(), 195000u);
  ExpectRefused(cli->Post(P("/transitions"), body, "application/json"), "MALFORMED_JSON", kTooDeep,
                "transitions");
  ExpectAlive();
}

TEST_F(BodiesAttack, DeepJsonIntoEveryJsonRouteIs400) {
  auto cli = server_->Client();
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/parse"},
      {"POST", P("/waveform")},
      {"POST", P("/transitions")},
      {"POST", P("/chunk")},
      {"POST", P("/chunk-boundaries")},
      {"POST", "/api/files/upload/chunk"},
      {"POST", "/api/files/upload/complete"},
      {"PUT", "/api/files/nope"},
      {"POST", "/api/map/upload"},
      {"POST", "/api/map/active"},
      {"POST", "/api/map/rules"},
      {"POST", "/api/map/defaults/load"},
      {"POST", "/api/map/carrier-log"},
  };
  for (int levels : {65, 100000}) {
    const std::string body = DeepJson(levels);
    for (const auto& [method, path] : routes) {
      const std::string what = method + " " + path + " (" + std::to_string(levels) + " levels)";
      auto r = method == "PUT" ? cli->Put(path, body, "application/json")
                               : cli->Post(path, body, "application/json");
      ExpectRefused(r, "MALFORMED_JSON", kTooDeep, what);
    }
    ExpectAlive();
  }
  // 64 levels are still JSON (the routes then judge the members).
  auto r = cli->Post("/api/map/active", DeepJson(63), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["code"], "BAD_PARAMETER");
}

TEST_F(BodiesAttack, DeepAndExplosiveRulesYamlAre400) {
  auto cli = server_->Client();
  ExpectRefused(
      cli->Post("/api/map/rules", Named("flow.yaml", "rules: " + std::string(100000, '[')),
                "application/json"),
      "BAD_REQUEST", "nested deeper than 64 levels", "flow nesting");
  std::string block = "rules:\n";
  for (int i = 0; i < 50000; ++i) block += "- ";
  ExpectRefused(cli->Post("/api/map/rules", Named("block.yaml", block + "x\n"), "application/json"),
                "BAD_REQUEST", "nested deeper than", "block nesting");
  std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) laughs += (k ? ", *a" : "*a") + std::to_string(i - 1);
    laughs += "]\n";
  }
  ExpectRefused(cli->Post("/api/map/rules", Named("laughs.yaml", laughs + "rules: *a9\n"),
                          "application/json"),
                "BAD_REQUEST", "aliases repeat too much", "billion laughs");
  ExpectRefused(
      cli->Post("/api/map/rules", Named("cycle.yaml", "rules: &l [*l]\n"), "application/json"),
      "BAD_REQUEST", "line", "alias cycle");
  ExpectAlive();
}

// Invalid UTF-8 in names and values: a 2xx or 4xx, and JSON that parses.
TEST_F(BodiesAttack, InvalidUtf8InBodiesNeverBreaksTheJson) {
  auto cli = server_->Client();
  const std::string bad = "St\xF6rung \xE2\x82 \xFF\xFE\xC0\xAF";
  struct Case {
    std::string method, path, body;
  };
  const std::vector<Case> cases = {
      {"POST", "/api/parse", "{\"fileId\":\"" + bad + "\"}"},
      {"POST", P("/transitions"),
       "{\"rules\":[{\"name\":\"" + bad + "\",\"start\":{\"signal\":\"" + bad + "\",\"value\":\"" +
           bad + "\"}}]}"},
      {"POST", P("/waveform"), "{\"signals\":[\"" + bad + "\"]}"},
      {"POST", "/api/files/upload/chunk", "{\"uploadId\":\"" + bad + "\"}"},
      {"POST", "/api/map/active", "{\"id\":\"" + bad + "\"}"},
      {"POST", "/api/map/defaults/load", "{\"name\":\"" + bad + "\"}"},
      // Valid JSON carrying invalid bytes inside the decoded file.
      {"POST", "/api/map/upload",
       Named("l.xml", "<ConveyorMap><Object name=\"" + bad + "\" unitId=\"" + bad + "\"><Text>" +
                          bad + "</Text></Object></ConveyorMap>")},
      {"POST", "/api/map/rules",
       Named("r.yaml", "rules:\n  - {signal: \"" + bad + "\", value: 1, text: \"" + bad + "\"}\n")},
      {"POST", "/api/map/carrier-log",
       Named("c.log",
             "2025-09-22 13:00:00.000 [ADD=C1, " + bad + "] [CurrentLocation=" + bad + "]\n")},
  };
  for (const Case& c : cases) {
    auto r = c.method == "PUT" ? cli->Put(c.path, c.body, "application/json")
                               : cli->Post(c.path, c.body, "application/json");
    ASSERT_TRUE(r) << c.path << ": " << httplib::to_string(r.error());
    EXPECT_GE(r->status, 200) << c.path;
    EXPECT_LT(r->status, 500) << c.path << ": " << r->body.substr(0, 300);
    EXPECT_TRUE(json::accept(r->body)) << c.path << ": not valid UTF-8 JSON";
  }
  for (const char* path :
       {"/api/map/layout", "/api/map/rules", "/api/map/files/recent", "/api/map/carrier-log"}) {
    auto r = cli->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_TRUE(json::accept(r->body)) << path << ": not valid UTF-8 JSON";
  }
  ExpectAlive();
}

// Issue 13 item 6: the old backend kept a label as written.
TEST_F(BodiesAttack, LayoutTextKeepsItsSpaces) {
  auto cli = server_->Client();
  auto r = cli->Post("/api/map/upload", httplib::Headers{{"X-View-Id", "bcr"}},
                     Named("bcr.xml",
                           "<ConveyorMap><Object name=\"Label_BCR\" type=\"X.WidgetLabel\">"
                           "<Text>BCR </Text></Object></ConveyorMap>"),
                     "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto got = cli->Get("/api/map/layout", httplib::Headers{{"X-View-Id", "bcr"}});
  EXPECT_EQ(Json(got)["objects"]["Label_BCR"]["text"], "BCR ");
}

}  // namespace
}  // namespace plcscope::apitest
