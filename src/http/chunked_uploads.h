// ChunkedUploads: the compat chunked upload. Chunks arrive as base64 JSON and
// are kept as files in <data>/chunks/<hash of uploadId>/ (the client's id is
// never a path); "complete" starts a background job that assembles them in
// order (decompressing gzip while it goes) into an UploadWriter and registers
// the file. Jobs report their state to SSE watchers. Folders not touched for
// the configured time are removed by Clean(). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/api_error.h"
#include "http/file_registry.h"
#include "http/upload_writer.h"

namespace plcscope::http {

// The state of one assembly job, shared with its watchers.
struct UploadJob {
  std::string id;
  mutable std::mutex mu;
  std::condition_variable changed;
  uint64_t version = 0;               // bumped on every change
  std::string status = "processing";  // processing|assembling|decompressing|complete|error
  double progress = 0;
  std::string stage = "queued";
  std::optional<FileRecord> file;
  std::string error;
  int64_t finished_at_ns = 0;

  bool Done() const { return status == "complete" || status == "error"; }
  // The SSE payload; REQUIRES: mu held.
  std::string ToJsonLocked() const;
};

class ChunkedUploads {
 public:
  ChunkedUploads(std::string data_dir, FileRegistry* files, UploadLimits limits, int ttl_s);
  ~ChunkedUploads();  // waits for running jobs

  bool SaveChunk(const std::string& upload_id, int64_t index, int64_t total,
                 const std::string& bytes, bool compressed, ApiError* err);
  // Starts assembling; returns the job id.
  std::optional<std::string> Complete(const std::string& upload_id, const std::string& name,
                                      int64_t total, const std::string& encoding, ApiError* err);
  std::shared_ptr<UploadJob> FindJob(const std::string& job_id) const;

  // Removes chunk folders idle for longer than the TTL and old finished jobs.
  void Clean();

 private:
  std::string FolderFor(const std::string& upload_id) const;
  void RunJob(std::shared_ptr<UploadJob> job, std::string folder, std::string name, int64_t total,
              bool gzip);

  const std::string data_dir_;
  const std::string chunks_dir_;
  FileRegistry* const files_;
  const UploadLimits limits_;
  const int ttl_s_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<UploadJob>> jobs_;
  std::vector<std::thread> threads_;
};

}  // namespace plcscope::http
