// Attacks on what the server keeps on disk: file names that are not UTF-8,
// damaged stores and registries, what a killed writer leaves, deleting a file
// while it parses, and `plcscope parse` then `serve` on one data directory.
// Every case runs a real `plcscope serve` (tests/api/server_process.h).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// True when `s` is valid UTF-8 (a strict decoder, independent of the server's).
bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n;
  }
  return true;
}

class StoresAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("plcscope_stores_attack_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter_++));
    fs::remove_all(root_);
    fs::create_directories(root_ / "data");
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }
  std::string DataDir() const { return (root_ / "data").string(); }
  std::string Stores() const { return (root_ / "data" / "stores").string(); }

  ServerProcess& Serve(std::vector<std::string> args = {}) {
    server_.reset();  // stops the previous one
    server_ = std::make_unique<ServerProcess>(std::move(args), DataDir());
    EXPECT_TRUE(server_->Start());
    return *server_;
  }
  bool Healthy() {
    auto r = server_->Client()->Get("/api/health");
    return r && r->status == 200;
  }
  // Files in stores/ that are stores or temporary files.
  std::vector<std::string> StoreFiles() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(Stores(), ec)) {
      const std::string n = e.path().filename().string();
      if (n.find(".store") != std::string::npos) out.push_back(n);
    }
    return out;
  }
  std::string StartParse(httplib::Client& cli, const std::string& file_id) {
    auto r = cli.Post("/api/parse", json{{"fileId", file_id}}.dump(), "application/json");
    EXPECT_TRUE(r && (r->status == 202 || r->status == 200 || r->status == 201))
        << (r ? r->body : "no answer");
    return r ? Json(r).value("id", "") : "";
  }
  // Every query kind answers with a status (no dropped connection, no 5xx).
  void ExpectQueriesAnswer(const std::string& id) {
    auto cli = server_->Client();
    for (const std::string path :
         {"/entries?page=1&pageSize=10", "/entries?search=a&sortBy=value&sortOrder=desc",
          "/signals", "/devices", "/categories", "/errors", "/time-tree", "/signal-types"}) {
      auto r = cli->Get(("/api/parse/" + id + path).c_str());
      ASSERT_TRUE(r) << path << ": no answer";
      EXPECT_LT(r->status, 500) << path << ": " << r->body;
    }
    EXPECT_TRUE(Healthy());
  }

  static inline int counter_ = 0;
  fs::path root_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(StoresAttack, Latin1FileNameOnTheCommandLineIsShownRepaired) {
  const std::string path = (root_ / "St\xf6rung.log").string();
  std::ofstream(path) << MakePlcDebugLog(200);
  ServerProcess& srv = Serve({path});
  auto cli = srv.Client();
  ASSERT_TRUE(Healthy());
  json files = Json(cli->Get("/api/files/recent"));
  const json& list = files.is_array() ? files : files["files"];
  ASSERT_EQ(list.size(), 1u) << files.dump();
  const std::string name = list[0]["name"].get<std::string>();
  EXPECT_TRUE(ValidUtf8(name));
  EXPECT_EQ(name.rfind("St", 0), 0u) << name;
  EXPECT_NE(name.find("rung.log"), std::string::npos) << name;
  json done = WaitParsed(*cli, StartParse(*cli, list[0]["id"].get<std::string>()));
  EXPECT_EQ(done["status"], "complete") << done.dump();
  ASSERT_TRUE(done["files"].is_array());
  EXPECT_TRUE(ValidUtf8(done["files"][0]["name"].get<std::string>()));
  EXPECT_TRUE(Healthy());
}

