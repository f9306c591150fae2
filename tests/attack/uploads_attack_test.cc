// Uploads against a real server: a compressed body is stored only when it
// decodes completely, an unknown Content-Encoding is refused before anything
// is stored, chunked uploads are checked against their totalChunks, run on a
// bounded pool (no thread per upload) and take concurrent retries of one
// chunk; a damaged files.json is set aside and the list rebuilt from disk;
// every FileInfo carries the XXH3 of the stored bytes.
#include <gtest/gtest.h>
#include <xxhash.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "base/base64.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Xxh3(const std::string& bytes) {
  return "xxh3:" + Hex(XXH3_64bits(bytes.data(), bytes.size()));
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The pid of the `plcscope serve` that uses `data_dir`.
int ServerPid(const std::string& data_dir) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = ReadAll(e.path() / "cmdline");
    for (char& c : cmd) c = c == '\0' ? ' ' : c;
    if (cmd.find(" serve ") != std::string::npos &&
        cmd.find(" " + data_dir + " ") != std::string::npos) {
      return std::stoi(name);
    }
  }
  return -1;
}

// A number field of /proc/<pid>/status ("Threads:", "VmSize:" in kB).
long long Status(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stoll(line.substr(field.size()));
  }
  return -1;
}
int Threads(int pid) { return static_cast<int>(Status(pid, "Threads:")); }

int CountPrefix(const std::string& dir, const std::string& prefix) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    n += e.path().filename().string().rfind(prefix, 0) == 0;
  }
  return n;
}

class UploadsAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--max-upload", "64M"});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string Files() { return server_->data_dir() + "/files"; }
  static std::string Recent() {
    auto r = server_->Client()->Get("/api/files/recent");
    return r ? r->body : "";
  }
  static httplib::Result PostEncoded(const std::string& encoding, const std::string& body) {
    return server_->Client()->Post("/api/files/upload?name=enc.log",
                                   {{"Content-Encoding", encoding}}, body,
                                   "application/octet-stream");
  }
  static ServerProcess* server_;
};
ServerProcess* UploadsAttack::server_ = nullptr;

// Posts one chunk; returns the status (0 when no answer).
int PostChunk(httplib::Client& cli, const std::string& upload_id, int index, int total,
              const std::string& bytes) {
  auto r = cli.Post("/api/files/upload/chunk",
                    json{{"uploadId", upload_id},
                         {"chunkIndex", index},
                         {"totalChunks", total},
                         {"data", base::EncodeBase64(bytes)}}
                        .dump(),
                    "application/json");
  return r ? r->status : 0;
}

httplib::Result PostComplete(httplib::Client& cli, const std::string& upload_id, int total) {
  return cli.Post("/api/files/upload/complete",
                  json{{"uploadId", upload_id},
                       {"name", upload_id + ".log"},
                       {"totalChunks", total},
                       {"encoding", "none"}}
                      .dump(),
                  "application/json");
}

// The last SSE event of an upload job (it ends when the job does).
json LastJobEvent(httplib::Client& cli, const std::string& job_id) {
  std::string sse;
  cli.Get("/api/files/upload/" + job_id + "/status", [&](const char* d, size_t n) {
    sse.append(d, n);
    return true;
  });
  const size_t at = sse.rfind("data: ");
  if (at == std::string::npos) return json();
  return json::parse(sse.substr(at + 6, sse.find("\n\n", at) - at - 6), nullptr, false);
}

TEST_F(UploadsAttack, TruncatedGzipIsRefusedAndNothingStored) {
  const std::string log = MakePlcDebugLog(4000);
  const std::string packed = Compress(log);
  const std::string before = Recent();
  const int files_before = CountFiles(Files());
  for (size_t cut : {packed.size() / 2, packed.size() - 4}) {
    auto r = PostEncoded("gzip", packed.substr(0, cut));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_EQ(Json(r)["code"], "BAD_ENCODING") << r->body;
    EXPECT_NE(r->body.find("truncated"), std::string::npos) << r->body;
  }
  EXPECT_EQ(CountFiles(Files()), files_before);
  EXPECT_EQ(CountFiles(server_->data_dir() + "/tmp"), 0);
  EXPECT_EQ(Recent(), before);
}

