// GET /api/ws/uploads against a real server, with a real WebSocket client
// (Boost.Beast) speaking the old client's upload protocol (docs/http.md
// "WebSocket uploads"): chunked uploads plain and gzip, map / rules / carrier
// uploads, the limits and disk check of the HTTP uploads, errors that name
// the problem, and a client that leaves mid-upload leaving nothing behind.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "base/base64.h"
#include "tests/api/server_process.h"
#include "tests/api/ws_client.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

class ApiWsUploads : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--max-upload", "8M", "--max-json-body", "16M"});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};
ServerProcess* ApiWsUploads::server_ = nullptr;

std::string StoredBytes(const std::string& data_dir, const std::string& id) {
  std::ifstream in(data_dir + "/files/" + id + ".log", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The client's whole flow: connected, ping/pong, init/ack, chunks with
// progress, complete with processing stages and the FileInfo.
void UploadAndCheck(const std::string& log, bool gzip) {
  WsClient c(ApiWsUploads::server_->port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  c.Send("ping");
  EXPECT_EQ(c.Read()["type"], "pong");

  const std::string sent = gzip ? Compress(log) : log;
  const size_t piece = sent.size() / 3 + 1;
  const std::string id = c.Init("ws.log", 3, log.size(), gzip ? "gzip" : "none");
  ASSERT_FALSE(id.empty());
  for (int i = 0; i < 3; ++i) {
    c.Chunk(id, i, sent.substr(i * piece, piece), i == 2);
    json p = c.Read();
    ASSERT_EQ(p["type"], "progress") << p;
    EXPECT_EQ(p["payload"]["uploadId"], id);
    EXPECT_NEAR(p["payload"]["progress"].get<double>(), 100.0 * (i + 1) / 3, 0.01);
  }
  c.Send("upload:complete", {{"uploadId", id},
                             {"fileName", "ws.log"},
                             {"totalChunks", 3},
                             {"originalSize", log.size()},
                             {"compressedSize", sent.size()},
                             {"encoding", gzip ? "gzip" : "none"}});
  std::vector<json> processing;
  json done = c.ReadUntil("complete", &processing);
  ASSERT_EQ(done["type"], "complete") << done;
  ASSERT_FALSE(processing.empty());
  for (const json& m : processing) {
    EXPECT_EQ(m["type"], "processing") << m;
    EXPECT_EQ(m["payload"]["uploadId"], id);
    EXPECT_TRUE(m["payload"]["progress"].is_number()) << m;
    EXPECT_TRUE(m["payload"]["stage"].is_string()) << m;
  }
  EXPECT_EQ(done["id"], id);
  const json& info = done["payload"]["fileInfo"];
  EXPECT_EQ(info["name"], "ws.log");
  EXPECT_EQ(info["size"], log.size());
  EXPECT_TRUE(info["contentHash"].is_string());
  EXPECT_EQ(StoredBytes(ApiWsUploads::server_->data_dir(), info["id"]), log);
  auto cli = ApiWsUploads::server_->Client();
  EXPECT_EQ(Json(cli->Get("/api/files/" + info["id"].get<std::string>()))["size"], log.size());
  EXPECT_EQ(CountFiles(ApiWsUploads::server_->data_dir() + "/tmp"), 0);
}

TEST_F(ApiWsUploads, ChunkedPlainAndGzip) {
  UploadAndCheck(MakePlcDebugLog(2000), /*gzip=*/false);
  UploadAndCheck(MakePlcDebugLog(3000), /*gzip=*/true);
}

TEST_F(ApiWsUploads, ErrorsNameTheProblemAndStoreNothing) {
  WsClient c(server_->port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  const int before = CountFiles(server_->data_dir() + "/files");

  c.Send("upload:teleport");
  json e = c.Read();
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["payload"]["code"], "INVALID_TYPE");
  EXPECT_NE(e["payload"]["message"].get<std::string>().find("upload:teleport"), std::string::npos);

  // Over the upload limit: refused at init with the HTTP uploads' 413.
  json err;
  EXPECT_EQ(c.Init("big.log", 2, 9 << 20, "none", &err), "");
  EXPECT_EQ(err["payload"]["code"], "PAYLOAD_TOO_LARGE") << err;
  EXPECT_EQ(err["payload"]["status"], 413);

  // Out of order: the upload is dropped.
  std::string id = c.Init("a.log", 2, 10, "none");
  ASSERT_FALSE(id.empty());
  c.Chunk(id, 1, "abcde", true);
  e = c.Read();
  EXPECT_EQ(e["payload"]["code"], "INVALID_CHUNK") << e;
  c.Chunk(id, 0, "abcde", false);
  EXPECT_EQ(c.Read()["payload"]["code"], "SESSION_NOT_FOUND");

  // Complete before every chunk arrived.
  id = c.Init("b.log", 2, 10, "none");
  c.Chunk(id, 0, "abcde", false);
  EXPECT_EQ(c.Read()["type"], "progress");
  c.Send("upload:complete", {{"uploadId", id}, {"totalChunks", 2}});
  e = c.ReadUntil("complete");
  EXPECT_EQ(e["payload"]["code"], "INCOMPLETE_UPLOAD") << e;

  // gzip that does not decode.
  id = c.Init("c.log", 1, 10, "gzip");
  c.Chunk(id, 0, "this is not gzip", true);
  e = c.Read();
  EXPECT_EQ(e["payload"]["code"], "BAD_ENCODING") << e;

  // A size that disagrees with totalSize.
  id = c.Init("d.log", 1, 3, "none");
  c.Chunk(id, 0, "abcdef", true);
  EXPECT_EQ(c.Read()["payload"]["code"], "SIZE_MISMATCH");

  // The connection still serves.
  c.Send("ping");
  EXPECT_EQ(c.Read()["type"], "pong");
  EXPECT_EQ(CountFiles(server_->data_dir() + "/files"), before);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
}

TEST_F(ApiWsUploads, ClientLeavingMidUploadLeavesNothing) {
  const int before = CountFiles(server_->data_dir() + "/files");
  {
    WsClient c(server_->port());
    ASSERT_TRUE(c.open());
    EXPECT_EQ(c.Read()["type"], "connected");
    const std::string id = c.Init("left.log", 3, 3 << 20, "none");
    ASSERT_FALSE(id.empty());
    c.Chunk(id, 0, std::string(1 << 20, 'x'), false);
    EXPECT_EQ(c.Read()["type"], "progress");
    EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 1);  // being written
    c.Drop();
  }
  int left = -1;
  for (int i = 0; i < 100 && left != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = CountFiles(server_->data_dir() + "/tmp");
  }
  EXPECT_EQ(left, 0);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/files"), before);
}

TEST_F(ApiWsUploads, MapRulesAndCarrierUploads) {
  WsClient c(server_->port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  const std::string xml =
      "<ConveyorMap><Object name=\"L1\" type=\"X.Label\"><Text>BCR </Text>"
      "<UnitId>CNV1</UnitId></Object></ConveyorMap>";
  c.Send("map:upload", {{"name", "plant.xml"}, {"data", base::EncodeBase64(xml)}});
  json m = c.ReadUntil("complete");
  ASSERT_EQ(m["type"], "complete") << m;
  EXPECT_EQ(m["payload"]["fileInfo"]["name"], "plant.xml");
  EXPECT_EQ(m["payload"]["result"]["id"], m["payload"]["fileInfo"]["id"]);
  auto cli = server_->Client();
  json layout = Json(cli->Get("/api/map/layout"));
  EXPECT_EQ(layout["id"], m["payload"]["fileInfo"]["id"]) << layout;
  EXPECT_EQ(layout["objects"]["L1"]["text"], "BCR ");

  const std::string yaml =
      "default_color: \"#D3D3D3\"\ndevice_to_unit:\n  - {pattern: \"CNV1-*\", unit_id: \"CNV1\"}\n"
      "rules:\n  - {signal: I_ERROR, op: \"==\", value: true, color: \"#FF4444\"}\n";
  c.Send("rules:upload", {{"name", "rules.yaml"}, {"data", base::EncodeBase64(yaml)}});
  m = c.ReadUntil("complete");
  ASSERT_EQ(m["type"], "complete") << m;
  EXPECT_EQ(m["payload"]["result"]["name"], "rules.yaml");
  EXPECT_EQ(m["payload"]["result"]["rulesCount"], 1);
  EXPECT_EQ(m["payload"]["result"]["deviceCount"], 1);

  c.Send("carrier:upload", {{"name", "c.log"}, {"data", base::EncodeBase64("hello")}});
  m = c.ReadUntil("complete");
  EXPECT_EQ(m["type"], "error");
  EXPECT_EQ(m["payload"]["code"], "NOT_MCS_LOG");
  const std::string mcs =
      "2025-09-22 13:00:01.000 [ADD=CMD001, CAR-1] [CurrentLocation=CNV1-101]\n"
      "2025-09-22 13:00:02.500 [UPDATE=CMD001, CAR-1] [CurrentLocation=L2-7]\n";
  c.Send("carrier:upload", {{"name", "c.log"}, {"data", base::EncodeBase64(mcs)}});
  m = c.ReadUntil("complete");
  ASSERT_EQ(m["type"], "complete") << m;
  EXPECT_TRUE(m["payload"]["result"]["sessionId"].is_string());
  EXPECT_EQ(m["payload"]["result"]["fileName"], "c.log");
  EXPECT_EQ(Json(cli->Get("/api/map/carrier-log"))["sessionId"],
            m["payload"]["result"]["sessionId"]);
}

// An upload connection outlives a short --idle-timeout: the old client
// pings only every 30 s and may be silent longer while it compresses.
TEST(ApiWsUploadsIdle, ConnectionOutlivesTheHttpIdleTimeout) {
  ServerProcess server({"--idle-timeout", "1"});
  ASSERT_TRUE(server.Start());
  WsClient c(server.port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  c.Send("ping");
  EXPECT_EQ(c.Read()["type"], "pong");
}

// The disk reserve of the HTTP uploads: an upload that cannot fit is the
// 507 INSUFFICIENT_STORAGE answer, at init.
TEST(ApiWsUploadsDisk, UploadThatCannotFitIsRefusedAtInit) {
  ServerProcess server({"--max-upload", "1000000T"});
  ASSERT_TRUE(server.Start());
  WsClient c(server.port());
  ASSERT_TRUE(c.open());
  EXPECT_EQ(c.Read()["type"], "connected");
  json err;
  EXPECT_EQ(c.Init("huge.log", 1, uint64_t{1} << 57, "none", &err), "");
  EXPECT_EQ(err["payload"]["status"], 507) << err;
  EXPECT_EQ(err["payload"]["code"], "INSUFFICIENT_STORAGE");
  EXPECT_EQ(CountFiles(server.data_dir() + "/tmp"), 0);
}

}  // namespace
}  // namespace plcscope::apitest
