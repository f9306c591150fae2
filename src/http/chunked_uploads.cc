#include "http/chunked_uploads.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "base/time_util.h"
#include "http/json_writer.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {
constexpr int64_t kMaxChunks = 1'000'000;

void Update(UploadJob* job, const std::string& status, double progress, const std::string& stage) {
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = status;
  job->progress = progress;
  job->stage = stage;
  ++job->version;
  job->changed.notify_all();
}

void Fail(UploadJob* job, const std::string& message) {
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = "error";
  job->stage = "error";
  job->error = message;
  job->finished_at_ns = NowNs();
  ++job->version;
  job->changed.notify_all();
}

std::string ChunkName(int64_t index, bool compressed) {
  return "chunk-" + std::to_string(index) + (compressed ? ".gz" : ".bin");
}
}  // namespace

std::string UploadJob::ToJsonLocked() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Field("jobId", id)
      .Field("status", status)
      .Field("progress", progress)
      .Field("stage", stage);
  if (file) {
    w.Key("fileInfo").BeginObject();
    w.Field("id", file->id).Field("name", file->name).Field("size", file->size);
    w.Field("uploadedAt", base::FormatRfc3339Millis(file->uploaded_at_ns));
    w.Field("status", file->status).EndObject();
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
      ttl_s_(ttl_s) {
  std::error_code ec;
  fs::create_directories(chunks_dir_, ec);
}

ChunkedUploads::~ChunkedUploads() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

std::string ChunkedUploads::FolderFor(const std::string& upload_id) const {
  const uint64_t h = XXH3_64bits(upload_id.data(), upload_id.size());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return chunks_dir_ + "/" + buf;
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
    *err = BadParameter("chunkIndex", "must be between 0 and totalChunks - 1");
    return false;
  }
  const std::string folder = FolderFor(upload_id);
  std::error_code ec;
  fs::create_directories(folder, ec);
  const uint64_t free_bytes = FreeDiskBytes(folder);
  if (free_bytes < limits_.disk_reserve_bytes + bytes.size()) {
    *err = {507, "INSUFFICIENT_STORAGE", "There is not enough free disk space for this chunk."};
    return false;
  }
  // A chunk sent again replaces the earlier one, compressed or not.
  fs::remove(folder + "/" + ChunkName(index, !compressed), ec);
  base::Status s = base::WriteFileAtomic(folder + "/" + ChunkName(index, compressed), bytes);
  if (!s.ok()) {
    *err = FromStatus(s);
    return false;
  }
  return true;
}

std::optional<std::string> ChunkedUploads::Complete(const std::string& upload_id,
                                                    const std::string& name, int64_t total,
                                                    const std::string& encoding, ApiError* err) {
  if (upload_id.empty() || upload_id.size() > 200) {
    *err = BadParameter("uploadId", "must be a non-empty string of at most 200 characters");
    return std::nullopt;
  }
  if (total < 1 || total > kMaxChunks) {
    *err = BadParameter("totalChunks", "must be between 1 and 1000000");
    return std::nullopt;
  }
  if (encoding != "gzip" && encoding != "none" && !encoding.empty()) {
    *err = BadParameter("encoding", "must be \"gzip\" or \"none\"");
    return std::nullopt;
  }
  const std::string folder = FolderFor(upload_id);
  if (!fs::is_directory(folder)) {
    *err = NotFoundError("No chunks were received for upload '" + upload_id.substr(0, 200) + "'.");
    return std::nullopt;
  }
  auto job = std::make_shared<UploadJob>();
  job->id = NewId();
  std::lock_guard<std::mutex> lock(mu_);
  jobs_[job->id] = job;
  threads_.emplace_back(&ChunkedUploads::RunJob, this, job, folder, name, total,
                        encoding == "gzip");
  return job->id;
}

std::shared_ptr<UploadJob> ChunkedUploads::FindJob(const std::string& job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  return it == jobs_.end() ? nullptr : it->second;
}

