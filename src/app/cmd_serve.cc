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
#include "app/serve_config.h"
#include "base/log.h"
#include "http/api.h"
#include "http/config.h"
#include "http/data_dir_lock.h"
#include "http/server.h"
#include "store/store_cache.h"

namespace plcscope::app {

namespace {

namespace fs = std::filesystem;

// Exit codes besides 0 (stopped) and 1/2 (failures, usage); in `serve --help`.
constexpr int kExitDataDirInUse = 3;
constexpr int kExitPortInUse = 4;

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

// Where the project's files are: installed (`<prefix>/share/plcscope/<installed>`
// beside `<prefix>/bin/plcscope`, docs/operations.md), next to the executable's
// build tree, or in the source tree this binary was built from.
std::string FindProjectFile(const std::string& rel, const std::string& installed) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path in_share = exe.parent_path().parent_path() / "share" / "plcscope" / installed;
    if (exe.parent_path().filename() == "bin" && fs::exists(in_share, ec)) return in_share.string();
  }
  std::vector<fs::path> roots;
  if (!ec) {
    for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
      roots.push_back(p);
    }
  }
  roots.emplace_back(PLCSCOPE_SOURCE_DIR);
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
  std::string config_path = kDefaultConfigPath;  // "none": no file
  bool print_config = false;
  std::string log_format = "text";
  std::string log_level = "info";
};

// Sizes into bytes, the UI, demo and OpenAPI paths found; 0 or an exit code.
int Resolve(ServeOptions& opts) {
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
  if (cfg.ui_dir.empty()) cfg.ui_dir = FindProjectFile("web/dist", "ui");
  if (opts.demo.empty()) {
    cfg.demo_log = FindProjectFile("demo/demo.log", "demo/demo.log");
  } else if (opts.demo != "none") {
    cfg.demo_log = opts.demo;
  }
  cfg.openapi_path = FindProjectFile("docs/openapi.json", "openapi.json");
  return 0;
}

