// The bad-input list of docs/targets.md, access control, static files, restart
// survival and a client leaving mid-stream, against real server processes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Sends a raw request and returns the whole response text.
std::string RawRequest(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
  ::send(fd, request.data(), request.size(), 0);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, n);
  ::close(fd);
  return out;
}

void ExpectError(const httplib::Result& r, int status, const std::string& mention = "") {
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, status) << r->body;
  json j = json::parse(r->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r->body;
  EXPECT_TRUE(j["error"].is_string());
  ASSERT_TRUE(j["code"].is_string());
  for (char c : j["code"].get<std::string>()) EXPECT_TRUE(std::isupper(c) || c == '_');
  if (!mention.empty()) {
    EXPECT_NE(j["error"].get<std::string>().find(mention), std::string::npos) << r->body;
  }
}

class ApiBadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ui_dir_ =
        new std::string(fs::temp_directory_path() / ("plcscope_ui_" + std::to_string(getpid())));
    fs::create_directories(*ui_dir_ + "/assets");
    std::ofstream(*ui_dir_ + "/index.html") << "<!doctype html><title>plcscope</title>";
    std::ofstream(*ui_dir_ + "/assets/app.js") << "console.log('ui')";
    server_ = new ServerProcess({"--ui-dir", *ui_dir_});
    ASSERT_TRUE(server_->Start());
    auto cli = server_->Client();
    json f = UploadRaw(*cli, "t.log", MakePlcDebugLog(20000));
    auto r = cli->Post("/api/parse", json{{"fileId", f["id"]}}.dump(), "application/json");
    session_ = new std::string(json::parse(r->body)["id"]);
    ASSERT_EQ(WaitParsed(*cli, *session_)["status"], "complete");
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(*ui_dir_);
    delete ui_dir_;
    delete session_;
  }
  static std::string P(const std::string& tail) { return "/api/parse/" + *session_ + tail; }
  static ServerProcess* server_;
  static std::string* ui_dir_;
  static std::string* session_;
};
ServerProcess* ApiBadInput::server_ = nullptr;
std::string* ApiBadInput::ui_dir_ = nullptr;
std::string* ApiBadInput::session_ = nullptr;

TEST_F(ApiBadInput, BadNumbersAndPages) {
  auto cli = server_->Client();
  ExpectError(cli->Get(P("/entries?page=abc")), 400, "'page'");
  ExpectError(cli->Get(P("/entries?page=-1")), 400, "'page'");
  ExpectError(cli->Get(P("/entries?page=0")), 400, "'page'");
  ExpectError(cli->Get(P("/entries?page=99999999999999999999999")), 400, "'page'");
  ExpectError(cli->Get(P("/entries?pageSize=0")), 400, "'pageSize'");
  ExpectError(cli->Get(P("/entries?pageSize=1e3")), 400, "'pageSize'");
  ExpectError(cli->Get(P("/entries?start=yesterday")), 400, "'start'");
  ExpectError(cli->Get(P("/entries?end=NaN")), 400, "'end'");
  ExpectError(cli->Get(P("/entries?changedOnly=maybe")), 400, "'changedOnly'");
  ExpectError(cli->Get(P("/entries?type=bool")), 400, "'type'");
  ExpectError(cli->Get(P("/entries?sort=color")), 400, "'sort'");
  ExpectError(cli->Get(P("/entries?order=up")), 400, "'order'");
  ExpectError(cli->Get(P("/at-time?ts=1e400")), 400, "'ts'");
  ExpectError(cli->Get(P("/errors?pageSize=-5")), 400, "'pageSize'");
  auto huge = cli->Get(P("/entries?page=1000000000"));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 200);
  EXPECT_EQ(json::parse(huge->body)["entries"].size(), 0u);
}

