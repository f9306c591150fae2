#include "http/chunked_uploads.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstdio>
#include <filesystem>

#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "http/handler_util.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {
constexpr int64_t kMaxChunks = 1'000'000;
// Assembly threads: the work is disk-bound, two keep a 2-core machine busy.
constexpr int kAssemblers = 2;
// Jobs queued or running at once; more get 503 (each holds its chunk folder).
constexpr size_t kMaxJobs = 1024;
// The file in an upload's folder that remembers the totalChunks of its chunks.
constexpr char kTotalFile[] = "total";
// Names of at most this many missing chunks are listed in an error.
constexpr size_t kListedChunks = 10;

void Update(UploadJob* job, const std::string& status, double progress, double stage_progress,
            const std::string& stage) {
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = status;
  job->progress = progress;
  job->stage_progress = stage_progress;
  job->stage = stage;
  ++job->version;
  job->changed.notify_all();
}

void Fail(UploadJob* job, const std::string& message) {
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = "error";
  job->stage = "error";
  job->error = message;
  job->finished_at_ns = base::NowNs();
  ++job->version;
  job->changed.notify_all();
}

std::string ChunkName(int64_t index, bool compressed) {
  return "chunk-" + std::to_string(index) + (compressed ? ".gz" : ".bin");
}

// "chunk-12.bin" -> 12, false; "chunk-3.gz" -> 3, true; anything else false.
bool ParseChunkName(const std::string& name, int64_t* index, bool* compressed) {
  if (name.rfind("chunk-", 0) != 0) return false;
  size_t i = 6;
  int64_t v = 0;
  const size_t digits_from = i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - digits_from < 8) {
    v = v * 10 + (name[i] - '0');
    ++i;
  }
  if (i == digits_from) return false;
  const std::string rest = name.substr(i);
  if (rest != ".bin" && rest != ".gz") return false;
  *index = v;
  *compressed = rest == ".gz";
  return true;
}

