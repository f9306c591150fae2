// ChunkedUploads: the compat chunked upload. Chunks arrive as base64 JSON and
// are kept as files in <data>/chunks/<hash of uploadId>/ (the client's id is
// never a path), each written under its own temporary name and renamed, so
// that concurrent retries of one chunk all succeed. "complete" checks the
// chunks against its totalChunks (count, range, gaps, sizes) and answers 400
// naming any disagreement; otherwise it queues a job on a small fixed pool
// that assembles them in order (decoding gzip as it goes, refusing any stream
// that does not decode completely) into an UploadWriter and registers the
// file. Jobs report their state to SSE watchers. Folders not touched for the
// configured time are removed by Clean(). Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/thread_pool.h"
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
  double progress = 0;                // of the whole job, 0..100
  double stage_progress = 0;          // of the current stage, 0..100
  std::string stage = "queued";
  std::optional<FileRecord> file;
  std::string error;
  int64_t finished_at_ns = 0;

  bool Done() const { return status == "complete" || status == "error"; }
  // The SSE payload; REQUIRES: mu held.
  std::string ToJsonLocked() const;
};

// What "complete" says about the upload.
struct CompleteRequest {
  std::string name = "upload";
  int64_t total_chunks = -1;
  std::string encoding = "none";            // "gzip": the chunks are one gzip stream
  std::optional<uint64_t> original_size;    // bytes of the file once assembled
  std::optional<uint64_t> compressed_size;  // bytes sent, checked for "gzip"
};

class ChunkedUploads {
 public:
  ChunkedUploads(std::string data_dir, FileRegistry* files, UploadLimits limits, int ttl_s);
  // Stops: queued jobs end with an error, a running one stops before its
  // next chunk (its chunks stay for a later "complete"); joins the pool.
  ~ChunkedUploads();

  bool SaveChunk(const std::string& upload_id, int64_t index, int64_t total,
                 const std::string& bytes, bool compressed, ApiError* err);
  // Checks the received chunks and queues their assembly; returns the job id
  // (the running job's when this upload is already being assembled).
  std::optional<std::string> Complete(const std::string& upload_id, const CompleteRequest& req,
                                      ApiError* err);
  std::shared_ptr<UploadJob> FindJob(const std::string& job_id) const;

  // Removes chunk folders idle for longer than the TTL and old finished jobs.
  void Clean();

 private:
  struct Part {
    std::string path;
    bool compressed = false;
    uint64_t size = 0;
  };
  std::string FolderFor(const std::string& upload_id) const;
  void RunJob(const std::shared_ptr<UploadJob>& job, const std::string& folder,
              const std::vector<Part>& parts, const CompleteRequest& req);
  // Writes the file from the chunks; on failure *error says why and nothing is left behind.
  bool Assemble(UploadJob* job, const std::vector<Part>& parts, const CompleteRequest& req,
                FileRecord* out, std::string* error);
  void RemoveTemps();

  const std::string data_dir_;
  const std::string chunks_dir_;
  FileRegistry* const files_;
  const UploadLimits limits_;
  const int ttl_s_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<UploadJob>> jobs_;
  std::map<std::string, std::string> assembling_;  // folder -> job id
  std::map<std::string, int> writing_;             // folder -> chunks being written
  size_t queued_ = 0;                              // jobs not finished
  std::unique_ptr<base::ThreadPool> pool_;         // last: joined first
};

}  // namespace plcscope::http
