// InputReader: streams the bytes of one input file, decompressing gzip
// (magic 1f 8b, concatenated members allowed) and zstd (magic 28 b5 2f fd,
// several frames allowed) on the fly; anything else is read as is. Reads use
// pread into the caller's buffer, so the file never counts as resident
// memory. The XXH3-64 hash of the bytes on disk is computed while reading.
//
// A compressed stream that ends early or is damaged is not fatal: Read()
// returns what was decompressed, then end of input, and `damage()` names
// the problem ("truncated compressed input" / "corrupt compressed input").
// Owned by one thread at a time; not thread-safe.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace plcscope::ingest {

class InputReader {
 public:
  static base::Result<std::unique_ptr<InputReader>> Open(const std::string& path);
  virtual ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  // Reads up to `cap` bytes of content into buf; 0 means the end.
  virtual base::Result<size_t> Read(char* buf, size_t cap) = 0;

  // "none", "gzip" or "zstd".
  virtual const char* compression() const = 0;
  // Empty, or why the compressed stream stopped before its end.
  std::string_view damage() const { return damage_; }

  uint64_t file_size() const { return file_size_; }
  int64_t mtime_ns() const { return mtime_ns_; }
  // Bytes consumed from disk so far.
  uint64_t raw_bytes() const { return raw_offset_; }
  // XXH3-64 of the bytes on disk; complete once Read() returned 0 (the rest
  // of the file is hashed then even when the stream stopped early).
  uint64_t hash() const { return hash_; }

 protected:
  InputReader(int fd, uint64_t size, int64_t mtime_ns, std::string path);
  // Reads raw bytes from disk (hashing them); 0 at end of file.
  base::Result<size_t> ReadRaw(char* buf, size_t cap);
  // Hashes and skips the unread rest of the file and fixes hash().
  base::Status FinishRaw();
  void SetDamage(std::string_view why) {
    if (damage_.empty()) damage_ = std::string(why);
  }

 private:
  int fd_;
  uint64_t file_size_;
  int64_t mtime_ns_;
  std::string path_;
  uint64_t raw_offset_ = 0;
  XXH3_state_t* state_;
  uint64_t hash_ = 0;
  bool hash_done_ = false;
  std::string damage_;
};

// Decompressing readers (gzip_reader.cc, zstd_reader.cc); they read the
// file from offset 0 and take ownership of fd.
std::unique_ptr<InputReader> NewGzipReader(int fd, uint64_t size, int64_t mtime_ns,
                                           std::string path);
std::unique_ptr<InputReader> NewZstdReader(int fd, uint64_t size, int64_t mtime_ns,
                                           std::string path);

}  // namespace plcscope::ingest
