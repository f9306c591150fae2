// A session's named lane layouts against a real server: save, list, read,
// replace and delete; names as path segments; every bad body a 400 naming
// its member; the per-session limit; layouts that survive a restart, a
// damaged layouts file that is set aside, and layouts that go with their
// session.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kJson = "application/json";

struct Parsed {
  std::string file_id;
  std::string session;
};

// A session over a log of `lines` lines (different counts, different files).
Parsed ParseLog(httplib::Client& cli, int lines = 200) {
  json file = UploadRaw(cli, "layouts.log", MakePlcDebugLog(lines, false));
  auto r = cli.Post("/api/parse", json{{"fileId", file["id"]}}.dump(), kJson);
  EXPECT_TRUE(r);
  if (!r) return {};
  std::string id = Json(r)["id"];
  EXPECT_EQ(WaitParsed(cli, id)["status"], "complete");
  return {file["id"], id};
}

std::string LayoutPath(const std::string& session, const std::string& encoded_name = "") {
  return "/api/parse/" + session + "/layouts" + (encoded_name.empty() ? "" : "/" + encoded_name);
}

json Body(std::vector<std::string> lanes, json settings = json::object()) {
  return {{"lanes", lanes}, {"settings", settings}};
}

TEST(ApiLayouts, SaveListReadReplaceDelete) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const Parsed p = ParseLog(*cli);
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"], json::array());

  const json settings = {{"colors", {{"DEV-1::RUN", "#ff8800"}}},
                         {"radix", {{"DEV-1::COUNT", "hex"}}}};
  auto put = cli->Put(LayoutPath(p.session, "Shift%20A"),
                      Body({"DEV-1::RUN", "DEV-1::COUNT"}, settings).dump(), kJson);
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  json saved = Json(put);
  EXPECT_EQ(saved["name"], "Shift A");
  EXPECT_EQ(saved["lanes"], json({"DEV-1::RUN", "DEV-1::COUNT"}));
  EXPECT_EQ(saved["settings"], settings);
  EXPECT_GT(saved["updatedAt"].get<double>(), 1.7e12);

  // A second layout, its name in UTF-8 (percent-encoded as a browser does).
  ASSERT_EQ(
      cli->Put(LayoutPath(p.session, "St%C3%B6rung"), Body({"DEV-2::STATE"}).dump(), kJson)->status,
      200);
  json list = Json(cli->Get(LayoutPath(p.session)))["layouts"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "Shift A");
  EXPECT_EQ(list[0]["laneCount"], 2);
  EXPECT_EQ(list[1]["name"], "Störung");
  EXPECT_EQ(list[1]["laneCount"], 1);

  json got = Json(cli->Get(LayoutPath(p.session, "Shift%20A")));
  EXPECT_EQ(got, saved);

  // Saving under the same name replaces it.
  ASSERT_EQ(
      cli->Put(LayoutPath(p.session, "Shift%20A"), Body({"DEV-3::RUN"}).dump(), kJson)->status,
      200);
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session, "Shift%20A")))["lanes"], json({"DEV-3::RUN"}));
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"].size(), 2u);

  EXPECT_EQ(cli->Delete(LayoutPath(p.session, "Shift%20A"))->status, 204);
  auto gone = cli->Get(LayoutPath(p.session, "Shift%20A"));
  EXPECT_EQ(gone->status, 404);
  EXPECT_NE(gone->body.find("Shift A"), std::string::npos) << gone->body;
  EXPECT_EQ(cli->Delete(LayoutPath(p.session, "Shift%20A"))->status, 404);
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"].size(), 1u);
}

