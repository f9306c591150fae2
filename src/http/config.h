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
  std::string clickhouse;          // ClickHouse node URLs for the fleet routes ("" : none)
  std::string clickhouse_database = "plcscope";

  uint64_t max_upload_bytes = 64ull << 30;      // one uploaded file, decompressed
  uint64_t max_json_body_bytes = 256ull << 20;  // base64 uploads and chunks included
  uint64_t disk_reserve_bytes = 256ull << 20;   // keep this much disk free
  uint64_t store_budget_bytes = 50ull << 30;    // stored sessions on disk (LRU eviction)
  int max_concurrent_parses = 1;
  int max_open_sessions = 8;    // stores kept open (mmap'd); LRU closes idle ones
  int threads = 128;            // HTTP worker threads (run handlers; idle connections hold none)
  int query_budget_ms = 10000;  // an ordinary query's time budget before 503 BUSY
  uint64_t chunk_entry_cap = 500000;  // /chunk result cap (X-Truncated beyond)
  int chunk_upload_ttl_s = 3600;      // abandoned chunk folders are removed after this
  bool quiet = false;                 // no request log lines

  // transport limits (docs/http.md "Connections and limits"; src/http/server.cc)
  uint32_t max_header_bytes = 32u << 10;   // request line + header fields -> 431 beyond
  int max_header_count = 100;              // header fields -> 431 beyond
  int header_timeout_s = 10;               // from a request's first byte to its blank line
  int idle_timeout_s = 30;                 // a connection waiting for its next request
  int body_timeout_s = 30;                 // a request body making no progress is cut
  int write_timeout_s = 60;                // a response the client does not read is cut
  int max_connections = 8192;              // all clients (also capped by the fd limit)
  int max_client_connections = 512;        // per client address; see Transport::EvictOne
  int max_queued_requests = 256;           // waiting for a worker beyond `threads` -> 503 BUSY
  std::vector<std::string> allowed_hosts;  // extra names accepted in `Host`

  // query limits (docs/http.md "Limits"): every response's size is bounded
  // before it is produced, every query has a deadline, heavy queries run in
  // a bounded pool (http/query_gate.h).
  int query_timeout_ms = 30000;                 // run time before 503 QUERY_TIMEOUT (0: none)
  int heavy_queries = 0;                        // heavy queries at once (0: number of cores)
  int heavy_queue = 64;                         // heavy queries waiting (503 BUSY beyond)
  uint64_t max_waveform_cells = 2000000;        // waveform signals x width
  uint32_t max_waveform_width = 20000;          // pixels
  uint32_t max_waveform_signals = 5000;         // signals of one waveform request
  uint64_t heavy_waveform_cells = 250000;       // larger waveforms run as heavy queries
  uint32_t max_at_time_signals = 10000;         // signals named by one /at-time
  uint32_t max_chunk_signals = 10000;           // signals named by /chunk, /chunk-boundaries
  uint64_t max_time_tree_items = 1000000;       // minutes listed by /time-tree
  uint32_t max_transition_rules = 100;          // rules of one /transitions
  uint64_t max_transition_intervals = 2000000;  // intervals of all its rules
};

}  // namespace plcscope::http
