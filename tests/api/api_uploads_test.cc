// Every upload path against a real server: raw (incl. ~300 MB streamed from
// memory), gzip Content-Encoding, multipart, base64 JSON, chunked with SSE
// job status, a missing chunk, an interrupted upload, oversized bodies.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/base64.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ApiUploads : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--max-upload", "400M", "--max-json-body", "8M"});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};
ServerProcess* ApiUploads::server_ = nullptr;

// Reads the stored bytes of an uploaded file (the only file with that size).
std::string StoredBytes(const std::string& data_dir, const std::string& id) {
  std::string path = data_dir + "/files/" + id + ".log";
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(ApiUploads, RawGzipMultipartBase64) {
  auto cli = server_->Client();
  const std::string log = MakePlcDebugLog(200);
  json raw = UploadRaw(*cli, "raw.log", log);
  EXPECT_EQ(raw["size"], log.size());
  EXPECT_EQ(StoredBytes(server_->data_dir(), raw["id"]), log);

  httplib::Headers gz = {{"Content-Encoding", "gzip"}};
  auto r =
      cli->Post("/api/files/upload?name=gz.log", gz, Compress(log), "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json g = json::parse(r->body);
  EXPECT_EQ(g["name"], "gz.log");
  EXPECT_EQ(g["size"], log.size());
  EXPECT_EQ(StoredBytes(server_->data_dir(), g["id"]), log);

  httplib::MultipartFormDataItems items = {{"other", "ignored", "", "text/plain"},
                                           {"file", log, "multi.log", "application/octet-stream"}};
  r = cli->Post("/api/files/upload", items);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json m = json::parse(r->body);
  EXPECT_EQ(m["name"], "multi.log");
  EXPECT_EQ(StoredBytes(server_->data_dir(), m["id"]), log);

  r = cli->Post("/api/files/upload",
                json{{"name", "b64.log"}, {"data", base::EncodeBase64(log)}}.dump(),
                "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json b = json::parse(r->body);
  EXPECT_EQ(b["name"], "b64.log");
  EXPECT_EQ(StoredBytes(server_->data_dir(), b["id"]), log);

  // Display names never become paths.
  json evil = UploadRaw(*cli, "..%2F..%2Fetc%2Fpasswd", "x");
  EXPECT_EQ(evil["name"], "../../etc/passwd");
  EXPECT_TRUE(fs::exists(server_->data_dir() + "/files/" + evil["id"].get<std::string>() + ".log"));
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
}

TEST_F(ApiUploads, ChunkedWithSseStatus) {
  auto cli = server_->Client();
  const std::string log = MakePlcDebugLog(3000);
  const std::string packed = Compress(log);
  PostGzipChunks(*cli, "up-1", packed, 3);
  if (HasFatalFailure()) return;
  json done = Json(cli->Post("/api/files/upload/complete",
                             json{{"uploadId", "up-1"},
                                  {"name", "chunked.log"},
                                  {"totalChunks", 3},
                                  {"originalSize", log.size()},
                                  {"compressedSize", packed.size()},
                                  {"encoding", "gzip"}}
                                 .dump(),
                             "application/json"));
  EXPECT_EQ(done["status"], "processing");
  ASSERT_TRUE(done["jobId"].is_string());
  std::string sse;
  auto r = cli->Get("/api/files/upload/" + done["jobId"].get<std::string>() + "/status",
                    [&](const char* d, size_t n) {
                      sse.append(d, n);
                      return true;
                    });
  ASSERT_TRUE(r);
  auto events = SseEvents(sse);
  ASSERT_FALSE(events.empty());
  const json& last = events.back();
  EXPECT_EQ(last["status"], "complete") << last.dump();
  EXPECT_EQ(last["progress"], 100);
  EXPECT_EQ(last["jobId"], done["jobId"]);
  ASSERT_TRUE(last["fileInfo"].is_object());
  EXPECT_EQ(last["fileInfo"]["name"], "chunked.log");
  EXPECT_EQ(last["fileInfo"]["size"], log.size());
  EXPECT_EQ(StoredBytes(server_->data_dir(), last["fileInfo"]["id"]), log);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/chunks"), 0);
}

TEST_F(ApiUploads, MissingChunkIsNamed) {
  auto cli = server_->Client();
  for (int i : {0, 2}) {
    auto r = cli->Post("/api/files/upload/chunk",
                       json{{"uploadId", "up-2"},
                            {"chunkIndex", i},
                            {"totalChunks", 3},
                            {"data", base::EncodeBase64("abc")}}
                           .dump(),
                       "application/json");
    ASSERT_EQ(r->status, 202);
  }
  // Checked before anything is assembled: a 400 naming the chunk.
  auto done = cli->Post(
      "/api/files/upload/complete",
      json{{"uploadId", "up-2"}, {"name", "x.log"}, {"totalChunks", 3}, {"encoding", "none"}}
          .dump(),
      "application/json");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 400);
  EXPECT_EQ(Json(done)["code"], "MISSING_CHUNKS");
  EXPECT_NE(Json(done)["error"].get<std::string>().find("Chunk 1 of 3 is missing"),
            std::string::npos)
      << done->body;
  auto bad = cli->Post(
      "/api/files/upload/chunk",
      json{{"uploadId", "up-3"}, {"chunkIndex", 5}, {"totalChunks", 3}, {"data", "abc"}}.dump(),
      "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("chunkIndex"), std::string::npos);
}

TEST_F(ApiUploads, LargeRawBodyStreamedFromMemory) {
  auto cli = server_->Client();
  const size_t kTotal = 300u << 20;
  std::string block(1 << 20, '\0');
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>('a' + i % 26);
  auto r = cli->Post(
      "/api/files/upload?name=big.bin", kTotal,
      [&](size_t offset, size_t length, httplib::DataSink& sink) {
        const size_t off = offset % block.size();
        const size_t n = std::min(length, block.size() - off);
        return sink.write(block.data() + off, n);
      },
      "application/octet-stream");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  ASSERT_EQ(r->status, 201) << r->body;
  json f = json::parse(r->body);
  EXPECT_EQ(f["size"], kTotal);
  EXPECT_EQ(fs::file_size(server_->data_dir() + "/files/" + f["id"].get<std::string>() + ".log"),
            kTotal);
  EXPECT_EQ(cli->Delete("/api/files/" + f["id"].get<std::string>())->status, 204);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
}

TEST_F(ApiUploads, InterruptedUploadLeavesNothing) {
  auto cli = server_->Client();
  const size_t before = Json(cli->Get("/api/files/recent")).size();
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string head =
      "POST /api/files/upload?name=cut.log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  std::string part(4 << 20, 'x');
  ASSERT_GT(::send(fd, part.data(), part.size(), 0), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 1);  // in flight
  ::close(fd);
  for (int i = 0; i < 100 && CountFiles(server_->data_dir() + "/tmp") > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
  json recent = Json(cli->Get("/api/files/recent"));
  EXPECT_EQ(recent.size(), before);
  for (const auto& f : recent) EXPECT_NE(f["name"], "cut.log");
  EXPECT_EQ(cli->Get("/api/health")->status, 200);
}

TEST_F(ApiUploads, OversizedBodiesAre413) {
  auto cli = server_->Client();
  // Announced size over the 400 MB upload limit: refused before reading.
  auto r = cli->Post(
      "/api/files/upload?name=huge.bin", size_t{500} << 20,
      [](size_t, size_t length, httplib::DataSink& sink) {
        static const std::string zeros(1 << 20, '0');
        return sink.write(zeros.data(), std::min(length, zeros.size()));
      },
      "application/octet-stream");
  if (r) {
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(json::parse(r->body)["code"], "PAYLOAD_TOO_LARGE");
  }
  // A JSON body over the 8 MB JSON limit.
  std::string big = json{{"name", "b.log"}, {"data", std::string(9 << 20, 'A')}}.dump();
  auto cli2 = server_->Client();
  r = cli2->Post("/api/parse", big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(json::parse(r->body)["code"], "PAYLOAD_TOO_LARGE");
  r = cli2->Post("/api/files/upload", big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
  EXPECT_EQ(server_->Client()->Get("/api/health")->status, 200);
}

}  // namespace
}  // namespace plcscope::apitest
