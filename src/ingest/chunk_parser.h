// ParseChunk: parses the lines of one Chunk with a format's line parser into
// compact rows whose stream (device, path, signal, category) and value
// (text, declaration) ids are local to a ParseContext. A context lives for
// one input file and is used by one task at a time; it remembers every key
// it has seen, so a chunk reports only the keys that are new to its
// context (usually none after the first chunks). Errors carry
// chunk-relative 1-based line numbers. A ParsedChunk is built by one thread
// and then read by another (the committer); neither type is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "base/value_text.h"
#include "ingest/chunker.h"
#include "ingest/formats/line_parser.h"
#include "ingest/id_table.h"

namespace plcscope::ingest {

using base::Arena;

// A key new to its context; views point into the context's arena.
struct LocalStream {
  Hash128 hash;
  std::string_view device, path, signal, category;
};
struct LocalValue {
  Hash128 hash;
  std::string_view text;
  base::DeclaredType declared;
};
struct LocalRow {
  int64_t ts;
  uint32_t stream;  // context-local stream id
  uint32_t value;   // context-local value id
};

// Keys seen by one parsing context. Its arena's bytes never move, so the
// views in ParsedChunk::new_* stay valid while the context lives.
struct ParseContext {
  KeyTable streams, values;
  uint32_t stream_count = 0, value_count = 0;
  Arena arena;
};
struct ChunkError {
  uint64_t line;            // 1-based, relative to the chunk
  std::string_view reason;  // static storage
  std::string content;      // first 512 bytes
};

inline constexpr size_t kErrorDetailsPerChunk = 1000;

struct ParsedChunk {
  uint32_t context = 0;  // index of the ParseContext used
  // Keys this chunk added to its context, in id order, starting at the ids below.
  std::vector<LocalStream> new_streams;
  std::vector<LocalValue> new_values;
  uint32_t first_new_stream = 0, first_new_value = 0;
  std::vector<LocalRow> rows;
  std::vector<ChunkError> errors;  // the first kErrorDetailsPerChunk
  std::vector<std::pair<std::string_view, uint64_t>> more_errors;  // counts beyond them
  uint64_t physical_lines = 0;
  uint64_t nonblank_lines = 0;
  uint64_t error_count = 0;
  uint64_t raw_end = 0;

  void Clear();
};

Hash128 HashStreamKey(std::string_view device, std::string_view path, std::string_view signal,
                      std::string_view category);
Hash128 HashValueKey(std::string_view text, base::DeclaredType declared);

// Parses every line of `chunk` into `out` (cleared first), interning keys in
// `context` (whose index is `context_index`). `skip_line` is a
// chunk-relative line to ignore (a header), or 0.
void ParseChunk(Format format, const Chunk& chunk, uint64_t skip_line, ParseContext* context,
                uint32_t context_index, ParsedChunk* out);

// True for an empty or whitespace-only line.
bool IsBlankLine(std::string_view line);

}  // namespace plcscope::ingest
