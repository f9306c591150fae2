// The operator's view of a real server: GET /metrics moves by the right
// amounts across requests and a parse, and is token-protected off loopback;
// GET /api/ready holds at 503 until the startup session is opened; the
// config file and the JSON log lines.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

// "name{labels} value" lines -> value by "name{labels}".
std::map<std::string, double> Scrape(httplib::Client& cli, const httplib::Headers& h = {}) {
  auto r = cli.Get("/metrics", h);
  std::map<std::string, double> out;
  if (!r) {
    ADD_FAILURE() << "no answer from /metrics";
    return out;
  }
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  std::istringstream in(r->body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t sp = line.rfind(' ');
    out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return out;
}

double Get(const std::map<std::string, double>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

TEST(ApiMetrics, CountersMoveByTheRightAmounts) {
  ServerProcess server({"--demo", "none", "--store-budget", "1G"});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const std::string health =
      R"(plcscope_http_requests_total{method="GET",route="/api/health",code="200"})";
  // A request is counted once its response is written, so Start()'s health
  // probe may be counted just after its client has read the answer: wait for
  // it, so that "before" holds it (under ASan it raced the first scrape).
  auto before = Scrape(*cli);
  int scrapes = 1;
  for (int i = 0; i < 500 && Get(before, health) < 1.0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    before = Scrape(*cli);
    ++scrapes;
  }
  ASSERT_GE(Get(before, health), 1.0) << "Start()'s health probe was never counted";
  EXPECT_EQ(Get(before, "plcscope_store_budget_bytes"), 1073741824.0);
  EXPECT_GE(Get(before, "plcscope_http_connections_open"), 1.0);
  EXPECT_GT(Get(before, "plcscope_process_resident_memory_bytes"), 1e6);

  for (int i = 0; i < 3; ++i) ASSERT_EQ(cli->Get("/api/health")->status, 200);
  ASSERT_EQ(cli->Get("/api/parse/nope/status")->status, 404);
  ASSERT_EQ(cli->Get("/api/no/such/route")->status, 404);
  const std::string log = MakePlcDebugLog(300);
  const json file = UploadRaw(*cli, "trace.log", log);
  auto r = cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const json parsed = WaitParsed(*cli, json::parse(r->body)["id"]);
  ASSERT_EQ(parsed["status"], "complete") << parsed.dump();
  const double rows = parsed["entryCount"].get<double>();
  ASSERT_GT(rows, 0);

  const auto after = Scrape(*cli);
  auto delta = [&](const std::string& key) { return Get(after, key) - Get(before, key); };
  EXPECT_EQ(delta(health), 3.0);
  // By the route pattern, never the raw path.
  EXPECT_EQ(
      delta(
          R"(plcscope_http_requests_total{method="GET",route="/api/parse/:id/status",code="404"})"),
      1.0);
  EXPECT_EQ(delta(R"(plcscope_http_requests_total{method="*",route="unmatched",code="404"})"), 1.0);
  EXPECT_EQ(delta(R"(plcscope_http_requests_total{method="POST",route="/api/parse",code="202"})"),
            1.0);
  // The scrapes before are counted once they are answered; this one is not yet.
  EXPECT_EQ(Get(after, R"(plcscope_http_requests_total{method="GET",route="/metrics",code="200"})"),
            static_cast<double>(scrapes));
  EXPECT_EQ(
      delta(R"(plcscope_http_request_duration_seconds_count{method="GET",route="/api/health"})"),
      3.0);
  EXPECT_EQ(
      delta(
          R"(plcscope_http_request_duration_seconds_bucket{method="GET",route="/api/health",le="+Inf"})"),
      3.0);
  for (const auto& [k, v] : after) EXPECT_EQ(k.find("nope"), std::string::npos) << k;

  EXPECT_EQ(delta("plcscope_parse_jobs_started_total"), 1.0);
  EXPECT_EQ(delta("plcscope_parse_jobs_completed_total"), 1.0);
  EXPECT_EQ(delta("plcscope_parse_jobs_failed_total"), 0.0);
  EXPECT_EQ(Get(after, "plcscope_parse_jobs_running"), 0.0);
  EXPECT_EQ(Get(after, "plcscope_parse_jobs_queued"), 0.0);
  EXPECT_EQ(delta("plcscope_ingest_bytes_total"), static_cast<double>(log.size()));
  EXPECT_EQ(delta("plcscope_ingest_rows_total"), rows);
  EXPECT_GT(Get(after, "plcscope_ingest_last_bytes_per_second"), 0.0);
  EXPECT_EQ(Get(after, "plcscope_sessions_open"), 1.0);
  EXPECT_EQ(Get(after, "plcscope_sessions_known"), 1.0);
  EXPECT_GT(Get(after, "plcscope_store_bytes"), 0.0);
  EXPECT_GT(Get(after, "plcscope_http_connections_total"), 0.0);
  EXPECT_GE(Get(after, "plcscope_process_resident_memory_peak_bytes"),
            Get(after, "plcscope_process_resident_memory_bytes"));

  // The same content again is reopened from disk, not parsed.
  r = cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json");
  ASSERT_TRUE(r);
  const auto again = Scrape(*cli);
  EXPECT_EQ(Get(again, "plcscope_parse_jobs_started_total"),
            Get(after, "plcscope_parse_jobs_started_total"));
  EXPECT_EQ(
      Get(again, "plcscope_parse_reopened_total") - Get(after, "plcscope_parse_reopened_total"),
      1.0);
}

TEST(ApiMetrics, TokenProtectedOffLoopback) {
  ServerProcess server({"--host", "0.0.0.0", "--token", "m3trics-token", "--demo", "none"});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  auto denied = cli->Get("/metrics");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body.find("plcscope_"), std::string::npos);
  const auto m = Scrape(*cli, {{"Authorization", "Bearer m3trics-token"}});
  EXPECT_GE(Get(m, R"(plcscope_http_requests_total{method="*",route="unmatched",code="401"})"),
            1.0);
}

// `plcscope serve ARGS 2>&1` and its exit status.
std::string RunServe(const std::string& args, int* status) {
  const std::string cmd = std::string(PLCSCOPE_BIN) + " serve " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n = 0;
  while (p != nullptr && (n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int st = p == nullptr ? -1 : ::pclose(p);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

TEST(ApiConfig, TheFileConfiguresARealServerAndFlagsWin) {
  const std::string conf = WriteTempFile("plcscope.toml",
                                         "# a plant's server\n"
                                         "store-budget = \"3G\"\n"
                                         "max-parses = 2\n"
                                         "demo = \"none\"\n");
  ServerProcess server({"--config", conf, "--max-parses", "1"});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  EXPECT_EQ(Get(Scrape(*cli), "plcscope_store_budget_bytes"), 3221225472.0);

  int status = 0;
  const std::string printed =
      RunServe("--config " + conf + " --max-parses 1 --print-config", &status);
  EXPECT_EQ(status, 0) << printed;
  EXPECT_NE(printed.find("# config file: " + conf + "\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("store-budget = \"3G\"  # file\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("max-parses = 1  # flag\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("port = 8080  # default\n"), std::string::npos) << printed;
}

TEST(ApiConfig, ABadFileStopsTheServerWithItsLine) {
  const std::string conf = WriteTempFile("bad.toml", "port = 1\nstore-budjet = \"3G\"\n");
  int status = 0;
  const std::string out = RunServe("--config " + conf + " --port 0", &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find(conf + ":2: unknown key 'store-budjet'"), std::string::npos) << out;
  const std::string missing = RunServe("--config " + conf + ".absent --print-config", &status);
  EXPECT_EQ(status, 2) << missing;
  EXPECT_NE(missing.find("cannot read the config file"), std::string::npos) << missing;
}

TEST(ApiLogs, JsonLinesAMachineCanParse) {
  const std::string err = WriteTempFile("stderr.log", "");
  // --quiet=false: ServerProcess passes --quiet; the request lines are wanted here.
  ServerProcess server({"--log-format", "json", "--quiet=false"});
  server.SetStderrPath(err);
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  ASSERT_EQ(cli->Get("/api/health")->status, 200);
  const std::string log = MakePlcDebugLog(200);
  const json file = UploadRaw(*cli, "trace.log", log);
  auto r = cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json");
  ASSERT_TRUE(r);
  const std::string id = json::parse(r->body)["id"];
  const json parsed = WaitParsed(*cli, id);
  ASSERT_EQ(parsed["status"], "complete");
  auto exported = cli->Get("/api/parse/" + id + "/export?format=csv");  // a streamed answer
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_EQ(server.Stop(), 0);

  std::ifstream in(err);
  std::string line;
  std::vector<json> lines;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
    ASSERT_TRUE(j["ts"].is_string() && j["level"].is_string() && j["component"].is_string() &&
                j["msg"].is_string())
        << line;
    EXPECT_TRUE(IsRfc3339Millis(j["ts"])) << line;
    lines.push_back(std::move(j));
  }
  auto find = [&](const std::string& component, const std::string& msg) {
    for (const json& j : lines) {
      if (j["component"] == component && j["msg"].get<std::string>().rfind(msg, 0) == 0) return j;
    }
    ADD_FAILURE() << "no line " << component << ": " << msg;
    return json::object();
  };
  const json start = find("serve", "starting");
  EXPECT_EQ(start["config"], "none");
  EXPECT_EQ(start["data_dir"], server.data_dir());
  EXPECT_EQ(start["parses"], 1);
  EXPECT_EQ(find("serve", "listening")["port"], server.port());
  const json health = find("http", "GET /api/health");
  EXPECT_EQ(health["status"], 200);
  EXPECT_EQ(health["route"], "/api/health");
  EXPECT_EQ(health["client"], "127.0.0.1");
  EXPECT_GT(health["bytes"].get<int>(), 0);
  EXPECT_TRUE(health["ms"].is_number());
  EXPECT_EQ(find("http", "GET /api/parse/" + id + "/status")["route"], "/api/parse/:id/status");
  const json streamed = find("http", "GET /api/parse/" + id + "/export");
  EXPECT_EQ(streamed["bytes"], exported->body.size())
      << streamed;  // the body, not its chunk framing
  EXPECT_EQ(find("files", "uploaded")["bytes"], log.size());
  EXPECT_EQ(find("parse " + id, "started")["bytes"], log.size());
  EXPECT_TRUE(find("parse " + id, "progress")["rss_mb"].is_number());
  const json done = find("parse " + id, "complete");
  EXPECT_EQ(done["rows"], parsed["entryCount"]);
  EXPECT_EQ(done["bytes"], log.size());
  EXPECT_EQ(done["level"], "info");
  EXPECT_GT(done["peak_rss_mb"].get<int>(), 0);
  EXPECT_TRUE(done["mb_per_s"].is_number());
  EXPECT_EQ(find("serve", "stopping")["signal"], "SIGTERM");
  EXPECT_EQ(lines.back()["msg"], "stopped");
}

// The startup file is a FIFO nobody writes yet: opening it blocks, so the
// startup session cannot be opened and /api/ready must say so, while
// /api/health answers. Once a writer feeds it, the session ends (a FIFO
// cannot be read at offsets, so it ends in an error: that is the session's
// failure, not the server's) and readiness turns to 200.
TEST(ApiReadiness, HeldAt503UntilTheStartupSessionIsOpened) {
  const std::string fifo =
      std::filesystem::path(WriteTempFile("placeholder", "")).parent_path().string() + "/live.log";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  ServerProcess server({fifo});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const json health = Json(cli->Get("/api/health"));
  ASSERT_TRUE(health["startupSessionId"].is_string()) << health;
  const std::string id = health["startupSessionId"];
  for (int i = 0; i < 3; ++i) {  // stays not ready while nothing can be read
    auto r = cli->Get("/api/ready");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503) << r->body;
    EXPECT_EQ(r->get_header_value("Retry-After"), "1");
    const json j = json::parse(r->body);
    EXPECT_EQ(j["ready"], false);
    EXPECT_EQ(j["startupSessionId"], id);
    EXPECT_TRUE(j["reason"].is_string());
    EXPECT_TRUE(j["startupStatus"] == "pending" || j["startupStatus"] == "parsing") << j;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // A writer that feeds the FIFO whenever a reader has it open.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    const std::string log = MakePlcDebugLog(100, false);
    while (!stop) {
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) {  // ENXIO: no reader yet
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      ::fcntl(fd, F_SETFL, 0);
      if (::write(fd, log.data(), log.size()) < 0) {
        // the reader left: try again
      }
      ::close(fd);
    }
  });
  json ready;
  int status = 0;
  for (int i = 0; i < 600 && status != 200; ++i) {
    auto r = cli->Get("/api/ready");
    ASSERT_TRUE(r);
    status = r->status;
    ready = json::parse(r->body);
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  writer.join();
  ASSERT_EQ(status, 200) << ready;
  EXPECT_EQ(ready["ready"], true);
  EXPECT_EQ(ready.count("reason"), 0u) << ready;
  const json session = Json(cli->Get("/api/parse/" + id + "/status"));
  EXPECT_EQ(ready["startupStatus"], session["status"]) << session;
  EXPECT_TRUE(session["status"] == "complete" || session["status"] == "error") << session;
}

TEST(ApiReadiness, ReadyAtOnceWithoutStartupFiles) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto r = server.Client()->Get("/api/ready");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body), json({{"ready", true}}));
}

TEST(ApiLogs, WarningsForADamagedRegistryAreLevelled) {
  ServerProcess first;
  ASSERT_TRUE(first.Start());
  const std::string dir = first.data_dir();
  first.Stop();
  { std::ofstream(dir + "/sessions.json") << "{not json"; }
  const std::string err = WriteTempFile("stderr.log", "");
  ServerProcess second({"--log-format", "json"}, dir);
  second.SetStderrPath(err);
  ASSERT_TRUE(second.Start());
  second.Stop();
  std::ifstream in(err);
  std::string line;
  bool warned = false;
  while (std::getline(in, line)) {
    const json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    if (j["level"] == "warning" && j["component"] == "sessions") {
      warned = true;
      EXPECT_EQ(j["path"], dir + "/sessions.json") << line;
      EXPECT_NE(j["kept_as"].get<std::string>().find("sessions.json.damaged-"), std::string::npos);
    }
  }
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace plcscope::apitest
