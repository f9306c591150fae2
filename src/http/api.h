// Api: the HTTP API of plcscope without its transport. Owns the file
// registry, chunked uploads, session manager, lane layouts and map library
// of one data directory, and a Router whose handlers implement docs/api.md.
// server.cc feeds it requests from sockets; tests and the fuzzer call router().Dispatch() directly.
// Its WebSocket routes (the old client's upload protocol) are served by the HttpServer built over
// it. Thread-safe once Create() returned.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "fleet/reader.h"
#include "http/chunked_uploads.h"
#include "http/config.h"
#include "http/file_registry.h"
#include "http/lane_layouts.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/session_manager.h"
#include "http/websocket.h"

namespace plcscope::map {
class MapLibrary;
}

namespace plcscope::http {

class QueryGate;
class QueryContext;

class Api {
 public:
  static base::Result<std::unique_ptr<Api>> Create(const ServerConfig& config);
  ~Api();

  const Router& router() const { return router_; }
  // The WebSocket routes (pattern, handler); HttpServer serves them.
  const std::vector<std::pair<std::string, WebSocketHandler>>& websocket_routes() const {
    return websocket_routes_;
  }
  const ServerConfig& config() const { return config_; }
  FileRegistry& files() { return *files_; }
  SessionManager& sessions() { return *sessions_; }
  ChunkedUploads& chunks() { return *chunks_; }
  // Request, connection, parse and ingest counters (GET /metrics). Metrics
  // route ids are Router route indexes (Request::route).
  Metrics& metrics() { return metrics_; }

  // Registers the command-line files (read in place) and starts a session
  // over them; with none and an empty data directory, the demo log (and its
  // carrier log, demo_carriers.mcs.log next to it, as a second session).
  // Returns the session id started, or "" when none.
  std::string OpenStartupFiles();

  // Housekeeping, called about once a minute: abandoned chunk folders, idle
  // sessions.
  void Maintain();

  // Streams (SSE, exports) end soon after this is set.
  void BeginShutdown() { stopping_ = true; }
  bool stopping() const { return stopping_; }

 private:
  explicit Api(const ServerConfig& config);
  void AddMetaRoutes();
  void AddFileRoutes();
  void AddParseRoutes();
  void AddQueryRoutes();
  void AddExportRoutes();
  void AddToolRoutes();         // handlers_tools.cc: condition search, VCD export
  void AddLayoutRoutes();       // handlers_layouts.cc: a session's named lane layouts
  void AddFleetRoutes();        // handlers_fleet.cc: the ClickHouse cluster's files, search
  void AddMapRoutes();          // handlers_map.cc; calls AddMapPlaybackRoutes
  void AddMapPlaybackRoutes();  // handlers_map_playback.cc
  void AddWebSocketRoutes();    // handlers_ws_uploads.cc
  // A WebSocket route; `method` is "GET" (an upgrade is a GET).
  void AddWebSocketRoute(std::string_view method, std::string_view pattern,
                         WebSocketHandler handler);
  // Adds a route whose handler runs on an open session (QueryContext::Open
  // answered 404 / 409 / 422 / 503 otherwise).
  void OnSession(const char* method, const char* pattern,
                 std::function<Response(Request&, QueryContext&)> fn);

  ServerConfig config_;
  Metrics metrics_;  // before the parts that count into it
  const int64_t started_ns_;
  std::unique_ptr<FileRegistry> files_;
  std::unique_ptr<ChunkedUploads> chunks_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<LaneLayouts> layouts_;
  std::unique_ptr<QueryGate> gate_;
  Router router_;
  std::vector<std::pair<std::string, WebSocketHandler>> websocket_routes_;
  std::unique_ptr<fleet::FleetReader> fleet_;  // --clickhouse; null without
  std::unique_ptr<map::MapLibrary> map_;       // the map view's state (handlers_map.cc)
  std::atomic<bool> stopping_{false};
  std::string startup_session_;  // set once before serving
  // When the demo was opened: the session of demo/demo_carriers.mcs.log, the
  // carrier log the Map view uses with the demo (GET /api/map/defaults).
  // Set once before serving.
  std::string demo_carrier_session_;
};

}  // namespace plcscope::http
