// Attacks on the query endpoints: responses whose size has no bound, heavy
// queries that starve light ones, queries without a deadline, clients that
// leave in the middle of a heavy query. Against a real `plcscope serve` on
// a generated plc_debug log of 250,000 lines (about 35 MB).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kLines = 250000;

// The generated log, shared by the whole binary.
const std::string& LogFile() {
  static const std::string path = [] {
    const std::string p = (fs::temp_directory_path() /
                           ("plcscope_queries_attack_" + std::to_string(::getpid()) + ".log"))
                              .string();
    const std::string cmd = std::string(PLCSCOPE_BIN) +
                            " gen --format plc_debug --seed 7 --lines " + std::to_string(kLines) +
                            " -o " + p + " > /dev/null";
    if (std::system(cmd.c_str()) != 0) return std::string();
    return p;
  }();
  return path;
}

class LogCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    if (!LogFile().empty()) fs::remove(LogFile(), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new LogCleanup);

// A server over the log with `args`; waits for the startup session's parse.
struct Served {
  std::unique_ptr<ServerProcess> server;
  std::string session;

  bool Start(std::vector<std::string> args) {
    if (LogFile().empty()) return false;
    args.insert(args.begin(), LogFile());
    server = std::make_unique<ServerProcess>(args);
    if (!server->Start()) return false;
    auto cli = server->Client();
    json health = Json(cli->Get("/api/health"));
    if (!health.contains("startupSessionId")) return false;
    session = health["startupSessionId"];
    json parsed = WaitParsed(*cli, session, 120000);
    return parsed["status"] == "complete";
  }
  std::string Path(const std::string& tail) const { return "/api/parse/" + session + tail; }
  std::unique_ptr<httplib::Client> Client(int read_timeout_s = 120) const {
    auto cli = server->Client();
    cli->set_read_timeout(read_timeout_s, 0);
    return cli;
  }
};

// The server's resident memory in KiB (its process is the one whose command
// line names its data directory).
long ServerRssKb(const ServerProcess& s) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd(e.path() / "cmdline");
    std::string line((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    if (line.find(s.data_dir()) == std::string::npos || line.find("serve") == std::string::npos)
      continue;
    std::ifstream status(e.path() / "status");
    std::string l;
    while (std::getline(status, l)) {
      if (l.rfind("VmRSS:", 0) == 0) return std::atol(l.c_str() + 6);
    }
  }
  return -1;
}

// A distinct uncached heavy query per i: a regex over all rows sorted by value.
std::string HeavyPath(const Served& s, int i) {
  return s.Path("/entries?regex=true&sort=value&order=desc&pageSize=50&search=" +
                std::string(i % 2 ? "[0-9]" : "[A-Z]") + "%7C" + std::to_string(1000 + i));
}

TEST(QueriesAttack, WaveformOfAllSignalsAtHugeWidthIsRefusedAndMemoryStaysFlat) {
  Served s;
  ASSERT_TRUE(s.Start({"--max-at-time-signals", "3"}));
  auto cli = s.Client();
  json keys = Json(cli->Get(s.Path("/signals")));
  ASSERT_TRUE(keys.is_array());
  ASSERT_GT(keys.size(), 1000u);
  json all = {{"signals", keys}, {"width", 20000}};
  auto r = cli->Post(s.Path("/waveform"), all.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body.substr(0, 300);
  json err = Json(r);
  EXPECT_EQ(err["code"], "BAD_PARAMETER");
  const std::string msg = err["error"];
  EXPECT_NE(msg.find("'signals'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'width'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2000000"), std::string::npos) << msg;

  const long before = ServerRssKb(*s.server);
  ASSERT_GT(before, 0);
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  const std::string body = all.dump();
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto c = s.Client();
      auto x = c->Post(s.Path("/waveform"), body, "application/json");
      if (x && x->status == 400) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 8);
  const long after = ServerRssKb(*s.server);
  // Eight answers of 5,000 x 20,000 columns would need gigabytes.
  EXPECT_LT(after - before, 200 * 1024) << before << " KiB -> " << after << " KiB";

  // Within the bound it answers, and a width past the maximum is a 400.
  json hundred = json::array();
  for (size_t i = 0; i < 100; ++i) hundred.push_back(keys[i]);
  json some = {{"signals", hundred}, {"width", 2000}};
  auto ok = cli->Post(s.Path("/waveform"), some.dump(), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  json wide = {{"signals", json::array({keys[0]})}, {"width", 20001}};
  auto w = cli->Post(s.Path("/waveform"), wide.dump(), "application/json");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->status, 400);
  EXPECT_NE(w->body.find("width"), std::string::npos);
  // Named at-time signals are bounded too.
  auto at = cli->Get(s.Path("/at-time?timestamp=0&signals=a,b,c,d"));
  ASSERT_TRUE(at);
  EXPECT_EQ(at->status, 400);
  EXPECT_NE(at->body.find("at most 3"), std::string::npos) << at->body;
  auto at_all = cli->Get(s.Path("/at-time?timestamp=0"));
  ASSERT_TRUE(at_all);
  EXPECT_EQ(at_all->status, 200);
}

