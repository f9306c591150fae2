// UploadWriter: streams one uploaded file to a temporary name under
// <data>/tmp, hashing it (XXH3-64) and checking the size limit and the free
// disk space as it goes; Commit() renames it into <data>/files/<id>. A writer
// destroyed without Commit() removes its temporary file, so an interrupted
// upload leaves nothing behind. One writer per upload; not thread-safe.
// The Inflater below decodes compressed bodies and chunks, refusing any that
// is not complete.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/api_error.h"
#include "http/file_registry.h"

struct XXH3_state_s;

namespace plcscope::http {

struct UploadLimits {
  uint64_t max_bytes = 0;           // 413 beyond this
  uint64_t disk_reserve_bytes = 0;  // 507 when less would be left free
};

class UploadWriter {
 public:
  // `expected_size`: the announced size when known (refused at once with a
  // 413 or 507 when it cannot fit).
  static std::unique_ptr<UploadWriter> Create(const std::string& tmp_dir, UploadLimits limits,
                                              std::optional<uint64_t> expected_size, ApiError* err);
  ~UploadWriter();
  UploadWriter(const UploadWriter&) = delete;
  UploadWriter& operator=(const UploadWriter&) = delete;

  // Appends bytes; false with *err set on a limit, a full disk or an I/O error.
  bool Write(const char* data, size_t size, ApiError* err);
  uint64_t bytes() const { return bytes_; }

  // Flushes, renames into `files_dir`/<new id> and returns the record (name,
  // size, hash, path filled; the caller registers it).
  std::optional<FileRecord> Commit(const std::string& files_dir, std::string_view display_name,
                                   ApiError* err);

 private:
  UploadWriter() = default;
  bool Flush(ApiError* err);
  bool CheckDisk(uint64_t more, ApiError* err);

  std::string tmp_path_;
  int fd_ = -1;
  UploadLimits limits_;
  uint64_t bytes_ = 0;
  uint64_t next_disk_check_ = 0;
  std::string buffer_;
  XXH3_state_s* hash_ = nullptr;
  bool committed_ = false;
};

// Free bytes available to us on the file system holding `dir`.
uint64_t FreeDiskBytes(const std::string& dir);

// The Content-Encodings of an upload body that the server decodes.
enum class BodyEncoding { kIdentity, kGzip, kDeflate };

// Reads a Content-Encoding header value (case-insensitive, spaces around it
// ignored): "" and "identity" are kIdentity, "gzip" and "x-gzip" kGzip,
// "deflate" (a zlib stream, RFC 9110) kDeflate. Anything else (br, zstd,
// lists of codings) is false: the caller answers 415 naming it.
bool ParseContentEncoding(std::string_view value, BodyEncoding* out);

// Streaming decompressor that accepts a stream only when it is complete:
// gzip (one or more members, each with a valid CRC-32 and length trailer,
// and nothing else after the last) or zlib (one stream, nothing after it).
// One per stream; not thread-safe.
class Inflater {
 public:
  enum class Format { kGzip, kZlib };
  explicit Inflater(Format format = Format::kGzip);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Decompresses `in`, handing output pieces to `out`; false on corrupt data
  // (message in error()) or when `out` returns false (error() then empty).
  bool Feed(const char* in, size_t size, const std::function<bool(const char*, size_t)>& out);
  // Call when the input has ended: false, with error() naming the problem,
  // when it ended inside a stream or before any.
  bool Finish();
  // True when the input so far ends exactly at the end of a complete stream.
  bool finished() const { return finished_; }
  // A sentence fragment naming what is wrong ("the gzip data is truncated").
  const std::string& error() const { return error_; }
  uint64_t decoded_bytes() const { return decoded_; }

 private:
  const char* Name() const { return format_ == Format::kGzip ? "gzip" : "deflate"; }

  Format format_;
  void* z_;  // z_stream
  bool finished_ = false;
  uint64_t members_ = 0;
  uint64_t decoded_ = 0;
  std::string error_;
};

}  // namespace plcscope::http
