// SessionManager: parse sessions. A session is one parsed view of one or more
// registered files; its result is kept by store::StoreCache (one keeper with
// `plcscope parse`: <data>/stores/<key>.store, the key hashing the inputs'
// content and the settings), so parsing the same content again reopens the
// store at once, and a damaged store is parsed again, never served. The
// session registry (<data>/sessions.json: id -> file ids, format, store key)
// keeps every id working after idle close and after a restart: stores are
// reopened from disk on demand, or parsed again when evicted. A damaged
// registry is set aside (`sessions.json.damaged-*`, a warning on stderr) and
// rebuilt from the stores on disk whose files the file registry knows.
// Deleting a session or a file cancels its parse and removes its store.
//
// Limits: a parse queue served by `max_concurrent_parses` threads; at most
// `max_open_sessions` stores mapped (least recently used idle ones closed);
// stores on disk within `store_budget_bytes` (least recently used evicted;
// uploaded files are never touched). Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/api_error.h"
#include "http/config.h"
#include "http/file_registry.h"
#include "http/metrics.h"
#include "query/query.h"
#include "store/store.h"
#include "store/store_cache.h"

namespace plcscope::http {

// One session's live state. Fields behind `mu`; watchers wait on `changed`.
struct ParseSession {
  std::string id;
  std::vector<std::string> file_ids;
  std::string format;     // forced parser name, or "" (detect)
  std::string store_key;  // "" until the inputs are hashed

  mutable std::mutex mu;
  std::condition_variable changed;
  uint64_t version = 0;
  std::string status = "pending";  // pending|parsing|complete|error
  double progress = 0;
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  uint64_t rows = 0;
  std::string error;
  int64_t started_ns = 0;
  double processing_ms = 0;
  // True when the result was opened from a stored one (the same content
  // parsed before, or after a restart), not parsed by this job.
  bool reopened = false;
  std::shared_ptr<const query::Session> view;         // the query engine over the store, while open
  std::optional<store::SessionMeta> meta;             // once complete
  std::vector<store::ParseErrorRecord> first_errors;  // first 100
  uint64_t signal_count = 0;
  uint64_t device_count = 0;
  std::atomic<int64_t> last_access_ns{0};
  std::atomic<bool> cancel{false};  // set when deleted (or at shutdown): stops its parse

  bool Done() const { return status == "complete" || status == "error"; }
  // The ParseSession JSON (docs/api.md); REQUIRES: mu held.
  std::string ToJsonLocked() const;
};

class SessionManager {
 public:
  // `metrics` (optional, outliving this) receives the parse and ingest counters.
  SessionManager(const ServerConfig& config, FileRegistry* files, Metrics* metrics = nullptr);
  ~SessionManager();  // cancels running parses and joins the workers

  // Starts (or reopens) a session over `file_ids`; 404 for an unknown file,
  // 400 for an unknown format.
  std::shared_ptr<ParseSession> Start(const std::vector<std::string>& file_ids,
                                      const std::string& format, ApiError* err);
  // The session, loading it from the registry (and reopening its store when
  // it is on disk) when it is not in memory; nullptr when unknown. Counts as
  // activity.
  std::shared_ptr<ParseSession> Find(const std::string& id);
  // The open store of a complete session, reopening or re-parsing it as
  // needed. Errors: 404 unknown, 409 still parsing, 422 parse failed.
  // `file_ids` (optional) receives the session's files, index = source.
  std::shared_ptr<const query::Session> Acquire(const std::string& id, ApiError* err,
                                                std::vector<std::string>* file_ids = nullptr);
  bool Delete(const std::string& id);
  // Deletes every session over this file, and their stores when unused.
  // Returns the ids of the sessions deleted.
  std::vector<std::string> DeleteForFile(const std::string& file_id);

  // Closes stores idle for longer than `idle_ns` beyond the open limit.
  void CloseIdle();
  size_t open_count() const;
  // For GET /metrics: parse jobs waiting and running, sessions in the
  // registry, bytes of stores on disk.
  struct Figures {
    size_t queued = 0;
    size_t running = 0;
    size_t known = 0;
    uint64_t store_bytes = 0;
  };
  Figures figures() const;

 private:
  struct Job {
    std::shared_ptr<ParseSession> session;
  };
  void Enqueue(std::shared_ptr<ParseSession> s);
  void WorkerLoop();
  void RunParse(const std::shared_ptr<ParseSession>& s);
  void RunParseOrThrow(const std::shared_ptr<ParseSession>& s);
  // Marks `s` failed with `message` (status "error").
  void Fail(ParseSession* s, const std::string& message);
  // Removes stores of `keys` that no session in the registry uses. REQUIRES: mu_ held.
  void RemoveUnusedStoresLocked(std::vector<std::string> keys);
  bool ComputeKey(ParseSession* s, std::string* error);
  // Opens the session's store from the cache (or takes `built`, just made)
  // and marks it complete; false when there is none. REQUIRES: s->mu held.
  bool OpenStore(ParseSession* s, std::shared_ptr<const store::Store> built = nullptr);
  void Touch(const std::shared_ptr<ParseSession>& s);
  void EnforceOpenLimit(const ParseSession* keep);
  void EnforceDiskBudget(const std::string& keep_key);
  void SaveRegistryLocked();
  void LoadRegistry();
  // Rebuilds the registry from the stores on disk (after a damaged one).
  void RecoverRegistry();

  const ServerConfig config_;
  FileRegistry* const files_;
  Metrics* const metrics_;  // may be null
  store::StoreCache cache_;
  const std::string registry_path_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<ParseSession>> sessions_;  // in memory
  struct Persisted {
    std::vector<std::string> file_ids;
    std::string format;
    std::string store_key;
    int64_t created_ns = 0;
  };
  std::map<std::string, Persisted> registry_;  // every known session id
  std::vector<std::thread> workers_;
  std::atomic<int> running_{0};  // parse jobs in RunParseOrThrow past the reopen check
};

}  // namespace plcscope::http