int RunServe(ServeOptions& opts, const std::string& config_note) {
  if (int rc = Resolve(opts); rc != 0) return rc;
  http::ServerConfig& cfg = opts.config;
  const bool needs_token = !cfg.no_auth && !http::IsLoopbackHost(cfg.host);
  if (needs_token && cfg.token.empty()) cfg.token = RandomToken();
  base::LogFormat format;
  base::LogLevel level;
  if (!base::ParseLogFormat(opts.log_format, &format)) {
    std::fprintf(stderr, "plcscope serve: --log-format: text or json, not %s\n",
                 opts.log_format.c_str());
    return 2;
  }
  if (!base::ParseLogLevel(opts.log_level, &level)) {
    std::fprintf(stderr, "plcscope serve: --log-level: debug, info, warning or error, not %s\n",
                 opts.log_level.c_str());
    return 2;
  }
  base::SetLogFormat(format);
  base::SetLogLevel(level);
  // What an operator reads first in the journal (docs/operations.md "Logs").
  base::Log(base::LogLevel::kInfo, "serve", "starting",
            {{"version", PLCSCOPE_VERSION},
             {"config", config_note},
             {"data_dir", cfg.data_dir},
             {"host", cfg.host},
             {"store_budget", opts.store_budget},
             {"max_upload", opts.max_upload},
             {"max_json_body", opts.max_json_body},
             {"parses", cfg.max_concurrent_parses},
             {"open_sessions", cfg.max_open_sessions},
             {"threads", cfg.threads},
             {"heavy_queries", cfg.heavy_queries},
             {"max_connections", cfg.max_connections},
             {"auth", needs_token   ? "token"
                      : cfg.no_auth ? "off"
                                    : "loopback"},
             {"ui", cfg.ui_dir.empty() ? std::string("(none)") : cfg.ui_dir},
             {"demo", cfg.demo_log.empty() ? std::string("(none)") : cfg.demo_log}});

  // Signals are taken by a dedicated thread (sigwait), never by a handler.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // One server per data directory: the lock comes before anything is opened.
  http::DataDirLock lock;
  if (base::Status s = lock.Acquire(cfg.data_dir); !s.ok()) {
    base::Log(base::LogLevel::kError, "serve", s.message());
    return s.code() == base::StatusCode::kResourceExhausted ? kExitDataDirInUse : 1;
  }
  auto api = http::Api::Create(cfg);
  if (!api.ok()) {
    base::Log(base::LogLevel::kError, "serve", api.status().message());
    return 1;
  }
  http::HttpServer server(api->get(), cfg);
  auto port = server.Bind();
  if (!port.ok()) {
    base::Log(base::LogLevel::kError, "serve", port.status().message());
    return port.status().code() == base::StatusCode::kResourceExhausted ? kExitPortInUse : 1;
  }
  const std::string session = (*api)->OpenStartupFiles();
  std::string url = http::BaseUrl(cfg.host, *port) + "/";
  std::string query;
  if (needs_token) query = "token=" + cfg.token;
  if (!session.empty()) query += (query.empty() ? "" : "&") + std::string("session=") + session;
  if (!query.empty()) url += "?" + query;
  const std::string shown_host =
      cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]" : cfg.host;
  std::printf("plcscope: listening on %s:%d (data in %s)\n", shown_host.c_str(), *port,
              cfg.data_dir.c_str());
  if (needs_token) std::printf("plcscope: access token: %s\n", cfg.token.c_str());
  std::printf("plcscope: open %s\n", url.c_str());
  std::fflush(stdout);
  base::Log(base::LogLevel::kInfo, "serve", "listening",
            {{"host", cfg.host},
             {"port", *port},
             {"data_dir", cfg.data_dir},
             {"startup_session", session.empty() ? std::string("-") : session}});

  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    base::Log(base::LogLevel::kInfo, "serve", "stopping",
              {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
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
  base::Log(base::LogLevel::kInfo, "serve", "stopped");
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Start the HTTP server and web UI");
  // Defaults are shown by --help and --print-config.
  cmd->option_defaults()->always_capture_default();
  http::ServerConfig& c = opts->config;
  cmd->add_option("files", c.files, "Log files to open at start (read in place, not copied)");
  cmd->add_option("--host", c.host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", c.port, "Port (0: any free port)");
  c.data_dir = store::DefaultDataDir();  // one default with `plcscope parse`
  cmd->add_option("--data-dir", c.data_dir, "Data directory (uploads, stored sessions)")
      ->capture_default_str();
  cmd->add_option("--token", c.token, "Access token (required on non-loopback hosts)");
  cmd->add_flag("--no-auth", c.no_auth, "Turn access control off (not recommended)");
  cmd->add_option("--ui-dir", c.ui_dir, "UI build folder (default: web/dist of the project)");
  cmd->add_option("--demo", opts->demo,
                  "Log opened when no file is given and the data directory is empty "
                  "(default: the project's demo/demo.log; 'none': no demo)");
  cmd->add_option("--clickhouse", c.clickhouse,
                  "ClickHouse HTTP URL(s) of the fleet (docs/clickhouse.md), comma-separated: "
                  "read through the first that answers");
  cmd->add_option("--clickhouse-database", c.clickhouse_database, "ClickHouse database");
  cmd->add_option("--max-upload", opts->max_upload, "Largest upload, e.g. 64G");
  cmd->add_option("--max-json-body", opts->max_json_body, "Largest JSON body, e.g. 256M");
  cmd->add_option("--store-budget", opts->store_budget,
                  "Disk budget for stored sessions, e.g. 50G");
  cmd->add_option("--max-parses", c.max_concurrent_parses, "Concurrent parses");
  cmd->add_option("--max-open-sessions", c.max_open_sessions, "Sessions kept open (mapped)");
  cmd->add_option("--threads", c.threads, "HTTP worker threads");
  cmd->add_option("--query-budget-ms", c.query_budget_ms, "Query wait budget before 503 BUSY");
  cmd->add_option("--chunk-cap", c.chunk_entry_cap, "Entry cap of /chunk (X-Truncated beyond)");
  cmd->add_option("--query-timeout-ms", c.query_timeout_ms,
                  "A query's run time before 503 QUERY_TIMEOUT (0: none)");
  cmd->add_option("--heavy-queries", c.heavy_queries,
                  "Heavy queries (uncached sorts and scans, transitions, big waveforms) at once "
                  "(0: number of cores)");
  cmd->add_option("--heavy-queue", c.heavy_queue, "Heavy queries waiting before 503 BUSY");
  cmd->add_option("--max-waveform-cells", c.max_waveform_cells,
                  "Waveform signals x width per request");
  cmd->add_option("--max-waveform-width", c.max_waveform_width, "Waveform width in pixels");
  cmd->add_option("--max-at-time-signals", c.max_at_time_signals, "Signals named by /at-time");
  cmd->add_option("--max-time-tree", c.max_time_tree_items, "Minutes listed by /time-tree");
  cmd->add_option("--max-transition-intervals", c.max_transition_intervals,
                  "Intervals of one /transitions request");
  cmd->add_option("--chunk-ttl", c.chunk_upload_ttl_s, "Seconds before abandoned chunk uploads go");
  cmd->add_flag("--quiet", c.quiet, "No request log lines");
  cmd->add_option("--log-format", opts->log_format,
                  "Log lines on stderr: text or json (one object per line)");
  cmd->add_option("--log-level", opts->log_level,
                  "Least level logged: debug, info, warning or error");
  // Transport limits (docs/http.md "Connections and limits").
  cmd->add_option("--allowed-host", c.allowed_hosts,
                  "Extra name accepted in the Host header (repeatable; loopback servers "
                  "answer only to their own names)");
  cmd->add_option("--max-header-bytes", c.max_header_bytes, "Largest request header (431 beyond)");
  cmd->add_option("--max-headers", c.max_header_count, "Most header fields (431 beyond)");
  cmd->add_option("--header-timeout", c.header_timeout_s, "Seconds to send a request header");
  cmd->add_option("--idle-timeout", c.idle_timeout_s, "Seconds an idle connection is kept");
  cmd->add_option("--body-timeout", c.body_timeout_s, "Seconds a request body may stall");
  cmd->add_option("--write-timeout", c.write_timeout_s, "Seconds a response write may stall");
  cmd->add_option("--max-connections", c.max_connections, "Open connections in total");
  cmd->add_option(
      "--max-client-connections", c.max_client_connections,
      "Open connections per client address (at the cap, a slow or idle one is closed first)");
  cmd->add_option("--max-queued", c.max_queued_requests,
                  "Requests waiting for a worker before 503 BUSY");
  cmd->add_option("--config", opts->config_path,
                  "Config file (TOML; keys are these flags' names, flags win; 'none': no file)");
  cmd->add_flag("--print-config", opts->print_config,
                "Print the configuration in force and where each value came from, then exit");
  cmd->footer(
      "Exit codes: 0 stopped by SIGINT/SIGTERM; 1 failed to start; 2 bad option; "
      "3 the data directory is in use by another server (its lock file); "
      "4 the port is in use.");
  cmd->callback([opts, cmd] {
    std::set<std::string> from_file;
    bool read = false;
    if (opts->config_path != "none") {
      const bool required = cmd->get_option("--config")->count() > 0;
      base::Status s = ApplyConfigFile(cmd, opts->config_path, required, &from_file, &read);
      if (!s.ok()) {
        std::fprintf(stderr, "plcscope serve: %s\n", s.message().c_str());
        return SetExitCode(2);
      }
    }
    const std::string note = opts->config_path == "none" ? std::string("none")
                             : read                      ? opts->config_path
                                    : opts->config_path + " (absent: defaults and flags)";
    if (!opts->print_config) return SetExitCode(RunServe(*opts, note));
    if (int rc = Resolve(*opts); rc != 0) return SetExitCode(rc);
    const http::ServerConfig& r = opts->config;
    std::printf("%s", PrintConfig(*cmd, from_file,
                                  "# plcscope serve: the configuration in force\n"
                                  "# config file: " +
                                      note +
                                      "\n"
                                      "# ui in use: " +
                                      (r.ui_dir.empty() ? "(none)" : r.ui_dir) +
                                      "\n"
                                      "# demo in use: " +
                                      (r.demo_log.empty() ? "(none)" : r.demo_log) + "\n")
                          .c_str());
    SetExitCode(0);
  });
}

}  // namespace plcscope::app
