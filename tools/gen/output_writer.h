// OutputWriter: the generator's buffered byte sink. Lines are formatted
// straight into its buffer (Reserve / Commit), and full buffers go to a file
// with write(2), through zlib's deflate (gzip), or to a std::string.
//
// A file is written under a temporary name beside the target and renamed in
// Close(), so a killed generator never leaves a complete-looking file.
// Owns its buffer, fd and zlib stream. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace plcscope::gen {

class OutputWriter {
 public:
  // Opens `path` for writing (gzip-compressed when `gzip`).
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
  uint64_t bytes() const { return flushed_ + static_cast<uint64_t>(cursor_ - buffer_.get()); }

  static constexpr size_t kBufferSize = 4 << 20;

 private:
  enum class Mode { kFile, kGzip, kString };
  OutputWriter(Mode mode, int fd, std::string path, std::string* out);
  void Flush();
  void WriteAll(const char* data, size_t n);

  Mode mode_;
  int fd_ = -1;
  std::string path_;      // final name
  std::string tmp_path_;  // name while writing
  std::string* out_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  uint64_t flushed_ = 0;
  struct Zlib;
  std::unique_ptr<Zlib> zlib_;
  std::unique_ptr<char[]> zbuf_;
  base::Status status_;  // first error; sticky
  bool closed_ = false;
};

}  // namespace plcscope::gen
