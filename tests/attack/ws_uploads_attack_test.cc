// Hostile clients of GET /api/ws/uploads (docs/http.md "WebSocket uploads")
// against a real server: deep, broken and oversized messages, binary
// frames, text frames that are not UTF-8, absurd chunk counts, a gzip bomb, too many uploads on one
// connection, too many connections, a cross-origin upgrade. Each is refused
// with an error naming the problem, stores nothing, leaves no temporary
// file, and the server (and the same connection, where it makes sense)
// keeps serving.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/api/server_process.h"
#include "tests/api/ws_client.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

class WsUploadsAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--max-upload", "8M", "--max-json-body", "1M"});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int TmpFiles() { return CountFiles(server_->data_dir() + "/tmp"); }
  static int StoredFiles() { return CountFiles(server_->data_dir() + "/files"); }
  // The connection still answers a ping.
  static void ExpectAlive(WsClient& c) {
    c.Send("ping");
    json p = c.Read();
    EXPECT_EQ(p["type"], "pong") << p;
  }
  static ServerProcess* server_;
};
ServerProcess* WsUploadsAttack::server_ = nullptr;

TEST_F(WsUploadsAttack, BrokenMessagesAreErrorsAndTheConnectionServes) {
  WsClient c(server_->port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(100000, '['), "MALFORMED_JSON"},
      {"{\"type\": ", "MALFORMED_JSON"},
      {"[1,2,3]", "MALFORMED_JSON"},
      {"", "MALFORMED_JSON"},
      {"{\"type\": 42}", "BAD_PARAMETER"},
      {"{\"type\": \"upload:init\", \"payload\": {\"totalChunks\": -1}}", "BAD_PARAMETER"},
      {"{\"type\": \"upload:init\", \"payload\": {\"totalChunks\": 1e300}}", "BAD_PARAMETER"},
      {"{\"type\": \"upload:init\", \"payload\": {\"totalChunks\": 99999999999}}", "BAD_PARAMETER"},
      {"{\"type\": \"upload:init\", \"payload\": {\"totalChunks\": 1, \"encoding\": \"br\"}}",
       "BAD_PARAMETER"},
      {"{\"type\": \"upload:chunk\", \"payload\": {\"uploadId\": \"../../etc\", \"chunkIndex\": 0,"
       " \"data\": \"AA==\"}}",
       "SESSION_NOT_FOUND"},
      {"{\"type\": \"upload:complete\", \"payload\": {\"uploadId\": \"nope\"}}",
       "SESSION_NOT_FOUND"},
      {"{\"type\": \"map:upload\", \"payload\": {\"name\": \"x.xml\", \"data\": \"%%%\"}}",
       "BAD_PARAMETER"},
  };
  for (const auto& [text, code] : cases) {
    c.SendRaw(text);
    json e = c.Read();
    EXPECT_EQ(e["type"], "error") << text.substr(0, 80);
    EXPECT_EQ(e["payload"]["code"], code) << text.substr(0, 80) << " -> " << e;
    EXPECT_TRUE(e["payload"]["message"].is_string());
  }
  c.SendRaw(std::string(1000, '\x01'), /*binary=*/true);
  EXPECT_EQ(c.Read()["payload"]["code"], "INVALID_MESSAGE");
  // Over --max-json-body (1 MiB): refused, the connection serves on.
  c.Send("upload:chunk", {{"uploadId", "x"}, {"data", std::string(2 << 20, 'A')}});
  EXPECT_EQ(c.Read()["payload"]["code"], "PAYLOAD_TOO_LARGE");
  ExpectAlive(c);
  EXPECT_EQ(TmpFiles(), 0);

  // A text frame that is not UTF-8 breaks the WebSocket protocol: the
  // transport closes that connection; the next one is served.
  {
    WsClient bad(server_->port());
    ASSERT_TRUE(bad.open());
    EXPECT_EQ(bad.Read()["type"], "connected");
    bad.SendRaw("{\"type\": \"\xff\xfe upload\"}");
    EXPECT_TRUE(bad.Read().is_null());
  }
  WsClient next(server_->port());
  ASSERT_TRUE(next.open());
  EXPECT_EQ(next.Read()["type"], "connected");
  ExpectAlive(next);
}

TEST_F(WsUploadsAttack, GzipBombStopsAtTheUploadLimit) {
  WsClient c(server_->port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  const int before = StoredFiles();
  // 64 MiB of zeros compress to ~64 KiB; the limit is 8 MiB decoded.
  const std::string bomb = Compress(std::string(64 << 20, '\0'));
  const std::string id = c.Init("bomb.log", 1, 0, "gzip");  // lies about its size
  ASSERT_FALSE(id.empty());
  c.Chunk(id, 0, bomb, true);
  json e = c.Read();
  EXPECT_EQ(e["payload"]["code"], "PAYLOAD_TOO_LARGE") << e;
  EXPECT_EQ(e["payload"]["status"], 413);
  EXPECT_EQ(TmpFiles(), 0);
  EXPECT_EQ(StoredFiles(), before);
  ExpectAlive(c);
}

TEST_F(WsUploadsAttack, UploadsPerConnectionAreBoundedAndLeaveNothing) {
  {
    WsClient c(server_->port());
    ASSERT_TRUE(c.open());
    EXPECT_EQ(c.Read()["type"], "connected");
    for (int i = 0; i < 4; ++i) {
      const std::string id = c.Init("u.log", 2, 1000, "none");
      ASSERT_FALSE(id.empty());
      c.Chunk(id, 0, std::string(500, 'x'), false);
      EXPECT_EQ(c.Read()["type"], "progress");
    }
    json err;
    EXPECT_EQ(c.Init("fifth.log", 1, 10, "none", &err), "");
    EXPECT_EQ(err["payload"]["code"], "TOO_MANY_UPLOADS") << err;
    EXPECT_EQ(TmpFiles(), 4);
    c.Drop();
  }
  int left = -1;
  for (int i = 0; i < 100 && left != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = TmpFiles();
  }
  EXPECT_EQ(left, 0);
}

// --threads 8: at most 2 upload connections at once; a third is told BUSY
// and closed, and one may open again once another left.
TEST(WsUploadsAttackConnections, BeyondTheShareOfWorkersAreRefused) {
  ServerProcess server({"--threads", "8"});
  ASSERT_TRUE(server.Start());
  ServerProcess* server_ = &server;
  auto a = std::make_unique<WsClient>(server_->port());
  auto b = std::make_unique<WsClient>(server_->port());
  ASSERT_TRUE(a->open() && b->open());
  EXPECT_EQ(a->Read()["type"], "connected");
  EXPECT_EQ(b->Read()["type"], "connected");
  {
    WsClient third(server_->port());
    ASSERT_TRUE(third.open());
    json e = third.Read();
    EXPECT_EQ(e["payload"]["code"], "BUSY") << e;
    EXPECT_TRUE(third.Read().is_null());  // closed
  }
  auto cli = server_->Client();
  auto health = cli->Get("/api/health");  // HTTP still served
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  a.reset();  // closes
  json greeting;
  for (int i = 0; i < 50 && greeting["type"] != "connected"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    WsClient again(server_->port());
    if (again.open()) greeting = again.Read();
  }
  EXPECT_EQ(greeting["type"], "connected");
}

TEST_F(WsUploadsAttack, CrossOriginUpgradeIsRefused) {
  WsClient evil(server_->port(), "http://evil.example");
  EXPECT_FALSE(evil.open());
  WsClient same(server_->port(), "http://127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_TRUE(same.open());
}

}  // namespace
}  // namespace plcscope::apitest