TEST_F(StoresAttack, Latin1AndCutUtf8UploadNamesParse) {
  ServerProcess& srv = Serve();
  auto cli = srv.Client();
  std::string cut;  // 150 "ö" (300 bytes): cut at 255 bytes lands mid-character
  for (int i = 0; i < 150; ++i) cut += "%C3%B6";
  for (const std::string& name : {std::string("St%F6rung.log"), cut + ".log"}) {
    json f = UploadRaw(*cli, name, MakePlcDebugLog(100));
    ASSERT_TRUE(f.contains("id")) << f.dump();
    EXPECT_TRUE(ValidUtf8(f["name"].get<std::string>()));
    json done = WaitParsed(*cli, StartParse(*cli, f["id"].get<std::string>()));
    EXPECT_EQ(done["status"], "complete") << done.dump();
    EXPECT_TRUE(ValidUtf8(done["files"][0]["name"].get<std::string>()));
    ASSERT_TRUE(Healthy());
  }
}

TEST_F(StoresAttack, DamagedStoreIsParsedAgainNeverServed) {
  auto cli = Serve().Client();
  json f = UploadRaw(*cli, "a.log", MakePlcDebugLog(3000));
  const std::string id = StartParse(*cli, f["id"].get<std::string>());
  ASSERT_EQ(WaitParsed(*cli, id)["status"], "complete");
  const json before = Json(cli->Get(("/api/parse/" + id + "/entries?pageSize=5").c_str()));
  server_.reset();
  auto stores = StoreFiles();
  ASSERT_EQ(stores.size(), 1u);
  // Flip bytes in every region of the file: header, dictionaries, rows, table.
  const std::string p = Stores() + "/" + stores[0];
  std::fstream io(p, std::ios::in | std::ios::out | std::ios::binary);
  const auto size = static_cast<std::streamoff>(fs::file_size(p));
  for (std::streamoff at : {std::streamoff{13}, size / 5, size / 2, size * 4 / 5, size - 9}) {
    io.seekg(at);
    char c = 0;
    io.get(c);
    io.seekp(at);
    io.put(static_cast<char>(c ^ 0x5a));
  }
  io.close();
  cli = Serve().Client();
  json done = WaitParsed(*cli, id);
  ASSERT_TRUE(done["status"] == "complete" || done["status"] == "error") << done.dump();
  ExpectQueriesAnswer(id);
  if (done["status"] == "complete") {
    EXPECT_EQ(Json(cli->Get(("/api/parse/" + id + "/entries?pageSize=5").c_str())), before);
  }
}

TEST_F(StoresAttack, DamagedSessionsJsonIsSetAsideAndRebuilt) {
  auto cli = Serve().Client();
  json f = UploadRaw(*cli, "a.log", MakePlcDebugLog(500));
  const std::string file_id = f["id"].get<std::string>();
  ASSERT_EQ(WaitParsed(*cli, StartParse(*cli, file_id))["status"], "complete");
  server_.reset();
  const fs::path registry = root_ / "data" / "sessions.json";
  ASSERT_TRUE(fs::exists(registry));
  std::ofstream(registry, std::ios::trunc) << "[{\"id\": \"x\", \"fileIds\": [1,2";
  cli = Serve().Client();
  ASSERT_TRUE(Healthy());
  bool kept = false;
  for (const auto& e : fs::directory_iterator(root_ / "data")) {
    kept = kept || e.path().filename().string().rfind("sessions.json.damaged-", 0) == 0;
  }
  EXPECT_TRUE(kept) << "the damaged registry was not kept";
  auto text = std::ifstream(registry);
  json rebuilt = json::parse(text, nullptr, false);
  ASSERT_TRUE(rebuilt.is_array()) << "registry not rebuilt";
  ASSERT_EQ(rebuilt.size(), 1u) << rebuilt.dump();
  EXPECT_EQ(rebuilt[0]["fileIds"][0], file_id);
  const std::string recovered = rebuilt[0]["id"].get<std::string>();
  json status = Json(cli->Get(("/api/parse/" + recovered + "/status").c_str()));
  EXPECT_EQ(status["status"], "complete") << status.dump();
  ExpectQueriesAnswer(recovered);
}

