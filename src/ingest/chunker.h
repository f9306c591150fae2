// Chunker: cuts the content of an InputReader into chunks of whole lines
// (a few MB each) for parallel parsing. Strips a UTF-8 BOM at the start.
// A line longer than the buffer can hold (over kMaxLineBytes without a line
// end) is not buffered: its first 512 bytes travel with the next chunk as
// `overlong_prefix` and the rest is skipped. Not thread-safe; chunks are
// owned by the caller and may be handed to other threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/input_reader.h"

namespace plcscope::ingest {

inline constexpr size_t kMaxLineBytes = 1 << 20;  // docs/formats.md §1: longer lines are errors
inline constexpr size_t kErrorContentBytes = 512;

struct Chunk {
  // Buffer, reused between chunks; `size` bytes are valid. Holds whole
  // lines; only the last chunk of an input may end without '\n'.
  std::unique_ptr<char[]> buf;
  size_t capacity = 0;
  size_t size = 0;
  // When set, one overlong physical line precedes `data()`; these are its
  // first 512 bytes.
  bool has_overlong_prefix = false;
  std::string overlong_prefix;
  uint64_t raw_end = 0;  // input bytes consumed from disk when it was cut
  uint64_t index = 0;    // 0-based position in the input

  std::string_view data() const { return {buf.get(), size}; }
};

class Chunker {
 public:
  // REQUIRES: chunk_bytes > kMaxLineBytes.
  Chunker(InputReader* reader, size_t chunk_bytes);

  // Fills `chunk` with the next lines. Returns false (and leaves chunk
  // empty) at the end of input.
  base::Result<bool> Next(Chunk* chunk);

  // Content bytes (after decompression) read so far.
  uint64_t content_bytes() const { return content_bytes_; }

 private:
  base::Status Fill(Chunk* chunk);
  // Discards input up to the end of the overlong line being skipped.
  base::Status SkipOverlong(Chunk* chunk);

  InputReader* reader_;
  size_t chunk_bytes_;
  std::string carry_;  // a partial line (< kMaxLineBytes) cut off the last chunk
  bool skipping_ = false;
  std::string skip_head_;  // first 512 bytes of the overlong line being skipped
  bool eof_ = false;
  bool started_ = false;
  uint64_t next_index_ = 0;
  uint64_t content_bytes_ = 0;
};

}  // namespace plcscope::ingest
