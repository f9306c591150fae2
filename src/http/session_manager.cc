#include "http/session_manager.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/mapped_file.h"
#include "base/time_util.h"
#include "http/json_writer.h"
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

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::string ParseSession::ToJsonLocked() const {
  std::string out;
  JsonWriter w(&out);
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
      w.Field("name", f.name).Field("format", f.format).Field("size", f.size);
      w.Field("lines", f.lines).Field("samples", f.samples).Field("errorCount", f.error_count);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!error.empty()) w.Field("error", error);
  w.EndObject();
  return out;
}

SessionManager::SessionManager(const ServerConfig& config, FileRegistry* files)
    : config_(config),
      files_(files),
      stores_dir_(config.data_dir + "/stores"),
      registry_path_(config.data_dir + "/sessions.json") {
  std::error_code ec;
  fs::create_directories(stores_dir_, ec);
  LoadRegistry();
  const int n = std::max(1, config.max_concurrent_parses);
  for (int i = 0; i < n; ++i) workers_.emplace_back(&SessionManager::WorkerLoop, this);
}

SessionManager::~SessionManager() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cancel_ = true;
  }
  queue_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

std::string SessionManager::StorePath(const std::string& key) const {
  return stores_dir_ + "/" + key + ".store";
}

void SessionManager::LoadRegistry() {
  auto text = base::ReadFileToString(registry_path_);
  if (!text.ok()) return;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_array()) return;
  for (const auto& e : j) {
    if (!e.is_object() || !e.contains("id") || !e["id"].is_string()) continue;
    Persisted p;
    if (e.contains("fileIds") && e["fileIds"].is_array()) {
      for (const auto& f : e["fileIds"]) {
        if (f.is_string()) p.file_ids.push_back(f.get<std::string>());
      }
    }
    p.format = e.value("format", "");
    p.store_key = e.value("storeKey", "");
    p.created_ns = e.value("createdAtNs", int64_t{0});
    if (p.file_ids.empty()) continue;
    registry_[e["id"].get<std::string>()] = std::move(p);
  }
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
  if (!s.ok()) std::fprintf(stderr, "sessions: cannot save registry: %s\n", s.message().c_str());
}

bool SessionManager::ComputeKey(ParseSession* s, std::string* error) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  for (const std::string& fid : s->file_ids) {
    auto rec = files_->Get(fid);
    if (!rec) {
      *error = "File '" + fid + "' of this session was deleted.";
      XXH3_freeState(st);
      return false;
    }
    auto stat = base::StatFile(rec->path);
    if (!stat.ok()) {
      *error = "File '" + rec->name + "' cannot be read: " + stat.status().message();
      XXH3_freeState(st);
      return false;
    }
    if (!rec->has_hash || stat->mtime_ns != rec->mtime_ns || stat->size != rec->size) {
      auto h = base::HashFile(rec->path);
      if (!h.ok()) {
        *error = "File '" + rec->name + "' cannot be read: " + h.status().message();
        XXH3_freeState(st);
        return false;
      }
      rec->hash = *h;
      files_->SetHash(fid, *h, stat->mtime_ns);
    }
    const uint64_t parts[2] = {rec->hash, stat->size};
    XXH3_64bits_update(st, parts, sizeof parts);
  }
  const std::string tail = s->format + "|" + std::to_string(store::kParserVersion) + "|" +
                           std::to_string(store::kFormatVersion);
  XXH3_64bits_update(st, tail.data(), tail.size());
  s->store_key = Hex64(XXH3_64bits_digest(st));
  XXH3_freeState(st);
  return true;
}

