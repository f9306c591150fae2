// ServerConfig: every knob of `plcscope serve`, with its default. A plain
// value type filled by the command line (src/app/cmd_serve.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plcscope::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                // 0: any free port (printed at start)
  std::string data_dir = "data";  // see docs/http.md "Data directory"
  std::string token;              // required on non-loopback hosts unless no_auth
  bool no_auth = false;
  std::string ui_dir;              // the UI build folder; empty: no static files
  std::vector<std::string> files;  // command-line files: registered and opened at start
  std::string demo_log;            // opened when no file is given and the data dir is empty
  std::string openapi_path;        // docs/openapi.json, served at /api/openapi.json

  uint64_t max_upload_bytes = 64ull << 30;      // one uploaded file, decompressed
  uint64_t max_json_body_bytes = 256ull << 20;  // base64 uploads and chunks included
  uint64_t disk_reserve_bytes = 256ull << 20;   // keep this much disk free
  uint64_t store_budget_bytes = 50ull << 30;    // stored sessions on disk (LRU eviction)
  int max_concurrent_parses = 1;
  int max_open_sessions = 8;          // stores kept open (mmap'd); LRU closes idle ones
  int threads = 128;                  // HTTP worker threads (a keep-alive connection holds one)
  int query_budget_ms = 10000;        // an ordinary query's time budget before 503 BUSY
  uint64_t chunk_entry_cap = 500000;  // /chunk result cap (X-Truncated beyond)
  int chunk_upload_ttl_s = 3600;      // abandoned chunk folders are removed after this
  bool quiet = false;                 // no request log lines
};

}  // namespace plcscope::http