TEST(QueriesAttack, LightPagesKeepAnsweringWhileTwentyHeavyQueriesRun) {
  Served s;
  ASSERT_TRUE(s.Start({"--heavy-queries", "1", "--query-budget-ms", "120000"}));
  std::atomic<int> heavy_ok{0}, heavy_started{0};
  std::vector<std::thread> heavy;
  for (int i = 0; i < 20; ++i) {
    heavy.emplace_back([&, i] {
      auto c = s.Client();
      ++heavy_started;
      auto r = c->Get(HeavyPath(s, i));
      if (r && r->status == 200) ++heavy_ok;
    });
  }
  for (int i = 0; i < 500 && heavy_started.load() < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::atomic<bool> heavy_done{false};
  std::thread watcher([&] {
    for (auto& t : heavy) t.join();
    heavy_done = true;
  });
  // Light: first, middle and later pages of the unfiltered list, and metadata.
  auto cli = s.Client();
  int light_ok = 0;
  bool light_finished_first = false;
  for (int i = 0; i < 20; ++i) {
    auto r = cli->Get(s.Path("/entries?pageSize=50&page=" + std::to_string(1 + i * 97)));
    if (r && r->status == 200 && Json(r)["entries"].size() == 50) ++light_ok;
  }
  light_finished_first = !heavy_done.load();
  auto devices = cli->Get(s.Path("/devices"));
  watcher.join();
  EXPECT_EQ(light_ok, 20);
  ASSERT_TRUE(devices);
  EXPECT_EQ(devices->status, 200);
  EXPECT_EQ(heavy_ok.load(), 20);
  EXPECT_TRUE(light_finished_first) << "the light pages waited for the heavy batch";
}

TEST(QueriesAttack, AQueryPastTheTimeoutGets503QueryTimeout) {
  Served s;
  ASSERT_TRUE(s.Start({"--query-timeout-ms", "1"}));
  auto cli = s.Client();
  auto r = cli->Get(HeavyPath(s, 1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  json err = Json(r);
  EXPECT_EQ(err["code"], "QUERY_TIMEOUT");
  EXPECT_NE(err["error"].get<std::string>().find("1 ms"), std::string::npos) << err.dump();
  // A cached or plain page still answers.
  auto page = cli->Get(s.Path("/entries?pageSize=10&page=3"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  // The invalid regex names its parameter.
  auto bad = cli->Get(s.Path("/entries?regex=true&exclude=(x"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("'exclude'"), std::string::npos) << bad->body;
}

TEST(QueriesAttack, AClientThatLeavesMidHeavyQueryFreesItsSlot) {
  Served s;
  ASSERT_TRUE(s.Start({"--heavy-queries", "1", "--heavy-queue", "2"}));
  {
    // Gives up (and closes its connection) long before the answer.
    auto quitter = s.Client();
    quitter->set_read_timeout(0, 1000);
    auto r = quitter->Get(HeavyPath(s, 3));
    (void)r;
  }
  // The next heavy queries get in and answer.
  auto cli = s.Client();
  for (int i = 4; i < 7; ++i) {
    auto r = cli->Get(HeavyPath(s, i));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body.substr(0, 200);
  }
}

}  // namespace
}  // namespace plcscope::apitest
