#include "http/session_manager.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "base/time_util.h"
#include "base/utf8.h"
#include "ingest/ingest.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {

constexpr size_t kSessionErrorDetails = 100;
const char* const kFormats[] = {"plc_debug", "plc_tab", "mcs", "csv"};

bool KnownFormat(const std::string& f) {
  return std::find(std::begin(kFormats), std::end(kFormats), f) != std::end(kFormats);
}

void Notify(ParseSession* s) {
  ++s->version;
  s->changed.notify_all();
}

// The dedup window of server parses (IngestOptions' default), part of the key.
constexpr double kServerDedupMs = 1000;

// Writes store::WriteFileSummary's fields with the server's JSON writer.
struct SummaryFields {
  base::JsonWriter* w;
  template <typename T>
  SummaryFields& Field(std::string_view key, const T& value) {
    w->Field(key, value);
    return *this;
  }
};

}  // namespace

std::string ParseSession::ToJsonLocked() const {
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject();
  w.Field("id", id);
  w.Field("fileId", file_ids.empty() ? std::string() : file_ids[0]);
  if (file_ids.size() > 1) {
    w.Key("fileIds").BeginArray();
    for (const auto& f : file_ids) w.String(f);
    w.EndArray();
  }
  w.Field("status", status);
  w.Field("progress", progress);
  const bool have_meta = meta.has_value();
  w.Field("entryCount", have_meta ? meta->row_count : rows);
  w.Field("signalCount", signal_count);
  w.Field("deviceCount", device_count);
  w.Field("processingTimeMs", have_meta ? meta->processing_time_ms : processing_ms);
  w.Field("reopened", reopened);
  w.Field("startTime", have_meta ? base::NanosToMillis(meta->min_ts) : 0.0);
  w.Field("endTime", have_meta ? base::NanosToMillis(meta->max_ts) : 0.0);
  w.Field("parserName", have_meta ? meta->parser_name : format);
  w.Key("errors").BeginArray();
  for (const auto& e : first_errors) {
    w.BeginObject().Field("line", e.line).Field("content", e.content).Field("reason", e.reason);
    if (file_ids.size() > 1 && e.source < file_ids.size()) w.Field("sourceId", file_ids[e.source]);
    w.EndObject();
  }
  w.EndArray();
  w.Field("errorCount", have_meta ? meta->error_count : uint64_t{0});
  w.Key("errorCounts").BeginObject();
  if (have_meta) {
    for (const auto& [reason, n] : meta->error_counts) w.Field(reason, n);
  }
  w.EndObject();
  w.Field("bytesRead", bytes_done);
  w.Field("bytesTotal", bytes_total);
  w.Field("duplicatesDropped", have_meta ? meta->duplicates_dropped : uint64_t{0});
  if (have_meta) {
    w.Key("files").BeginArray();
    for (size_t i = 0; i < meta->files.size(); ++i) {
      const auto& f = meta->files[i];
      w.BeginObject();
      if (i < file_ids.size()) w.Field("fileId", file_ids[i]);
      SummaryFields fields{&w};
      store::WriteFileSummary(f, fields);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!error.empty()) w.Field("error", error);
  w.EndObject();
  return out;
}

SessionManager::SessionManager(const ServerConfig& config, FileRegistry* files, Metrics* metrics)
    : config_(config),
      files_(files),
      metrics_(metrics),
      cache_(config.data_dir, config.store_budget_bytes),
      registry_path_(config.data_dir + "/sessions.json") {
  // Creates <data>/stores and removes what a killed writer left there.
  base::Status st = cache_.Init();
  if (!st.ok()) base::Log(base::LogLevel::kError, "sessions", st.message());
  LoadRegistry();
  const int n = std::max(1, config.max_concurrent_parses);
  for (int i = 0; i < n; ++i) workers_.emplace_back(&SessionManager::WorkerLoop, this);
}

SessionManager::~SessionManager() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& [id, s] : sessions_) s->cancel = true;
  }
  queue_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