TEST(ApiLayouts, BadRequestsNameTheProblem) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const Parsed p = ParseLog(*cli);
  auto status_and_body = [&](const std::string& name, const std::string& body) {
    auto r = cli->Put(LayoutPath(p.session, name), body, kJson);
    return r ? std::make_pair(r->status, r->body) : std::make_pair(0, std::string());
  };
  struct Case {
    std::string name, body, mentions;
  };
  const std::vector<Case> cases = {
      {"a", R"({})", "'lanes'"},
      {"a", R"({"lanes": "DEV-1::RUN"})", "'lanes'"},
      {"a", R"({"lanes": [1, 2]})", "'lanes'"},
      {"a", R"({"lanes": [""]})", "'lanes'"},
      {"a", R"({"lanes": [], "settings": [1]})", "'settings'"},
      {"a", R"({"lanes": [)", "MALFORMED_JSON"},
      {std::string(101, 'x'), R"({"lanes": []})", "'name'"},
      {"tab%09name", R"({"lanes": []})", "'name'"},
      {"bad%FFutf8", R"({"lanes": []})", "'name'"},
  };
  for (const Case& c : cases) {
    auto [status, body] = status_and_body(c.name, c.body);
    EXPECT_EQ(status, 400) << c.name << " " << c.body;
    EXPECT_NE(body.find(c.mentions), std::string::npos) << c.body << " -> " << body;
  }
  // Too many lanes, too large settings.
  std::vector<std::string> many(5001, "DEV-1::RUN");
  EXPECT_EQ(status_and_body("a", Body(many).dump()).first, 400);
  const json big = {{"note", std::string(300 * 1024, 'x')}};
  auto [big_status, big_body] = status_and_body("a", Body({"DEV-1::RUN"}, big).dump());
  EXPECT_EQ(big_status, 400);
  EXPECT_NE(big_body.find("'settings'"), std::string::npos) << big_body;
  // Nothing was stored by any of them.
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"], json::array());

  // An unknown session is 404 on every route.
  EXPECT_EQ(cli->Get(LayoutPath("nosuchsession"))->status, 404);
  EXPECT_EQ(cli->Get(LayoutPath("nosuchsession", "a"))->status, 404);
  EXPECT_EQ(cli->Put(LayoutPath("nosuchsession", "a"), Body({"X::Y"}).dump(), kJson)->status, 404);
  EXPECT_EQ(cli->Delete(LayoutPath("nosuchsession", "a"))->status, 404);
}

TEST(ApiLayouts, ASessionHoldsAtMostAHundred) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const Parsed p = ParseLog(*cli);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(cli->Put(LayoutPath(p.session, "l" + std::to_string(i)), Body({"D::S"}).dump(), kJson)
                  ->status,
              200)
        << i;
  }
  auto over = cli->Put(LayoutPath(p.session, "one-more"), Body({"D::S"}).dump(), kJson);
  EXPECT_EQ(over->status, 409);
  EXPECT_NE(over->body.find("LAYOUT_LIMIT"), std::string::npos) << over->body;
  // Replacing one is still allowed.
  EXPECT_EQ(cli->Put(LayoutPath(p.session, "l7"), Body({"D::T"}).dump(), kJson)->status, 200);
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"].size(), 100u);
}

TEST(ApiLayouts, SurviveARestartAndADamagedFileIsSetAside) {
  ServerProcess first;
  ASSERT_TRUE(first.Start());
  const Parsed p = ParseLog(*first.Client());
  ASSERT_EQ(first.Client()
                ->Put(LayoutPath(p.session, "kept"), Body({"DEV-1::RUN"}).dump(), kJson)
                ->status,
            200);
  ASSERT_EQ(first.Stop(), 0);
  const std::string dir = first.data_dir();
  {
    ServerProcess second({}, dir);
    ASSERT_TRUE(second.Start());
    EXPECT_EQ(Json(second.Client()->Get(LayoutPath(p.session, "kept")))["lanes"],
              json({"DEV-1::RUN"}));
    ASSERT_EQ(second.Stop(), 0);
  }
  const std::string file = dir + "/layouts/" + p.session + ".json";
  ASSERT_TRUE(fs::exists(file));
  { std::ofstream(file, std::ios::trunc) << "{\"kept\": {\"lanes\": 7"; }
  ServerProcess third({}, dir);
  ASSERT_TRUE(third.Start());
  auto cli = third.Client();
  EXPECT_EQ(Json(cli->Get(LayoutPath(p.session)))["layouts"], json::array());
  bool set_aside = false;
  for (const auto& e : fs::directory_iterator(dir + "/layouts")) {
    set_aside |= e.path().filename().string().find(".json.damaged-") != std::string::npos;
  }
  EXPECT_TRUE(set_aside);
  // The session takes new layouts again.
  EXPECT_EQ(cli->Put(LayoutPath(p.session, "new"), Body({"DEV-1::RUN"}).dump(), kJson)->status,
            200);
}

TEST(ApiLayouts, GoWithTheirSessionOrFile) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const Parsed a = ParseLog(*cli, 200);
  const Parsed b = ParseLog(*cli, 201);
  ASSERT_NE(a.session, b.session);
  for (const Parsed* p : {&a, &b}) {
    ASSERT_EQ(cli->Put(LayoutPath(p->session, "x"), Body({"DEV-1::RUN"}).dump(), kJson)->status,
              200);
  }
  const std::string dir = server.data_dir() + "/layouts/";
  ASSERT_TRUE(fs::exists(dir + a.session + ".json"));
  EXPECT_EQ(cli->Delete("/api/parse/" + a.session)->status, 204);
  EXPECT_FALSE(fs::exists(dir + a.session + ".json"));
  ASSERT_TRUE(fs::exists(dir + b.session + ".json"));
  EXPECT_EQ(cli->Delete("/api/files/" + b.file_id)->status, 204);
  EXPECT_FALSE(fs::exists(dir + b.session + ".json"));
}

}  // namespace
}  // namespace plcscope::apitest
