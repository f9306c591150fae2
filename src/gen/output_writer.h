// OutputWriter: the generator's buffered byte sink. Lines are formatted
// straight into its buffer (Reserve / Commit). For files, a full buffer is
// handed to a background thread that writes it (through zlib's deflate for
// gzip) while the generator fills the other buffer; for strings it is
// appended in place.
//
// A file is written under a temporary name beside the target and renamed in
// Close(), so a killed generator never leaves a complete-looking file.
// Owns its buffers, fd, zlib stream and writer thread. The object itself is
// not thread-safe: one producer thread calls it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"

namespace plcscope::gen {

class OutputWriter {
 public:
  // Opens `path` for writing (gzip-compressed when `gzip`); "-" is stdout.
  static base::Result<std::unique_ptr<OutputWriter>> OpenFile(const std::string& path, bool gzip);
  // Appends everything to *out (owned by the caller, must outlive the writer).
  static std::unique_ptr<OutputWriter> ToString(std::string* out);

  // Without a successful Close(), an unfinished file is deleted.
  ~OutputWriter();
  OutputWriter(const OutputWriter&) = delete;
  OutputWriter& operator=(const OutputWriter&) = delete;

  // Returns room for at least `n` bytes (n <= kBufferSize); write into it,
  // then Commit() the number of bytes actually written.
  char* Reserve(size_t n) {
    if (static_cast<size_t>(end_ - cursor_) < n) Flush();
    return cursor_;
  }
  void Commit(size_t n) { cursor_ += n; }
  void Append(std::string_view s);

  // Flushes, finishes the gzip stream, closes and renames. Idempotent.
  base::Status Close();

  // Bytes handed to the writer so far (before compression).
  uint64_t bytes() const {
    return flushed_ + static_cast<uint64_t>(cursor_ - buffer_[active_].get());
  }

  static constexpr size_t kBufferSize = 4 << 20;

 private:
  enum class Mode { kFile, kGzip, kString };
  OutputWriter(Mode mode, int fd, std::string path, std::string* out);
  void Flush();     // hands the active buffer over, switches buffers
  void WaitIdle();  // until the writer thread has no buffer pending
  void StopThread();
  void WriterLoop();
  void Sink(const char* data, size_t n);  // on the writer thread (or inline)
  void WriteAll(const char* data, size_t n);

  Mode mode_;
  int fd_ = -1;
  std::string path_;      // final name
  std::string tmp_path_;  // name while writing; empty for stdout
  std::string* out_ = nullptr;
  std::unique_ptr<char[]> buffer_[2];
  int active_ = 0;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  uint64_t flushed_ = 0;
  struct Zlib;
  std::unique_ptr<Zlib> zlib_;
  std::unique_ptr<char[]> zbuf_;
  bool closed_ = false;

  // Hand-over to the writer thread. Guarded by mu_: pending_*, stop_, status_.
  std::mutex mu_;
  std::condition_variable cv_;
  const char* pending_ = nullptr;
  size_t pending_size_ = 0;
  bool stop_ = false;
  base::Status status_;  // first error; sticky
  std::thread writer_;
};

}  // namespace plcscope::gen