void ChunkedUploads::RunJob(std::shared_ptr<UploadJob> job, std::string folder, std::string name,
                            int64_t total, bool gzip) {
  // Every chunk must be there before anything is assembled.
  std::vector<std::pair<std::string, bool>> parts;
  for (int64_t i = 0; i < total; ++i) {
    std::string plain = folder + "/" + ChunkName(i, false);
    std::string packed = folder + "/" + ChunkName(i, true);
    if (fs::exists(plain)) {
      parts.emplace_back(plain, false);
    } else if (fs::exists(packed)) {
      parts.emplace_back(packed, true);
    } else {
      Fail(job.get(), "Chunk " + std::to_string(i) + " of " + std::to_string(total) +
                          " is missing; send it again, then complete the upload.");
      return;
    }
  }
  Update(job.get(), gzip ? "decompressing" : "assembling", 0, "assembling chunks");
  ApiError err;
  auto writer = UploadWriter::Create(data_dir_ + "/tmp", limits_, std::nullopt, &err);
  if (!writer) {
    Fail(job.get(), err.message);
    return;
  }
  Inflater whole;
  auto sink = [&](const char* d, size_t n) { return writer->Write(d, n, &err); };
  for (size_t i = 0; i < parts.size(); ++i) {
    auto bytes = base::ReadFileToString(parts[i].first);
    if (!bytes.ok()) {
      Fail(job.get(),
           "Chunk " + std::to_string(i) + " cannot be read: " + bytes.status().message());
      return;
    }
    bool ok;
    if (gzip) {
      ok = whole.Feed(bytes->data(), bytes->size(), sink);
      if (!ok && err.message.empty()) err.message = "The gzip data is corrupt: " + whole.error();
    } else if (parts[i].second) {
      Inflater one;
      ok = one.Feed(bytes->data(), bytes->size(), sink);
      if (ok && !one.finished()) {
        ok = false;
        err.message = "Chunk " + std::to_string(i) + " is a truncated gzip stream.";
      }
      if (!ok && err.message.empty()) {
        err.message = "Chunk " + std::to_string(i) + " is not valid gzip: " + one.error();
      }
    } else {
      ok = sink(bytes->data(), bytes->size());
    }
    if (!ok) {
      Fail(job.get(), err.message);
      return;
    }
    Update(job.get(), gzip ? "decompressing" : "assembling",
           95.0 * static_cast<double>(i + 1) / static_cast<double>(parts.size()),
           "chunk " + std::to_string(i + 1) + " of " + std::to_string(parts.size()));
  }
  if (gzip && !whole.finished()) {
    Fail(job.get(), "The gzip stream ends early: the upload is truncated.");
    return;
  }
  auto record = writer->Commit(files_->files_dir(), name, &err);
  if (!record) {
    Fail(job.get(), err.message);
    return;
  }
  base::Status s = files_->Add(*record);
  if (!s.ok()) {
    fs::remove(record->path);
    Fail(job.get(), s.message());
    return;
  }
  std::error_code ec;
  fs::remove_all(folder, ec);
  std::lock_guard<std::mutex> lock(job->mu);
  job->status = "complete";
  job->stage = "complete";
  job->progress = 100;
  job->file = *record;
  job->finished_at_ns = NowNs();
  ++job->version;
  job->changed.notify_all();
}

void ChunkedUploads::Clean() {
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(chunks_dir_, ec)) {
    std::error_code ec2;
    auto t = fs::last_write_time(entry.path(), ec2);
    if (ec2) continue;
    if (now - t > std::chrono::seconds(ttl_s_)) fs::remove_all(entry.path(), ec2);
  }
  const int64_t cutoff = NowNs() - static_cast<int64_t>(ttl_s_) * 1'000'000'000;
  std::lock_guard<std::mutex> lock(mu_);
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