TEST_F(StoresAttack, StaleTemporaryStoreIsRemovedAtStart) {
  fs::create_directories(Stores());
  const fs::path stale = fs::path(Stores()) / "0123456789abcdef.store.tmp-4194301-1";
  std::ofstream(stale, std::ios::binary) << std::string(1 << 20, 'x');
  const fs::path other = fs::path(Stores()) / "README";
  std::ofstream(other) << "not ours";
  Serve();
  ASSERT_TRUE(Healthy());
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(other));
}

// A log big enough that its parse is still running when the delete arrives.
std::string GenerateLog(const fs::path& path, int lines) {
  const std::string cmd = std::string(PLCSCOPE_BIN) + " gen --lines " + std::to_string(lines) +
                          " -o '" + path.string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return path.string();
}

TEST_F(StoresAttack, DeletingAFileOrSessionWhileItParsesLeavesNoStore) {
  const std::string log = GenerateLog(root_ / "big.log", 150000);
  ASSERT_GT(fs::file_size(log), 4u << 20);
  std::ifstream in(log, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cli = Serve().Client();
  for (const bool delete_file : {true, false}) {
    json f = UploadRaw(*cli, "big.log", bytes);
    const std::string file_id = f["id"].get<std::string>();
    const std::string id = StartParse(*cli, file_id);
    // Delete once the parse has started.
    for (int i = 0; i < 200; ++i) {
      json st = Json(cli->Get(("/api/parse/" + id + "/status").c_str()));
      if (st.value("status", "") != "pending") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const std::string target = delete_file ? "/api/files/" + file_id : "/api/parse/" + id;
    auto r = cli->Delete(target.c_str());
    ASSERT_TRUE(r && r->status == 204) << (r ? r->body : "no answer");
    // The cancelled parse stops and leaves nothing in stores/.
    bool empty = false;
    for (int i = 0; i < 300 && !empty; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      empty = StoreFiles().empty();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(StoreFiles().empty())
        << (delete_file ? "file" : "session") << " delete left " << StoreFiles()[0];
    if (!delete_file) cli->Delete(("/api/files/" + file_id).c_str());
    ASSERT_TRUE(Healthy());
  }
}

TEST_F(StoresAttack, ParseThenServeOpensTheSameStore) {
  const std::string log = WriteTempFile("cli.log", MakePlcDebugLog(2000));
  const std::string out = (root_ / "parse.json").string();
  const std::string cmd = std::string(PLCSCOPE_BIN) + " parse '" + log + "' --data-dir '" +
                          DataDir() + "' --json > '" + out + "' 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  json summary = json::parse(in, nullptr, false);
  ASSERT_TRUE(summary.is_object());
  EXPECT_FALSE(summary["reused"].get<bool>());
  EXPECT_TRUE(summary["files"][0].contains("errorCount"));
  const std::string store = summary["store"].get<std::string>();
  ASSERT_EQ(fs::path(store).parent_path(), fs::path(Stores()));
  struct stat before {};
  ASSERT_EQ(::stat(store.c_str(), &before), 0);

  // A second `parse` reopens it.
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in2(out);
  EXPECT_TRUE(json::parse(in2, nullptr, false)["reused"].get<bool>());

  auto cli = Serve({log}).Client();
  json files = Json(cli->Get("/api/files/recent"));
  const json& list = files.is_array() ? files : files["files"];
  ASSERT_EQ(list.size(), 1u);
  json done = WaitParsed(*cli, StartParse(*cli, list[0]["id"].get<std::string>()), 5000);
  EXPECT_EQ(done["status"], "complete") << done.dump();
  EXPECT_EQ(done["entryCount"], summary["entries"]);
  struct stat after {};
  ASSERT_EQ(::stat(store.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino) << "the server parsed the file again";
  EXPECT_EQ(StoreFiles().size(), 1u);
  fs::remove(log);
}

}  // namespace
}  // namespace plcscope::apitest