TEST_F(UploadsAttack, GarbageAfterTheGzipMemberIsRefused) {
  const std::string packed = Compress(MakePlcDebugLog(100));
  const int files_before = CountFiles(Files());
  auto r = PostEncoded("gzip", packed + "this is not a gzip member");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(Json(r)["code"], "BAD_ENCODING");
  EXPECT_NE(r->body.find("not another gzip member"), std::string::npos) << r->body;
  // A bad CRC in the trailer.
  std::string bad_crc = packed;
  bad_crc[bad_crc.size() - 6] ^= 0x5a;
  r = PostEncoded("gzip", bad_crc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  // Two whole members are one file.
  const std::string a = MakePlcDebugLog(50), b = MakePlcDebugLog(70);
  r = PostEncoded("gzip", Compress(a) + Compress(b));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(Json(r)["size"], a.size() + b.size());
  EXPECT_EQ(CountFiles(Files()), files_before + 1);
}

TEST_F(UploadsAttack, UnknownEncodingsAre415) {
  const std::string before = Recent();
  const int files_before = CountFiles(Files());
  for (const char* enc : {"br", "zstd", "compress", "gzip, br"}) {
    auto r = PostEncoded(enc, std::string(1000, 'x'));
    ASSERT_TRUE(r) << enc;
    EXPECT_EQ(r->status, 415) << enc << " " << r->body;
    EXPECT_EQ(Json(r)["code"], "UNSUPPORTED_ENCODING");
    EXPECT_NE(r->body.find(enc), std::string::npos) << r->body;
  }
  // A multipart body with an encoding is refused the same way.
  httplib::MultipartFormDataItems items = {{"file", "abc", "m.log", "application/octet-stream"}};
  auto r = server_->Client()->Post("/api/files/upload", {{"Content-Encoding", "br"}}, items);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415) << r->body;
  EXPECT_EQ(CountFiles(Files()), files_before);
  EXPECT_EQ(Recent(), before);
}

TEST_F(UploadsAttack, FileInfoCarriesTheXxh3OfTheStoredBytes) {
  auto cli = server_->Client();
  const std::string log = MakePlcDebugLog(300);
  json raw = UploadRaw(*cli, "hash.log", log);
  EXPECT_EQ(raw["contentHash"], Xxh3(log)) << raw.dump();
  auto r = PostEncoded("gzip", Compress(log));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json gz = Json(r);
  EXPECT_EQ(gz["contentHash"], Xxh3(log));
  EXPECT_EQ(ReadAll(Files() + "/" + gz["id"].get<std::string>() + ".log"), log);
  EXPECT_EQ(Json(cli->Get("/api/files/" + gz["id"].get<std::string>()))["contentHash"], Xxh3(log));
  r = cli->Post(
      "/api/files/upload", {{"Content-Encoding", "deflate"}},
      [&] {
        std::string out(compressBound(log.size()), '\0');
        uLongf n = out.size();
        compress2(reinterpret_cast<Bytef*>(out.data()), &n,
                  reinterpret_cast<const Bytef*>(log.data()), log.size(), 6);
        out.resize(n);
        return out;
      }(),
      "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(Json(r)["contentHash"], Xxh3(log));
}

TEST_F(UploadsAttack, CompleteWithWrongTotalChunksIs400) {
  auto cli = server_->Client();
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(PostChunk(*cli, "wrong-total", i, 3, "part" + std::to_string(i)), 202);
  const int files_before = CountFiles(Files());
  for (int total : {2, 4}) {
    auto r = PostComplete(*cli, "wrong-total", total);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_NE(r->body.find("totalChunks"), std::string::npos) << r->body;
  }
  // Missing chunks are named at once.
  ASSERT_EQ(PostChunk(*cli, "gap", 0, 4, "a"), 202);
  ASSERT_EQ(PostChunk(*cli, "gap", 3, 4, "d"), 202);
  auto r = PostComplete(*cli, "gap", 4);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("Chunks 1, 2 of 4 are missing"), std::string::npos) << r->body;
  EXPECT_EQ(CountFiles(Files()), files_before);
  // The right total assembles every chunk.
  r = PostComplete(*cli, "wrong-total", 3);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  json last = LastJobEvent(*cli, Json(r)["jobId"]);
  ASSERT_EQ(last["status"], "complete") << last.dump();
  EXPECT_EQ(ReadAll(Files() + "/" + last["fileInfo"]["id"].get<std::string>() + ".log"),
            "part0part1part2");
  EXPECT_TRUE(last["stageProgress"].is_number()) << last.dump();
}