TEST_F(ApiBadInput, UnknownIdsAre404) {
  auto cli = server_->Client();
  ExpectError(cli->Get("/api/parse/nope/entries"), 404);
  ExpectError(cli->Get("/api/parse/nope/status"), 404);
  ExpectError(cli->Post("/api/parse/nope/keepalive", "", "application/json"), 404);
  ExpectError(cli->Delete("/api/parse/nope"), 404);
  ExpectError(cli->Get("/api/files/nope"), 404);
  ExpectError(cli->Delete("/api/files/nope"), 404);
  ExpectError(cli->Put("/api/files/nope", R"({"name":"x"})", "application/json"), 404);
  ExpectError(cli->Post("/api/parse", R"({"fileId":"nope"})", "application/json"), 404);
  ExpectError(cli->Get("/api/files/upload/nope/status"), 404);
  ExpectError(cli->Get("/api/nothing/here"), 404);
}

TEST_F(ApiBadInput, MalformedJson) {
  auto cli = server_->Client();
  ExpectError(cli->Post("/api/parse", "{not json", "application/json"), 400);
  ExpectError(cli->Post("/api/parse", "[1,2]", "application/json"), 400);
  ExpectError(cli->Post("/api/parse", "", "application/json"), 400);
  ExpectError(cli->Post("/api/parse", R"({"fileId": 42})", "application/json"), 400, "'fileId'");
  ExpectError(cli->Post("/api/parse", R"({"fileIds": "x", "format": "xml"})", "application/json"),
              400);
  ExpectError(cli->Post(P("/waveform"), "{\"signals\": [1]}", "application/json"), 400,
              "'signals'");
  ExpectError(cli->Post(P("/waveform"), "\xff\xfe", "application/json"), 400);
  ExpectError(
      cli->Post(P("/transitions"), R"({"rules": [{"type": "sideways"}]})", "application/json"),
      400);
  ExpectError(cli->Post(P("/chunk-boundaries"), R"({"signals": []})", "application/json"), 400,
              "'start'");
  ExpectError(cli->Post("/api/files/upload/chunk", R"({"uploadId": "a"})", "application/json"),
              400);
  ExpectError(cli->Post("/api/files/upload", R"({"name": "a", "data": "!!!"})", "application/json"),
              400, "'data'");
}