namespace {

// One registry entry, validated; false when its shape is wrong.
bool ParseEntry(const nlohmann::json& e, std::string* id, std::vector<std::string>* file_ids,
                std::string* format, std::string* key, int64_t* created) {
  if (!e.is_object() || !e.contains("id") || !e["id"].is_string()) return false;
  if (!e.contains("fileIds") || !e["fileIds"].is_array() || e["fileIds"].empty()) return false;
  for (const auto& f : e["fileIds"]) {
    if (!f.is_string()) return false;
    file_ids->push_back(f.get<std::string>());
  }
  const auto str = [&](const char* k, std::string* out) {
    if (!e.contains(k)) return true;
    if (!e[k].is_string()) return false;
    *out = e[k].get<std::string>();
    return true;
  };
  if (!str("format", format) || !str("storeKey", key)) return false;
  if (e.contains("createdAtNs")) {
    if (!e["createdAtNs"].is_number_integer()) return false;
    *created = e["createdAtNs"].get<int64_t>();
  }
  *id = e["id"].get<std::string>();
  return !id->empty() && (format->empty() || KnownFormat(*format));
}

}  // namespace

void SessionManager::LoadRegistry() {
  auto text = base::ReadFileToString(registry_path_);
  if (!text.ok()) return;  // none yet
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  bool valid = j.is_array();
  std::map<std::string, Persisted> loaded;
  if (valid) {
    for (const auto& e : j) {
      std::string id;
      Persisted p;
      if (!ParseEntry(e, &id, &p.file_ids, &p.format, &p.store_key, &p.created_ns)) {
        valid = false;
        break;
      }
      loaded[id] = std::move(p);
    }
  }
  if (valid) {
    registry_ = std::move(loaded);
    return;
  }
  // Never refuse to start, never lose sessions silently: keep the damaged
  // file for inspection and rebuild what the stores on disk can tell.
  auto aside = base::SetAsideDamaged(registry_path_);
  base::Log(
      base::LogLevel::kWarning, "sessions",
      "the session registry is damaged; kept aside, rebuilding the session list from the "
      "stored results",
      {{"path", registry_path_},
       {"kept_as", aside.ok() ? *aside : "(cannot set aside: " + aside.status().message() + ")"}});
  RecoverRegistry();
}

void SessionManager::RecoverRegistry() {
  std::vector<FileRecord> files = files_->All();
  std::error_code ec;
  size_t recovered = 0;
  for (const auto& entry : fs::directory_iterator(cache_.stores_dir(), ec)) {
    const fs::path& path = entry.path();
    if (path.extension() != ".store") continue;
    const std::string key = path.stem().string();
    auto opened = cache_.OpenOrBuild(key, nullptr);
    if (!opened.ok()) continue;  // damaged: removed by the cache
    const store::SessionMeta& meta = opened->store->meta();
    std::vector<std::string> ids;
    std::vector<store::KeyInput> inputs;
    for (const auto& f : meta.files) {
      auto it = std::find_if(files.begin(), files.end(), [&](const FileRecord& r) {
        return r.has_hash && r.hash == f.hash && r.size == f.size;
      });
      if (it == files.end()) break;
      ids.push_back(it->id);
      inputs.push_back({f.hash, f.size});
    }
    if (ids.size() != meta.files.size() || ids.empty()) continue;
    // The format it was parsed with is the one whose key names this store.
    std::optional<std::string> format;
    for (const std::string f : {"", "plc_debug", "plc_tab", "mcs", "csv"}) {
      if (store::StoreKey(inputs, {f, meta.dedup_tolerance_ms}) == key) format = f;
    }
    if (!format) continue;
    registry_[NewId()] = {ids, *format, key, NowNs()};
    ++recovered;
  }
  base::Log(base::LogLevel::kInfo, "sessions", "recovered sessions from the stored results",
            {{"sessions", static_cast<uint64_t>(recovered)}});
  SaveRegistryLocked();
}

void SessionManager::SaveRegistryLocked() {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [id, p] : registry_) {
    j.push_back({{"id", id},
                 {"fileIds", p.file_ids},
                 {"format", p.format},
                 {"storeKey", p.store_key},
                 {"createdAtNs", p.created_ns}});
  }
  base::Status s = base::WriteFileAtomic(registry_path_, j.dump(1));
  if (!s.ok())
    base::Log(base::LogLevel::kError, "sessions", "cannot save the registry: " + s.message());
}