TEST_F(UploadsAttack, ConcurrentRetriesOfOneChunk) {
  const std::string a(300 << 10, 'a'), b(200 << 10, 'b');
  std::atomic<int> ok{0}, conflict{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 24; ++t) {
    threads.emplace_back([&] {
      auto cli = server_->Client();
      const int s = PostChunk(*cli, "retried", 0, 2, a);
      (s >= 200 && s < 300 ? ok : s == 409 ? conflict : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0) << ok << " ok, " << conflict << " conflicts";
  EXPECT_GE(ok.load(), 1);
  auto cli = server_->Client();
  ASSERT_EQ(PostChunk(*cli, "retried", 1, 2, b), 202);
  auto r = PostComplete(*cli, "retried", 2);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  json last = LastJobEvent(*cli, Json(r)["jobId"]);
  ASSERT_EQ(last["status"], "complete") << last.dump();
  EXPECT_EQ(last["fileInfo"]["contentHash"], Xxh3(a + b));
  EXPECT_EQ(ReadAll(Files() + "/" + last["fileInfo"]["id"].get<std::string>() + ".log"), a + b);
}

TEST_F(UploadsAttack, ChunkedUploadsDoNotCostAThreadEach) {
  const int pid = ServerPid(server_->data_dir());
  ASSERT_GT(pid, 0);
  {
    // Warm up: the pool's threads and their malloc arenas exist after this.
    auto cli = server_->Client();
    for (int i = 0; i < 8; ++i) {
      const std::string id = "warm-" + std::to_string(i);
      ASSERT_EQ(PostChunk(*cli, id, 0, 1, "warm\n"), 202);
      auto r = PostComplete(*cli, id, 1);
      ASSERT_TRUE(r);
      ASSERT_EQ(LastJobEvent(*cli, Json(r)["jobId"])["status"], "complete");
    }
  }
  const long long vm_before = Status(pid, "VmSize:");
  const int baseline = Threads(pid);
  ASSERT_GT(baseline, 0);
  constexpr int kUploads = 300, kClients = 4;
  std::atomic<int> peak{baseline}, failures{0};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), Threads(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::vector<std::vector<std::string>> jobs(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto cli = server_->Client();
      for (int i = c; i < kUploads; i += kClients) {
        const std::string id = "small-" + std::to_string(i);
        if (PostChunk(*cli, id, 0, 1, "tiny file " + std::to_string(i) + "\n") != 202) {
          ++failures;
          continue;
        }
        auto r = PostComplete(*cli, id, 1);
        if (!r || r->status != 202) {
          ++failures;
          continue;
        }
        jobs[c].push_back(json::parse(r->body)["jobId"]);
      }
    });
  }
  for (auto& t : clients) t.join();
  auto cli = server_->Client();
  int complete = 0;
  for (const auto& list : jobs) {
    for (const auto& j : list) complete += LastJobEvent(*cli, j)["status"] == "complete";
  }
  done = true;
  sampler.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(complete, kUploads);
  EXPECT_LT(peak.load(), baseline + 16) << "baseline " << baseline;
  // Back to the baseline once the jobs are done.
  int now = Threads(pid);
  for (int i = 0; i < 100 && now > baseline; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    now = Threads(pid);
  }
  EXPECT_LE(now, baseline);
  // A thread left unjoined keeps its stack (8 MB of address space each).
  EXPECT_LT(Status(pid, "VmSize:") - vm_before, 1 << 20) << "kB of address space kept";
}

// Restarts on one data directory.
class RegistryAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "plcscope_registry_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Start() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{}, dir_);
    ASSERT_TRUE(server_->Start());
  }
  json Recent() { return Json(server_->Client()->Get("/api/files/recent")); }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(RegistryAttack, DamagedFilesJsonIsSetAsideAndRebuiltFromDisk) {
  Start();
  auto cli = server_->Client();
  const std::string one = MakePlcDebugLog(20), two = MakePlcDebugLog(30);
  json a = UploadRaw(*cli, "one.log", one);
  json b = UploadRaw(*cli, "two.log", two);
  server_->Stop();
  {
    std::ofstream f(dir_ + "/files.json", std::ios::binary | std::ios::trunc);
    f << "[{\"id\": \"" << a["id"].get<std::string>() << "\", \"na\x01\xff garbage";
  }
  Start();  // starts, does not refuse
  json list = Recent();
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 2u) << list.dump();
  std::set<std::string> ids;
  for (const auto& f : list) ids.insert(f["id"].get<std::string>());
  EXPECT_TRUE(ids.count(a["id"]));
  EXPECT_TRUE(ids.count(b["id"]));
  json got = Json(server_->Client()->Get("/api/files/" + a["id"].get<std::string>()));
  EXPECT_EQ(got["name"], a["id"].get<std::string>() + ".log");
  EXPECT_EQ(got["size"], one.size());
  EXPECT_EQ(CountPrefix(dir_, "files.json.damaged-"), 1);
  // The recovered files still parse.
  auto r =
      server_->Client()->Post("/api/parse", json{{"fileId", b["id"]}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitParsed(*server_->Client(), Json(r)["id"])["status"], "complete");
  // The rebuilt registry is sound on the next start.
  Start();
  EXPECT_EQ(Recent().size(), 2u);
  EXPECT_EQ(CountPrefix(dir_, "files.json.damaged-"), 1);
}

TEST_F(RegistryAttack, AnEntryPointingOutsideTheFilesFolderIsDropped) {
  Start();
  json a = UploadRaw(*server_->Client(), "kept.log", MakePlcDebugLog(10));
  server_->Stop();
  const std::string outside = dir_ + "/outside.log";
  { std::ofstream(outside) << "not an upload\n"; }
  json reg = json::parse(std::ifstream(dir_ + "/files.json"));
  ASSERT_TRUE(reg.is_array());
  reg.push_back({{"id", "00000000000000ee"},
                 {"name", "escape.log"},
                 {"size", 14},
                 {"uploadedAtNs", 1},
                 {"path", outside},
                 {"external", false}});
  reg.push_back({{"id", "not hex"}, {"name", "x"}, {"size", 1}, {"path", outside}});
  { std::ofstream(dir_ + "/files.json", std::ios::trunc) << reg.dump(); }
  Start();
  json list = Recent();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["id"], a["id"]);
  auto r = server_->Client()->Get("/api/files/00000000000000ee");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(fs::exists(outside));  // never touched
  EXPECT_EQ(CountPrefix(dir_, "files.json.damaged-"), 1);
}

}  // namespace
}  // namespace plcscope::apitest
