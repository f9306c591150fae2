// ParsedChunk / ParseChunk: parses the lines of one Chunk with a format's
// line parser into chunk-local tables: distinct streams (device, path,
// signal, category) and values (text, declaration) with their hashes, and
// compact rows that point at them. Errors carry chunk-relative 1-based line
// numbers. A ParsedChunk owns copies of its strings; it is built by one
// thread and then read by another (the committer). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/value_text.h"
#include "ingest/chunker.h"
#include "ingest/id_table.h"
#include "ingest/formats/line_parser.h"

namespace plcscope::ingest {

// Owns copied bytes; views stay valid for its lifetime.
class Arena {
 public:
  std::string_view Copy(std::string_view s);
  void Clear();

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
  size_t block_size_ = 0;
};

struct LocalStream {
  uint64_t hash;
  std::string_view device, path, signal, category;
};
struct LocalValue {
  uint64_t hash;
  std::string_view text;
  base::DeclaredType declared;
};
struct LocalRow {
  int64_t ts;
  uint32_t stream;  // index into ParsedChunk::streams
  uint32_t value;   // index into ParsedChunk::values
};
struct ChunkError {
  uint64_t line;            // 1-based, relative to the chunk
  std::string_view reason;  // static storage
  std::string content;      // first 512 bytes
};

inline constexpr size_t kErrorDetailsPerChunk = 1000;

struct ParsedChunk {
  std::vector<LocalStream> streams;
  std::vector<LocalValue> values;
  std::vector<LocalRow> rows;
  std::vector<ChunkError> errors;  // the first kErrorDetailsPerChunk
  std::vector<std::pair<std::string_view, uint64_t>> more_errors;  // counts beyond them
  uint64_t physical_lines = 0;
  uint64_t nonblank_lines = 0;
  uint64_t error_count = 0;
  uint64_t raw_end = 0;
  Arena arena;
  IdTable stream_index, value_index;

  void Clear();
};

uint64_t HashStreamKey(std::string_view device, std::string_view path, std::string_view signal,
                       std::string_view category);
uint64_t HashValueKey(std::string_view text, base::DeclaredType declared);

// Parses every line of `chunk` into `out` (cleared first). `skip_line` is a
// chunk-relative line to ignore (a header), or 0.
void ParseChunk(Format format, const Chunk& chunk, uint64_t skip_line, ParsedChunk* out);

// True for an empty or whitespace-only line.
bool IsBlankLine(std::string_view line);

}  // namespace plcscope::ingest