bool SessionManager::ComputeKey(ParseSession* s, std::string* error) {
  std::vector<store::KeyInput> inputs;
  for (const std::string& fid : s->file_ids) {
    auto rec = files_->Get(fid);
    if (!rec) {
      *error = "File '" + fid + "' of this session was deleted.";
      return false;
    }
    auto stat = base::StatFile(rec->path);
    if (!stat.ok()) {
      *error = "File '" + rec->name + "' cannot be read: " + stat.status().message();
      return false;
    }
    if (!rec->has_hash || stat->mtime_ns != rec->mtime_ns || stat->size != rec->size) {
      auto h = base::HashFile(rec->path);
      if (!h.ok()) {
        *error = "File '" + rec->name + "' cannot be read: " + h.status().message();
        return false;
      }
      rec->hash = *h;
      files_->SetHash(fid, *h, stat->mtime_ns);
    }
    inputs.push_back({rec->hash, stat->size});
  }
  // One key with `plcscope parse` (store/store_cache.h).
  s->store_key = store::StoreKey(inputs, {s->format, kServerDedupMs});
  return true;
}

bool SessionManager::OpenStore(ParseSession* s, std::shared_ptr<const store::Store> built) {
  if (s->store_key.empty()) return false;
  const bool reopened = built == nullptr;
  if (reopened) {
    auto opened = cache_.OpenOrBuild(s->store_key, nullptr);  // damaged: removed, parsed again
    if (!opened.ok()) return false;
    built = std::move(opened->store);
  }
  s->reopened = reopened;
  s->view = std::make_shared<const query::Session>(std::move(built));
  const store::Store& store = s->view->store();
  s->meta = store.meta();
  s->signal_count = store.signals().size();
  s->device_count = store.devices().size();
  s->first_errors.clear();
  auto errors = store.LoadErrors();
  if (errors.ok()) {
    for (auto& e : *errors) {
      if (s->first_errors.size() >= kSessionErrorDetails) break;
      s->first_errors.push_back(std::move(e));
    }
  }
  s->status = "complete";
  s->progress = 100;
  s->error.clear();
  uint64_t total = 0;
  for (const auto& f : s->meta->files) total += f.size;
  s->bytes_done = s->bytes_total = total;
  s->rows = s->meta->row_count;
  Notify(s);
  return true;
}

std::shared_ptr<ParseSession> SessionManager::Start(const std::vector<std::string>& file_ids,
                                                    const std::string& format, ApiError* err) {
  if (file_ids.empty()) {
    *err = BadParameter("fileId", "is required (or a non-empty fileIds array)");
    return nullptr;
  }
  if (file_ids.size() > 64) {
    *err = BadParameter("fileIds", "may hold at most 64 files");
    return nullptr;
  }
  if (!format.empty() && !KnownFormat(format)) {
    *err = BadParameter("format", "must be one of plc_debug, plc_tab, mcs, csv; got '" +
                                      format.substr(0, 64) + "'");
    return nullptr;
  }
  for (const auto& fid : file_ids) {
    if (!files_->Get(fid)) {
      *err = NotFoundError("No file with id '" + fid.substr(0, 64) + "'.");
      return nullptr;
    }
  }
  auto s = std::make_shared<ParseSession>();
  s->id = NewId();
  s->file_ids = file_ids;
  s->format = format;
  s->started_ns = NowNs();
  s->last_access_ns = NowNs();
  bool hashed = true;
  for (const auto& fid : file_ids) {
    auto rec = files_->Get(fid);
    hashed = hashed && rec && rec->has_hash && !rec->external;
  }
  std::string error;
  bool opened = false;
  if (hashed && ComputeKey(s.get(), &error)) {
    std::lock_guard<std::mutex> lock(s->mu);
    opened = OpenStore(s.get());
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[s->id] = s;
    registry_[s->id] = {file_ids, format, s->store_key, s->started_ns};
    SaveRegistryLocked();
  }
  if (opened) {
    base::Log(base::LogLevel::kInfo, "parse " + s->id, "reopened stored result",
              {{"store", s->store_key}});
    if (metrics_ != nullptr) metrics_->StoreReopened();
    EnforceOpenLimit(s.get());
  } else {
    Enqueue(s);
  }
  return s;
}