// The totalChunks recorded with the first chunk of an upload, or -1.
int64_t ReadTotal(const std::string& folder) {
  auto text = base::ReadFileToString(folder + "/" + kTotalFile);
  if (!text.ok() || text->empty() || text->size() > 12) return -1;
  int64_t v = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Records the totalChunks of an upload beside its chunks (renamed into place,
// but without fsync: it only lets later chunks be checked against it, and
// "complete" checks the chunks themselves).
bool WriteTotal(const std::string& folder, int64_t total) {
  const std::string path = folder + "/" + kTotalFile;
  const std::string tmp = base::TempNameFor(path);
  const std::string text = std::to_string(total);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (::close(fd) != 0 || !ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool StatFileSize(const std::string& path, uint64_t* size, int64_t* mtime_ns) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  *size = static_cast<uint64_t>(st.st_size);
  if (mtime_ns) {
    *mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  }
  return true;
}

ApiError Conflict(std::string message) { return {409, "CONFLICT", std::move(message)}; }

}  // namespace

std::string UploadJob::ToJsonLocked() const {
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject()
      .Field("jobId", id)
      .Field("status", status)
      .Field("progress", progress)
      .Field("stageProgress", stage_progress)
      .Field("stage", stage);
  if (file) {
    w.Key("fileInfo");
    WriteFileInfo(w, *file);
  }
  if (!error.empty()) w.Field("error", error);
  w.EndObject();
  return out;
}

ChunkedUploads::ChunkedUploads(std::string data_dir, FileRegistry* files, UploadLimits limits,
                               int ttl_s)
    : data_dir_(std::move(data_dir)),
      chunks_dir_(data_dir_ + "/chunks"),
      files_(files),
      limits_(limits),
      ttl_s_(ttl_s),
      pool_(std::make_unique<base::ThreadPool>(kAssemblers)) {
  std::error_code ec;
  fs::create_directories(chunks_dir_, ec);
  RemoveTemps();
}

ChunkedUploads::~ChunkedUploads() {
  stopping_ = true;
  pool_.reset();  // queued jobs see stopping_ and end at once
}

void ChunkedUploads::RemoveTemps() {
  // A chunk being written when the server stopped leaves its temporary file;
  // the chunks themselves stay for the client to complete the upload.
  std::error_code ec;
  for (const auto& folder : fs::directory_iterator(chunks_dir_, ec)) {
    std::error_code ec2;
    if (!folder.is_directory(ec2)) continue;
    for (const auto& f : fs::directory_iterator(folder.path(), ec2)) {
      std::error_code ec3;
      if (base::IsTempName(f.path().filename().string())) fs::remove(f.path(), ec3);
    }
  }
}

std::string ChunkedUploads::FolderFor(const std::string& upload_id) const {
  return chunks_dir_ + "/" + base::Hex64(XXH3_64bits(upload_id.data(), upload_id.size()));
}

bool ChunkedUploads::SaveChunk(const std::string& upload_id, int64_t index, int64_t total,
                               const std::string& bytes, bool compressed, ApiError* err) {
  if (upload_id.empty() || upload_id.size() > 200) {
    *err = BadParameter("uploadId", "must be a non-empty string of at most 200 characters");
    return false;
  }
  if (total < 1 || total > kMaxChunks) {
    *err = BadParameter("totalChunks", "must be between 1 and 1000000");
    return false;
  }
  if (index < 0 || index >= total) {
    *err = BadParameter(
        "chunkIndex", "must be between 0 and totalChunks - 1 (" + std::to_string(total - 1) + ")");
    return false;
  }
  const std::string folder = FolderFor(upload_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (assembling_.count(folder) != 0) {
      *err = Conflict("Upload '" + upload_id + "' is being assembled; no more chunks are taken.");
      return false;
    }
    ++writing_[folder];
  }
  struct WritingGuard {
    ChunkedUploads* self;
    std::string folder;
    ~WritingGuard() {
      std::lock_guard<std::mutex> lock(self->mu_);
      if (--self->writing_[folder] == 0) self->writing_.erase(folder);
    }
  } guard{this, folder};

  std::error_code ec;
  fs::create_directories(folder, ec);
  const int64_t known_total = ReadTotal(folder);
  if (known_total >= 0 && known_total != total) {
    *err = BadParameter("totalChunks", "is " + std::to_string(total) +
                                           ", but earlier chunks of this upload said " +
                                           std::to_string(known_total));
    return false;
  }
  // A chunk sent again must be the same chunk: the same size as before.
  const std::string path = folder + "/" + ChunkName(index, compressed);
  uint64_t old_size = 0;
  if (StatFileSize(path, &old_size, nullptr) && old_size != bytes.size()) {
    *err = {400, "CHUNK_CONFLICT",
            "Chunk " + std::to_string(index) + " was already received with " +
                std::to_string(old_size) + " bytes; this copy has " + std::to_string(bytes.size()) +
                " bytes."};
    return false;
  }
  const uint64_t free_bytes = FreeDiskBytes(folder);
  if (free_bytes < limits_.disk_reserve_bytes + bytes.size()) {
    *err = {507, "INSUFFICIENT_STORAGE", "There is not enough free disk space for this chunk."};
    return false;
  }
  if (known_total < 0 && !WriteTotal(folder, total)) {
    *err = {500, "IO_ERROR", "Cannot write in the chunk folder of upload '" + upload_id + "'."};
    return false;
  }
  // Each writer has its own temporary name; the last rename wins.
  base::Status s = base::WriteFileAtomic(path, bytes);
  if (!s.ok()) {
    *err = FromStatus(s);
    return false;
  }
  // A chunk sent again replaces the earlier one, compressed or not.
  fs::remove(folder + "/" + ChunkName(index, !compressed), ec);
  return true;
}

std::optional<std::string> ChunkedUploads::Complete(const std::string& upload_id,
                                                    const CompleteRequest& req, ApiError* err) {
  if (upload_id.empty() || upload_id.size() > 200) {
    *err = BadParameter("uploadId", "must be a non-empty string of at most 200 characters");
    return std::nullopt;
  }
  const int64_t total = req.total_chunks;
  if (total < 1 || total > kMaxChunks) {
    *err = BadParameter("totalChunks", "must be between 1 and 1000000");
    return std::nullopt;
  }
  if (req.encoding != "gzip" && req.encoding != "none" && !req.encoding.empty()) {
    *err = BadParameter("encoding", "must be \"gzip\" or \"none\"");
    return std::nullopt;
  }
  const bool gzip = req.encoding == "gzip";
  const std::string folder = FolderFor(upload_id);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = assembling_.find(folder); it != assembling_.end()) return it->second;
  if (writing_.count(folder) != 0) {
    *err = Conflict("Chunks of upload '" + upload_id +
                    "' are still being written; complete it once every chunk was answered.");
    return std::nullopt;
  }
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    *err = NotFoundError("No chunks were received for upload '" + upload_id + "'.");
    return std::nullopt;
  }

  const int64_t known_total = ReadTotal(folder);
  if (known_total >= 0 && known_total != total) {
    *err = {400, "CHUNK_COUNT_MISMATCH",
            "totalChunks is " + std::to_string(total) + ", but the chunks of upload '" + upload_id +
                "' were sent with totalChunks " + std::to_string(known_total) +
                "; nothing was assembled."};
    return std::nullopt;
  }
  // Every chunk must be there, once, and nothing beyond totalChunks.
  std::map<int64_t, std::pair<Part, int64_t>> found;  // index -> part, mtime
  int64_t beyond = -1;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    int64_t index;
    bool compressed;
    if (!ParseChunkName(entry.path().filename().string(), &index, &compressed)) continue;
    if (index >= total) {
      beyond = std::max(beyond, index);
      continue;
    }
    Part p{entry.path().string(), compressed, 0};
    int64_t mtime = 0;
    if (!StatFileSize(p.path, &p.size, &mtime)) continue;
    // Both forms of one chunk exist only while a retry replaces one by the
    // other: the newer wins.
    auto it = found.find(index);
    if (it == found.end() || mtime > it->second.second) found[index] = {std::move(p), mtime};
  }
  if (beyond >= 0) {
    *err = {400, "CHUNK_COUNT_MISMATCH",
            "Chunk " + std::to_string(beyond) + " was received, but totalChunks is " +
                std::to_string(total) + "; nothing was assembled."};
    return std::nullopt;
  }
  if (found.size() != static_cast<size_t>(total)) {
    const size_t missing = static_cast<size_t>(total) - found.size();
    std::string list;
    size_t listed = 0;
    for (int64_t i = 0; i < total && listed < kListedChunks; ++i) {
      if (found.count(i) != 0) continue;
      if (listed++ > 0) list += ", ";
      list += std::to_string(i);
    }
    if (missing > kListedChunks)
      list += " and " + std::to_string(missing - kListedChunks) + " more";
    *err = {400, "MISSING_CHUNKS",
            (missing == 1 ? "Chunk " + list + " of " + std::to_string(total) + " is missing"
                          : "Chunks " + list + " of " + std::to_string(total) + " are missing") +
                "; send them again, then complete the upload."};
    return std::nullopt;
  }
  std::vector<Part> parts;
  parts.reserve(found.size());
  uint64_t sent = 0;
  bool any_compressed = false;
  for (auto& [index, part] : found) {
    sent += part.first.size;
    any_compressed = any_compressed || part.first.compressed;
    parts.push_back(std::move(part.first));
  }
  if (gzip && req.compressed_size && *req.compressed_size != sent) {
    *err = {400, "SIZE_MISMATCH",
            "compressedSize is " + std::to_string(*req.compressed_size) + ", but the chunks hold " +
                std::to_string(sent) + " bytes; nothing was assembled."};
    return std::nullopt;
  }
  if (!gzip && !any_compressed && req.original_size && *req.original_size != sent) {
    *err = {400, "SIZE_MISMATCH",
            "originalSize is " + std::to_string(*req.original_size) + ", but the chunks hold " +
                std::to_string(sent) + " bytes; nothing was assembled."};
    return std::nullopt;
  }
  if (queued_ >= kMaxJobs) {
    *err = {503, "BUSY", "Too many uploads are being assembled; complete this one again shortly."};
    return std::nullopt;
  }

  auto job = std::make_shared<UploadJob>();
  job->id = NewId();
  jobs_[job->id] = job;
  assembling_[folder] = job->id;
  ++queued_;
  pool_->Submit(
      [this, job, folder, parts = std::move(parts), req] { RunJob(job, folder, parts, req); });
  return job->id;
}