bool SessionManager::OpenStore(ParseSession* s) {
  if (s->store_key.empty()) return false;
  const std::string path = StorePath(s->store_key);
  if (!fs::exists(path)) return false;
  auto opened = store::Store::Open(path);
  if (!opened.ok()) {
    std::fprintf(stderr, "sessions: %s: %s (parsing again)\n", path.c_str(),
                 opened.status().message().c_str());
    std::error_code ec;
    fs::remove(path, ec);
    return false;
  }
  s->view = std::make_shared<const query::Session>(*opened);
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
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // LRU order for the disk budget
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
    std::fprintf(stderr, "parse %s: reopened stored result %s\n", s->id.c_str(),
                 s->store_key.c_str());
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

void SessionManager::RunParse(const std::shared_ptr<ParseSession>& s) {
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->status == "complete" && s->view) return;
    s->status = "parsing";
    s->progress = 0;
    s->started_ns = NowNs();
    Notify(s.get());
  }
  auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "parse %s: error: %s\n", s->id.c_str(), message.c_str());
    std::lock_guard<std::mutex> lock(s->mu);
    s->status = "error";
    s->error = message;
    Notify(s.get());
  };
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
      std::fprintf(stderr, "parse %s: reopened stored result %s\n", s->id.c_str(),
                   s->store_key.c_str());
      return;
    }
  }
  std::vector<ingest::InputFile> inputs;
  for (const auto& fid : s->file_ids) {
    auto rec = files_->Get(fid);
    if (!rec) return fail("File '" + fid + "' of this session was deleted.");
    inputs.push_back({rec->path, rec->name});
  }
  ingest::IngestOptions options;
  if (!s->format.empty()) {
    ingest::Format f;
    if (!ingest::ParseFormatName(s->format, &f)) return fail("Unknown format '" + s->format + "'.");
    options.format = f;
  }
  options.cancel = &cancel_;
  int last_logged = -1;
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
      std::fprintf(stderr, "parse %s: %3.0f%% (%llu of %llu bytes, %llu samples)\n", id.c_str(),
                   pct, static_cast<unsigned long long>(p.bytes_done),
                   static_cast<unsigned long long>(p.bytes_total),
                   static_cast<unsigned long long>(p.rows));
    }
  };
  const std::string path = StorePath(s->store_key);
  std::fprintf(stderr, "parse %s: started (%zu file(s))\n", id.c_str(), inputs.size());
  auto meta = ingest::IngestToStore(inputs, options, path);
  if (!meta.ok()) return fail(meta.status().message());
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (!OpenStore(s.get())) {
      s->status = "error";
      s->error = "The parsed result could not be opened.";
      Notify(s.get());
      return;
    }
    std::fprintf(stderr, "parse %s: complete: %llu samples, %llu errors in %.0f ms\n", id.c_str(),
                 static_cast<unsigned long long>(s->meta->row_count),
                 static_cast<unsigned long long>(s->meta->error_count),
                 s->meta->processing_time_ms);
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
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool known = registry_.erase(id) > 0;
    auto it = sessions_.find(id);
    if (it != sessions_.end()) {
      s = it->second;
      sessions_.erase(it);
    }
    if (!known && !s) return false;
    SaveRegistryLocked();
  }
  if (s) {
    std::lock_guard<std::mutex> lock(s->mu);
    s->view.reset();
    s->status = "error";
    s->error = "The session was deleted.";
    Notify(s.get());
  }
  return true;
}

void SessionManager::DeleteForFile(const std::string& file_id) {
  std::vector<std::string> keys;
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
        closed.push_back(s->second);
        sessions_.erase(s);
      }
      it = registry_.erase(it);
    }
    // A store another remaining session uses stays.
    for (const auto& [id, p] : registry_) {
      keys.erase(std::remove(keys.begin(), keys.end(), p.store_key), keys.end());
    }
    SaveRegistryLocked();
  }
  for (auto& s : closed) {
    std::lock_guard<std::mutex> lock(s->mu);
    s->view.reset();
    s->status = "error";
    s->error = "A file of this session was deleted.";
    Notify(s.get());
  }
  for (const auto& k : keys) {
    std::error_code ec;
    fs::remove(StorePath(k), ec);
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
  struct Entry {
    std::string key;
    uint64_t size;
    fs::file_time_type used;
  };
  std::vector<Entry> stores;
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(stores_dir_, ec)) {
    const auto& p = e.path();
    if (p.extension() != ".store") continue;
    std::error_code ec2;
    const uint64_t size = fs::file_size(p, ec2);
    if (ec2) continue;
    stores.push_back({p.stem().string(), size, fs::last_write_time(p, ec2)});
    total += size;
  }
  if (total <= config_.store_budget_bytes) return;
  std::sort(stores.begin(), stores.end(),
            [](const Entry& a, const Entry& b) { return a.used < b.used; });
  std::vector<std::string> open_keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, s] : sessions_) {
      std::lock_guard<std::mutex> slock(s->mu);
      if (s->view) open_keys.push_back(s->store_key);
    }
  }
  for (const Entry& e : stores) {
    if (total <= config_.store_budget_bytes) break;
    if (e.key == keep_key) continue;
    if (std::find(open_keys.begin(), open_keys.end(), e.key) != open_keys.end()) continue;
    std::fprintf(stderr, "sessions: disk budget: evicting stored result %s (%llu bytes)\n",
                 e.key.c_str(), static_cast<unsigned long long>(e.size));
    std::error_code ec2;
    fs::remove(StorePath(e.key), ec2);
    total -= e.size;
  }
}

}  // namespace plcscope::http
