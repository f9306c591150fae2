#include "http/api.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/hex_clock.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "fleet/schema.h"
#include "http/handler_util.h"
#include "http/query_context.h"
#include "http/query_gate.h"
#include "map/map_library.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {
constexpr int kQuerySlots = 32;
}

Api::Api(const ServerConfig& config) : config_(config), started_ns_(base::MonotonicNs()) {}

Api::~Api() {
  stopping_ = true;
  sessions_.reset();
  chunks_.reset();
}

base::Result<std::unique_ptr<Api>> Api::Create(const ServerConfig& config) {
  std::unique_ptr<Api> api(new Api(config));
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec)
    return base::IoError("cannot create data directory " + config.data_dir + ": " + ec.message());
  // Temporary uploads of an earlier run are garbage: nothing registered them.
  const std::string tmp = config.data_dir + "/tmp";
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  auto files = FileRegistry::Open(config.data_dir);
  if (!files.ok()) return files.status();
  api->files_ = std::move(*files);
  api->chunks_ = std::make_unique<ChunkedUploads>(
      config.data_dir, api->files_.get(),
      UploadLimits{config.max_upload_bytes, config.disk_reserve_bytes}, config.chunk_upload_ttl_s);
  api->sessions_ = std::make_unique<SessionManager>(config, api->files_.get(), &api->metrics_);
  api->layouts_ = std::make_unique<LaneLayouts>(config.data_dir + "/layouts");
  api->gate_ = std::make_unique<QueryGate>(QueryGateOptions{.light_slots = kQuerySlots,
                                                            .heavy_slots = config.heavy_queries,
                                                            .heavy_queue = config.heavy_queue,
                                                            .budget_ms = config.query_budget_ms});
  api->AddMetaRoutes();
  api->AddFileRoutes();
  api->AddParseRoutes();
  api->AddQueryRoutes();
  api->AddExportRoutes();
  api->AddToolRoutes();
  api->AddLayoutRoutes();
  if (!config.clickhouse.empty()) {
    auto nodes = fleet::ParseNodeList(config.clickhouse);
    if (!nodes.ok()) return nodes.status();
    if (!fleet::ValidIdentifier(config.clickhouse_database)) {
      return base::InvalidArgument("--clickhouse-database '" + config.clickhouse_database +
                                   "' must be letters, digits and _");
    }
    std::vector<fleet::ClickHouseNode> list;
    for (auto& a : *nodes) list.emplace_back(a, 40);
    api->fleet_ = std::make_unique<fleet::FleetReader>(std::move(list), config.clickhouse_database);
  }
  api->AddFleetRoutes();
  // The map view: layouts, rules, carrier log, playback (handlers_map.cc).
  auto map = map::MapLibrary::Open(
      config.data_dir,
      config.demo_log.empty() ? "" : fs::path(config.demo_log).parent_path().string());
  if (!map.ok()) return map.status();
  api->map_ = std::move(*map);
  api->AddMapRoutes();
  api->AddWebSocketRoutes();
  // Metrics ids are router indexes: every route is added above, in order.
  for (size_t i = 0; i < api->router_.size(); ++i) {
    api->metrics_.AddRoute(api->router_.method(i), api->router_.pattern(i));
  }
  return api;
}

std::string Api::OpenStartupFiles() {
  std::vector<std::string> paths = config_.files;
  const bool demo = paths.empty() && files_->size() == 0 && !config_.demo_log.empty() &&
                    fs::exists(config_.demo_log);
  if (demo) paths.push_back(config_.demo_log);
  // Registers a file read in place; its id, or "" (logged) when it cannot be.
  auto register_file = [this](const std::string& p) -> std::string {
    std::error_code ec;
    const std::string abs = fs::weakly_canonical(fs::absolute(p), ec).string();
    auto st = base::StatFile(abs);
    if (!st.ok()) {
      base::Log(base::LogLevel::kError, "serve",
                "cannot open a startup file: " + st.status().message(), {{"path", p}});
      return "";
    }
    if (auto existing = files_->FindExternal(abs)) return existing->id;
    FileRecord r;
    r.id = NewId();
    r.name = fs::path(abs).filename().string();
    r.size = st->size;
    r.uploaded_at_ns = NowNs();
    r.path = abs;
    r.external = true;
    base::Status s = files_->Add(r);
    if (!s.ok()) {
      base::Log(base::LogLevel::kError, "serve", "cannot register a startup file: " + s.message(),
                {{"path", p}});
      return "";
    }
    return r.id;
  };
  std::vector<std::string> ids;
  for (const std::string& p : paths) {
    std::string id = register_file(p);
    if (!id.empty()) ids.push_back(std::move(id));
  }
  if (ids.empty()) return "";
  ApiError err;
  auto s = sessions_->Start(ids, "", &err);
  if (!s) {
    base::Log(base::LogLevel::kError, "serve", "cannot open the startup files: " + err.message);
    return "";
  }
  startup_session_ = s->id;
  // The demo's carrier log, so that the Map view shows carriers without an
  // upload (a remote user does not have the demo folder).
  const fs::path carriers = fs::path(config_.demo_log).parent_path() / "demo_carriers.mcs.log";
  if (demo && fs::exists(carriers)) {
    if (std::string cid = register_file(carriers.string()); !cid.empty()) {
      ApiError cerr;
      if (auto cs = sessions_->Start({cid}, "mcs", &cerr)) {
        demo_carrier_session_ = cs->id;
      } else {
        base::Log(base::LogLevel::kError, "serve",
                  "cannot open the demo carrier log: " + cerr.message);
      }
    }
  }
  return s->id;
}

void Api::OnSession(const char* method, const char* pattern,
                    std::function<Response(Request&, QueryContext&)> fn) {
  router_.Add(method, pattern, [this, fn = std::move(fn)](Request& req) {
    QueryContext c;
    ApiError err;
    if (!c.Open(*sessions_, *gate_, req, config_.query_timeout_ms, &err)) return ErrorResponse(err);
    return fn(req, c);
  });
}

void Api::AddWebSocketRoute(std::string_view method, std::string_view pattern,
                            WebSocketHandler handler) {
  if (method != "GET") std::abort();  // a programming error: upgrades are GETs
  websocket_routes_.emplace_back(std::string(pattern), std::move(handler));
}

void Api::Maintain() {
  chunks_->Clean();
  sessions_->CloseIdle();
}

}  // namespace plcscope::http