void SessionManager::Enqueue(std::shared_ptr<ParseSession> s) {
  {
    std::lock_guard<std::mutex> lock(s->mu);
    s->status = "pending";
    s->progress = 0;
    Notify(s.get());
  }
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back({std::move(s)});
  queue_cv_.notify_one();
}

void SessionManager::WorkerLoop() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    RunParse(job.session);
  }
}

void SessionManager::Fail(ParseSession* s, const std::string& message) {
  base::Log(base::LogLevel::kError, "parse " + s->id, message);
  if (metrics_ != nullptr) metrics_->ParseFailed();
  std::lock_guard<std::mutex> lock(s->mu);
  s->view.reset();
  s->status = "error";
  s->error = message;
  Notify(s);
}

void SessionManager::RunParse(const std::shared_ptr<ParseSession>& s) {
  // No exception leaves a parse thread: whatever a parser, a JSON library or
  // an allocation throws fails this session only.
  try {
    RunParseOrThrow(s);
  } catch (const std::exception& e) {
    Fail(s.get(), std::string("internal error while parsing: ") + e.what());
  } catch (...) {
    Fail(s.get(), "internal error while parsing");
  }
}

void SessionManager::RunParseOrThrow(const std::shared_ptr<ParseSession>& s) {
  if (s->cancel) return;  // deleted while queued
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->status == "complete" && s->view) return;
    s->status = "parsing";
    s->progress = 0;
    s->started_ns = NowNs();
    Notify(s.get());
  }
  auto fail = [&](const std::string& message) { Fail(s.get(), message); };
  std::string error;
  if (!ComputeKey(s.get(), &error)) return fail(error);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registry_.find(s->id);
    if (it != registry_.end() && it->second.store_key != s->store_key) {
      it->second.store_key = s->store_key;
      SaveRegistryLocked();
    }
  }
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (OpenStore(s.get())) {
      base::Log(base::LogLevel::kInfo, "parse " + s->id, "reopened stored result",
                {{"store", s->store_key}});
      if (metrics_ != nullptr) metrics_->StoreReopened();
      return;
    }
  }
  std::vector<ingest::InputFile> inputs;
  for (const auto& fid : s->file_ids) {
    auto rec = files_->Get(fid);
    if (!rec) return fail("File '" + fid + "' of this session was deleted.");
    inputs.push_back({rec->path, base::RepairUtf8(rec->name)});  // the path stays as is
  }
  ingest::IngestOptions options;
  if (!s->format.empty()) {
    ingest::Format f;
    if (!ingest::ParseFormatName(s->format, &f)) return fail("Unknown format '" + s->format + "'.");
    options.format = f;
  }
  options.cancel = &s->cancel;  // this session's: deleting it stops only its parse
  int last_logged = -1;
  const int64_t progress_start_ns = base::MonotonicNs();
  const std::string id = s->id;
  options.on_progress = [&, id](const ingest::Progress& p) {
    const double pct = std::min(99.0, p.percent);
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->progress = pct;
      s->bytes_done = p.bytes_done;
      s->bytes_total = p.bytes_total;
      s->rows = p.rows;
      s->processing_ms = static_cast<double>(NowNs() - s->started_ns) / 1e6;
      Notify(s.get());
    }
    const int step = static_cast<int>(pct / 10);
    if (step != last_logged) {
      last_logged = step;
      // As the old backend's progress lines: how far, how fast, how much memory.
      const double secs = static_cast<double>(base::MonotonicNs() - progress_start_ns) / 1e9;
      uint64_t rss = 0, peak = 0;
      ReadResidentMemory(&rss, &peak);
      base::Log(base::LogLevel::kInfo, "parse " + id, "progress",
                {{"percent", static_cast<int>(pct)},
                 {"bytes", static_cast<uint64_t>(p.bytes_done)},
                 {"bytes_total", static_cast<uint64_t>(p.bytes_total)},
                 {"rows", static_cast<uint64_t>(p.rows)},
                 {"mb_per_s", secs > 0 ? static_cast<double>(p.bytes_done) / secs / 1e6 : 0.0},
                 {"rss_mb", rss >> 20}});
    }
  };
  uint64_t input_bytes = 0;
  for (const auto& fid : s->file_ids) {
    if (auto rec = files_->Get(fid)) input_bytes += rec->size;
  }
  base::Log(base::LogLevel::kInfo, "parse " + id, "started",
            {{"files", static_cast<uint64_t>(inputs.size())},
             {"bytes", input_bytes},
             {"format", s->format.empty() ? std::string("detect") : s->format}});
  if (metrics_ != nullptr) metrics_->ParseStarted();
  const int64_t parse_start_ns = base::MonotonicNs();
  struct Running {  // counted while the ingest runs, also when it throws
    std::atomic<int>& n;
    explicit Running(std::atomic<int>& count) : n(count) { n.fetch_add(1); }
    ~Running() { n.fetch_sub(1); }
  };
  auto built = [&] {
    Running running(running_);
    return cache_.OpenOrBuild(s->store_key, [&](const std::string& path) -> base::Status {
      auto meta = ingest::IngestToStore(inputs, options, path);
      return meta.ok() ? base::Status::Ok() : meta.status();
    });
  }();
  const double parse_s = static_cast<double>(base::MonotonicNs() - parse_start_ns) / 1e9;
  if (s->cancel) {
    // Deleted while parsing: what was written goes too (unless another
    // session uses the same result).
    std::lock_guard<std::mutex> lock(mu_);
    RemoveUnusedStoresLocked({s->store_key});
    return;
  }
  if (!built.ok()) return fail(built.status().message());
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (!OpenStore(s.get(), built->store)) {
      s->status = "error";
      s->error = "The parsed result could not be opened.";
      Notify(s.get());
      return;
    }
    uint64_t rss = 0, peak = 0;
    ReadResidentMemory(&rss, &peak);
    base::Log(base::LogLevel::kInfo, "parse " + id, "complete",
              {{"rows", s->meta->row_count},
               {"errors", s->meta->error_count},
               {"bytes", input_bytes},
               {"ms", parse_s * 1e3},
               {"mb_per_s", parse_s > 0 ? static_cast<double>(input_bytes) / parse_s / 1e6 : 0.0},
               {"rss_mb", rss >> 20},
               {"peak_rss_mb", peak >> 20}});
    if (metrics_ != nullptr) {
      metrics_->Ingested(input_bytes, s->meta->row_count);
      metrics_->ParseCompleted(parse_s, input_bytes);
    }
  }
  EnforceDiskBudget(s->store_key);
  EnforceOpenLimit(s.get());
}

