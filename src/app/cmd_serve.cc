// `plcscope serve`: the HTTP server and web UI. Wiring only: options into a
// ServerConfig, the Api and its transport, signals, housekeeping.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "app/commands.h"
#include "http/api.h"
#include "http/config.h"
#include "http/server.h"

namespace plcscope::app {

namespace {

namespace fs = std::filesystem;

// "512M", "20G", "1048576" -> bytes; false on anything else.
bool ParseSize(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  size_t i = 0;
  uint64_t v = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  int shift = 0;
  if (i < text.size()) {
    switch (text[i] | 0x20) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        return false;
    }
    ++i;
    if (i < text.size() && (text[i] | 0x20) == 'b') ++i;
  }
  if (i != text.size()) return false;
  *out = v << shift;
  return true;
}

std::string RandomToken() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 32; ++i) t.push_back(kHex[rd() & 15]);
  return t;
}

// Where the project's files are: next to the executable's build tree, or the
// source tree this binary was built from.
std::string FindProjectFile(const std::string& rel) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> roots;
  if (!ec) {
    for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
      roots.push_back(p);
    }
  }
  roots.push_back(PLCSCOPE_SOURCE_DIR);
  roots.push_back(fs::current_path(ec));
  for (const auto& r : roots) {
    fs::path candidate = r / rel;
    if (fs::exists(candidate, ec)) return candidate.string();
  }
  return "";
}

struct ServeOptions {
  http::ServerConfig config;
  std::string max_upload = "64G";
  std::string store_budget = "50G";
  std::string max_json_body = "256M";
  std::string demo;  // "" : the project's demo/demo.log; "none": no demo
};

int RunServe(ServeOptions& opts) {
  http::ServerConfig& cfg = opts.config;
  if (!ParseSize(opts.max_upload, &cfg.max_upload_bytes)) {
    std::fprintf(stderr, "plcscope serve: --max-upload: not a size: %s\n", opts.max_upload.c_str());
    return 2;
  }
  if (!ParseSize(opts.store_budget, &cfg.store_budget_bytes)) {
    std::fprintf(stderr, "plcscope serve: --store-budget: not a size: %s\n",
                 opts.store_budget.c_str());
    return 2;
  }
  if (!ParseSize(opts.max_json_body, &cfg.max_json_body_bytes)) {
    std::fprintf(stderr, "plcscope serve: --max-json-body: not a size: %s\n",
                 opts.max_json_body.c_str());
    return 2;
  }
  const bool needs_token = !cfg.no_auth && !http::IsLoopbackHost(cfg.host);
  if (needs_token && cfg.token.empty()) cfg.token = RandomToken();
  if (cfg.ui_dir.empty()) cfg.ui_dir = FindProjectFile("web/dist");
  if (opts.demo.empty()) {
    cfg.demo_log = FindProjectFile("demo/demo.log");
  } else if (opts.demo != "none") {
    cfg.demo_log = opts.demo;
  }
  cfg.openapi_path = FindProjectFile("docs/openapi.json");

  // Signals are taken by a dedicated thread (sigwait), never by a handler.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto api = http::Api::Create(cfg);
  if (!api.ok()) {
    std::fprintf(stderr, "plcscope serve: %s\n", api.status().message().c_str());
    return 1;
  }
  http::HttpServer server(api->get(), cfg);
  auto port = server.Bind();
  if (!port.ok()) {
    std::fprintf(stderr, "plcscope serve: %s\n", port.status().message().c_str());
    return 1;
  }
  const std::string session = (*api)->OpenStartupFiles();
  std::string url = "http://" + (cfg.host == "0.0.0.0" ? std::string("127.0.0.1") : cfg.host) +
                    ":" + std::to_string(*port) + "/";
  std::string query;
  if (needs_token) query = "token=" + cfg.token;
  if (!session.empty()) query += (query.empty() ? "" : "&") + std::string("session=") + session;
  if (!query.empty()) url += "?" + query;
  std::printf("plcscope: listening on %s:%d (data in %s)\n", cfg.host.c_str(), *port,
              cfg.data_dir.c_str());
  if (needs_token) std::printf("plcscope: access token: %s\n", cfg.token.c_str());
  std::printf("plcscope: open %s\n", url.c_str());
  std::fflush(stdout);

  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    std::fprintf(stderr, "plcscope: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    (*api)->BeginShutdown();
    server.Stop();
  });
  std::thread housekeeping([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(60), [&] { return stopped; })) {
      (*api)->Maintain();
    }
  });
  server.Run();
  (*api)->BeginShutdown();
  {
    std::lock_guard<std::mutex> lock(mu);
    stopped = true;
  }
  cv.notify_all();
  housekeeping.join();
  // Wake the signal thread if the server stopped on its own. SIGTERM is blocked in every
  // thread and taken by that thread's sigwait, so it wakes the thread, never kills it.
  pthread_kill(signals.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  signals.join();
  std::fprintf(stderr, "plcscope: stopped\n");
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Start the HTTP server and web UI");
  http::ServerConfig& c = opts->config;
  cmd->add_option("files", c.files, "Log files to open at start (read in place, not copied)");
  cmd->add_option("--host", c.host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", c.port, "Port (0: any free port)");
  cmd->add_option("--data-dir", c.data_dir, "Data directory (uploads, stored sessions)");
  cmd->add_option("--token", c.token, "Access token (required on non-loopback hosts)");
  cmd->add_flag("--no-auth", c.no_auth, "Turn access control off (not recommended)");
  cmd->add_option("--ui-dir", c.ui_dir, "UI build folder (default: web/dist of the project)");
  cmd->add_option("--demo", opts->demo,
                  "Log opened when no file is given and the data directory is empty "
                  "(default: the project's demo/demo.log; 'none': no demo)");
  cmd->add_option("--max-upload", opts->max_upload, "Largest upload, e.g. 64G");
  cmd->add_option("--max-json-body", opts->max_json_body, "Largest JSON body, e.g. 256M");
  cmd->add_option("--store-budget", opts->store_budget,
                  "Disk budget for stored sessions, e.g. 50G");
  cmd->add_option("--max-parses", c.max_concurrent_parses, "Concurrent parses");
  cmd->add_option("--max-open-sessions", c.max_open_sessions, "Sessions kept open (mapped)");
  cmd->add_option("--threads", c.threads, "HTTP worker threads");
  cmd->add_option("--query-budget-ms", c.query_budget_ms, "Query wait budget before 503 BUSY");
  cmd->add_option("--chunk-cap", c.chunk_entry_cap, "Entry cap of /chunk (X-Truncated beyond)");
  cmd->add_option("--chunk-ttl", c.chunk_upload_ttl_s, "Seconds before abandoned chunk uploads go");
  cmd->add_flag("--quiet", c.quiet, "No request log lines");
  cmd->callback([opts] { SetExitCode(RunServe(*opts)); });
}

}  // namespace plcscope::app