std::shared_ptr<UploadJob> ChunkedUploads::FindJob(const std::string& job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  return it == jobs_.end() ? nullptr : it->second;
}

void ChunkedUploads::RunJob(const std::shared_ptr<UploadJob>& job, const std::string& folder,
                            const std::vector<Part>& parts, const CompleteRequest& req) {
  FileRecord record;
  std::string error;
  // The error is reported only once Assemble() has returned: its writer has then removed the
  // partial file, so a client that sees "error" finds nothing left behind.
  const bool ok = Assemble(job.get(), parts, req, &record, &error);
  if (ok) {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    assembling_.erase(folder);
    --queued_;
  }
  if (!ok) {
    Fail(job.get(), error);  // the chunks stay for a retry
    return;
  }
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = "complete";
  job->stage = "complete";
  job->progress = 100;
  job->stage_progress = 100;
  job->file = record;
  job->finished_at_ns = base::NowNs();
  ++job->version;
  job->changed.notify_all();
}

bool ChunkedUploads::Assemble(UploadJob* job, const std::vector<Part>& parts,
                              const CompleteRequest& req, FileRecord* out, std::string* error) {
  const char* kStopping = "The server is stopping; complete the upload again after its restart.";
  if (stopping_) {
    *error = kStopping;
    return false;
  }
  const bool gzip = req.encoding == "gzip";
  const std::string status = gzip ? "decompressing" : "assembling";
  Update(job, status, 0, 0, "assembling chunks");
  ApiError err;
  auto writer = UploadWriter::Create(data_dir_ + "/tmp", limits_, std::nullopt, &err);
  if (!writer) {
    *error = err.message;
    return false;
  }
  Inflater whole(Inflater::Format::kGzip);
  auto sink = [&](const char* d, size_t n) { return writer->Write(d, n, &err); };
  for (size_t i = 0; i < parts.size(); ++i) {
    if (stopping_) {
      *error = kStopping;
      return false;
    }
    auto bytes = base::ReadFileToString(parts[i].path);
    if (!bytes.ok()) {
      *error = "Chunk " + std::to_string(i) + " cannot be read: " + bytes.status().message();
      return false;
    }
    bool ok;
    if (gzip) {
      ok = whole.Feed(bytes->data(), bytes->size(), sink);
      if (!ok && err.message.empty()) {
        err.message = "The gzip upload does not decode (in chunk " + std::to_string(i) +
                      "): " + whole.error() + "; nothing was stored.";
      }
    } else if (parts[i].compressed) {
      Inflater one(Inflater::Format::kGzip);
      ok = one.Feed(bytes->data(), bytes->size(), sink) && one.Finish();
      if (!ok && err.message.empty()) {
        err.message = "Chunk " + std::to_string(i) + " does not decode: " + one.error() +
                      "; nothing was stored.";
      }
    } else {
      ok = sink(bytes->data(), bytes->size());
    }
    if (!ok) {
      *error = err.message;
      return false;
    }
    const double done = static_cast<double>(i + 1) / static_cast<double>(parts.size());
    Update(job, status, 95.0 * done, 100.0 * done,
           "chunk " + std::to_string(i + 1) + " of " + std::to_string(parts.size()));
  }
  if (gzip && !whole.Finish()) {
    *error = "The gzip upload does not decode: " + whole.error() + "; nothing was stored.";
    return false;
  }
  if (req.original_size && *req.original_size != writer->bytes()) {
    *error = "originalSize is " + std::to_string(*req.original_size) +
             ", but the assembled file has " + std::to_string(writer->bytes()) +
             " bytes; nothing was stored.";
    return false;
  }
  auto record = writer->Commit(files_->files_dir(), req.name, &err);
  if (!record) {
    *error = err.message;
    return false;
  }
  base::Status s = files_->Add(*record);
  if (!s.ok()) {
    std::error_code ec;
    fs::remove(record->path, ec);
    *error = s.message();
    return false;
  }
  base::Log(base::LogLevel::kInfo, "files", "uploaded (chunked)",
            {{"id", record->id}, {"name", record->name}, {"bytes", record->size}});
  *out = std::move(*record);
  return true;
}

void ChunkedUploads::Clean() {
  const auto now = fs::file_time_type::clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(chunks_dir_, ec)) {
    const std::string folder = entry.path().string();
    if (assembling_.count(folder) != 0 || writing_.count(folder) != 0) continue;
    std::error_code ec2;
    auto t = fs::last_write_time(entry.path(), ec2);
    if (ec2) continue;
    if (now - t > std::chrono::seconds(ttl_s_)) fs::remove_all(entry.path(), ec2);
  }
  const int64_t cutoff = base::NowNs() - static_cast<int64_t>(ttl_s_) * 1'000'000'000;
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    std::lock_guard<std::mutex> job_lock(it->second->mu);
    if (it->second->Done() && it->second->finished_at_ns < cutoff) {
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace plcscope::http