std::shared_ptr<ParseSession> SessionManager::Find(const std::string& id) {
  std::shared_ptr<ParseSession> s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(id);
    if (it != sessions_.end()) {
      s = it->second;
    } else {
      auto r = registry_.find(id);
      if (r == registry_.end()) return nullptr;
      s = std::make_shared<ParseSession>();
      s->id = id;
      s->file_ids = r->second.file_ids;
      s->format = r->second.format;
      s->store_key = r->second.store_key;
      s->started_ns = r->second.created_ns;
      sessions_[id] = s;
    }
  }
  s->last_access_ns = NowNs();
  bool reparse = false;
  bool opened = false;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->status == "pending" && s->version == 0) {
      // Loaded from the registry (or closed): reopen from disk, or parse again.
      opened = OpenStore(s.get());
      reparse = !opened;
      if (reparse) s->version = 1;
    } else if (s->status == "complete" && !s->view) {
      opened = OpenStore(s.get());
      reparse = !opened;
    }
  }
  if (reparse) Enqueue(s);
  if (opened) EnforceOpenLimit(s.get());
  return s;
}

std::shared_ptr<const query::Session> SessionManager::Acquire(const std::string& id, ApiError* err,
                                                              std::vector<std::string>* file_ids) {
  auto s = Find(id);
  if (!s) {
    *err = NotFoundError("No parse session with id '" + id.substr(0, 64) + "'.");
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(s->mu);
  if (file_ids != nullptr) *file_ids = s->file_ids;
  if (s->status == "complete" && s->view) return s->view;
  if (s->status == "error") {
    *err = {422, "PARSE_FAILED", "ParseSession '" + id + "' failed to parse: " + s->error};
    return nullptr;
  }
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.0f", s->progress);
  *err = {
      409, "SESSION_NOT_READY",
      "ParseSession '" + id + "' is still parsing (" + pct + "%); try again when it is complete."};
  return nullptr;
}

bool SessionManager::Delete(const std::string& id) {
  std::shared_ptr<ParseSession> s;
  std::string key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto r = registry_.find(id);
    const bool known = r != registry_.end();
    if (known) {
      key = r->second.store_key;
      registry_.erase(r);
    }
    auto it = sessions_.find(id);
    if (it != sessions_.end()) {
      s = it->second;
      sessions_.erase(it);
    }
    if (!known && !s) return false;
    SaveRegistryLocked();
  }
  if (s) {
    s->cancel = true;  // stops its parse, running or queued
    std::lock_guard<std::mutex> lock(s->mu);
    s->view.reset();
    s->status = "error";
    s->error = "The session was deleted.";
    Notify(s.get());
  }
  if (!key.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    RemoveUnusedStoresLocked({key});
  }
  return true;
}