TEST_F(ApiBadInput, PathTraversalAndStaticFiles) {
  auto cli = server_->Client();
  auto index = cli->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>plcscope</title>"), std::string::npos);
  auto spa = cli->Get("/timing/view");
  EXPECT_NE(spa->body.find("<title>plcscope</title>"), std::string::npos);
  auto js = cli->Get("/assets/app.js");
  EXPECT_EQ(js->body, "console.log('ui')");
  const std::string raw = RawRequest(
      server_->port(),
      "GET /../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.find("root:"), std::string::npos);
  const std::string enc = RawRequest(server_->port(),
                                     "GET /assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd "
                                     "HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(enc.find("root:"), std::string::npos);
  EXPECT_NE(enc.find(" 400 "), std::string::npos) << enc.substr(0, 200);
}

TEST_F(ApiBadInput, ClientLeavesMidStream) {
  // Read a little of a stream and an export, then drop the connection.
  for (const std::string path : {P("/stream"), P("/export?format=jsonl")}) {
    auto cli = server_->Client();
    size_t got = 0;
    auto r = cli->Get(path, [&](const char*, size_t n) {
      got += n;
      return got < 1000;
    });
    EXPECT_FALSE(r);  // cancelled by us
    EXPECT_GT(got, 0u);
  }
  auto cli = server_->Client();
  EXPECT_EQ(cli->Get("/api/health")->status, 200);
  EXPECT_EQ(cli->Get(P("/entries"))->status, 200);
}

TEST(ApiAccess, TokenRequiredOffLoopback) {
  ServerProcess server({"--host", "0.0.0.0", "--token", "s3cret-token"});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  ExpectError(cli->Get("/api/health"), 401);
  ExpectError(cli->Get("/api/files/recent"), 401);
  ExpectError(cli->Get("/"), 401);
  httplib::Headers wrong = {{"Authorization", "Bearer nope"}};
  ExpectError(cli->Get("/api/health", wrong), 401);
  httplib::Headers bearer = {{"Authorization", "Bearer s3cret-token"}};
  EXPECT_EQ(cli->Get("/api/health", bearer)->status, 200);
  auto link = cli->Get("/api/health?token=s3cret-token");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->status, 200);
  const std::string cookie = link->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("plcscope_token=s3cret-token"), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  httplib::Headers with_cookie = {{"Cookie", "a=b; plcscope_token=s3cret-token"}};
  EXPECT_EQ(cli->Get("/api/files/recent", with_cookie)->status, 200);
}

TEST(ApiAccess, GeneratedTokenIsPrinted) {
  ServerProcess server({"--host", "0.0.0.0"});
  ASSERT_TRUE(server.Start());
  for (int i = 0; i < 100 && server.token().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(server.token().size(), 32u);
  auto cli = server.Client();
  ExpectError(cli->Get("/api/health"), 401);
  httplib::Headers bearer = {{"Authorization", "Bearer " + server.token()}};
  EXPECT_EQ(cli->Get("/api/health", bearer)->status, 200);
}

TEST(ApiAccess, LoopbackNeedsNoToken) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  EXPECT_EQ(server.Client()->Get("/api/health")->status, 200);
}

TEST(ApiRestart, SessionSurvivesRestart) {
  const std::string dir =
      fs::temp_directory_path() / ("plcscope_restart_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string session, file_id;
  json first_page;
  {
    ServerProcess a({}, dir);
    ASSERT_TRUE(a.Start());
    auto cli = a.Client();
    json f = UploadRaw(*cli, "keep.log", MakePlcDebugLog(1000));
    file_id = f["id"];
    auto r = cli->Post("/api/parse", json{{"fileId", file_id}}.dump(), "application/json");
    session = json::parse(r->body)["id"];
    ASSERT_EQ(WaitParsed(*cli, session)["status"], "complete");
    first_page = Json(cli->Get("/api/parse/" + session + "/entries?page=3&pageSize=17"));
    EXPECT_EQ(a.Stop(), 0);  // SIGTERM: clean exit
  }
  {
    ServerProcess b({}, dir);
    ASSERT_TRUE(b.Start());
    auto cli = b.Client();
    json recent = Json(cli->Get("/api/files/recent"));
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0]["id"], file_id);
    json status = Json(cli->Get("/api/parse/" + session + "/status"));
    EXPECT_EQ(status["status"], "complete");
    EXPECT_EQ(status["entryCount"], 999);
    json page = Json(cli->Get("/api/parse/" + session + "/entries?page=3&pageSize=17"));
    EXPECT_EQ(page, first_page);
    EXPECT_EQ(b.Stop(), 0);
  }
  fs::remove_all(dir);
}

TEST(ApiStartup, CommandLineFileOpensAtOnce) {
  const std::string path = WriteTempFile("cli.log", MakePlcDebugLog(100));
  ServerProcess server({path});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  json h = Json(cli->Get("/api/health"));
  ASSERT_TRUE(h["startupSessionId"].is_string());
  json s = WaitParsed(*cli, h["startupSessionId"]);
  EXPECT_EQ(s["status"], "complete");
  EXPECT_EQ(s["entryCount"], 99);
  json recent = Json(cli->Get("/api/files/recent"));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0]["name"], "cli.log");
  // Read in place: nothing copied into the data directory.
  EXPECT_EQ(CountFiles(server.data_dir() + "/files"), 0);
  fs::remove_all(fs::path(path).parent_path());
}

TEST(ApiStartup, DemoLogOpensInAnEmptyDataDirOnly) {
  const std::string demo = WriteTempFile("demo.log", MakePlcDebugLog(50, false));
  ServerProcess server({"--demo", demo});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  json h = Json(cli->Get("/api/health"));
  ASSERT_TRUE(h["startupSessionId"].is_string());
  EXPECT_EQ(WaitParsed(*cli, h["startupSessionId"])["entryCount"], 50);
  UploadRaw(*cli, "mine.log", MakePlcDebugLog(10, false));
  ASSERT_EQ(server.Stop(), 0);
  // The data directory is not empty any more: no demo on the next start.
  ServerProcess again({"--demo", demo}, server.data_dir());
  ASSERT_TRUE(again.Start());
  EXPECT_FALSE(Json(again.Client()->Get("/api/health")).contains("startupSessionId"));
  fs::remove_all(fs::path(demo).parent_path());
}

}  // namespace
}  // namespace plcscope::apitest