std::vector<std::string> SessionManager::DeleteForFile(const std::string& file_id) {
  std::vector<std::string> keys, deleted;
  std::vector<std::shared_ptr<ParseSession>> closed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = registry_.begin(); it != registry_.end();) {
      const auto& ids = it->second.file_ids;
      if (std::find(ids.begin(), ids.end(), file_id) == ids.end()) {
        ++it;
        continue;
      }
      if (!it->second.store_key.empty()) keys.push_back(it->second.store_key);
      auto s = sessions_.find(it->first);
      if (s != sessions_.end()) {
        s->second->cancel = true;  // stops its parse, running or queued
        if (!s->second->store_key.empty()) keys.push_back(s->second->store_key);
        closed.push_back(s->second);
        sessions_.erase(s);
      }
      deleted.push_back(it->first);
      it = registry_.erase(it);
    }
    SaveRegistryLocked();
    RemoveUnusedStoresLocked(keys);  // a store another remaining session uses stays
  }
  for (auto& s : closed) {
    std::lock_guard<std::mutex> lock(s->mu);
    s->view.reset();
    s->status = "error";
    s->error = "A file of this session was deleted.";
    Notify(s.get());
  }
  return deleted;
}

void SessionManager::RemoveUnusedStoresLocked(std::vector<std::string> keys) {
  for (const auto& [id, p] : registry_) {
    keys.erase(std::remove(keys.begin(), keys.end(), p.store_key), keys.end());
  }
  for (const auto& k : keys) {
    if (!k.empty()) cache_.Remove(k);
  }
}

void SessionManager::EnforceOpenLimit(const ParseSession* keep) {
  std::vector<std::shared_ptr<ParseSession>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, s] : sessions_) {
      std::lock_guard<std::mutex> slock(s->mu);
      if (s->view) open.push_back(s);
    }
  }
  const size_t limit = static_cast<size_t>(std::max(1, config_.max_open_sessions));
  if (open.size() <= limit) return;
  std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) {
    return a->last_access_ns.load() < b->last_access_ns.load();
  });
  size_t to_close = open.size() - limit;
  for (auto& s : open) {
    if (to_close == 0) break;
    if (s.get() == keep) continue;
    std::lock_guard<std::mutex> lock(s->mu);
    s->view.reset();  // queries still running hold their own reference
    --to_close;
  }
}

void SessionManager::CloseIdle() { EnforceOpenLimit(nullptr); }

SessionManager::Figures SessionManager::figures() const {
  Figures f;
  {
    std::lock_guard<std::mutex> lock(mu_);
    f.queued = queue_.size();
    f.known = registry_.size();
  }
  f.running = static_cast<size_t>(std::max(0, running_.load(std::memory_order_relaxed)));
  f.store_bytes = cache_.DiskBytes();
  return f;
}

size_t SessionManager::open_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [id, s] : sessions_) {
    std::lock_guard<std::mutex> slock(s->mu);
    n += s->view != nullptr;
  }
  return n;
}

void SessionManager::EnforceDiskBudget(const std::string& keep_key) {
  // Stores and temporary files count; open stores and the one just made stay.
  std::vector<std::string> in_use{keep_key};
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, s] : sessions_) {
      std::lock_guard<std::mutex> slock(s->mu);
      if (s->view || s->status == "parsing") in_use.push_back(s->store_key);
    }
  }
  cache_.EnforceBudget(in_use);
}

}  // namespace plcscope::http
