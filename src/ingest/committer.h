// ChunkCommitter: hands parsed chunks, in input order, to one
// store::SessionBuilder. Chunk-local stream and value ids are mapped to the
// builder's global ids through caches keyed by the chunk's precomputed
// hashes, so a chunk costs one lookup per distinct key and an array lookup
// per row. Tracks line numbers across chunks of a source. Not thread-safe:
// one committer per builder, used by one thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/chunk_parser.h"
#include "ingest/id_table.h"
#include "store/session_builder.h"

namespace plcscope::ingest {

class ChunkCommitter {
 public:
  explicit ChunkCommitter(store::SessionBuilder* builder) : builder_(builder) {}

  // Starts a new source file; line numbers restart at 1.
  void BeginSource(uint32_t source);
  void Commit(const ParsedChunk& chunk);

  // Totals of the current source.
  uint64_t lines() const { return physical_lines_; }
  uint64_t nonblank_lines() const { return nonblank_lines_; }
  uint64_t samples() const { return samples_; }
  uint64_t errors() const { return errors_; }

 private:
  uint32_t GlobalStream(const LocalStream& s);
  uint32_t GlobalValue(const LocalValue& v);

  store::SessionBuilder* builder_;
  uint32_t source_ = 0;
  uint64_t physical_lines_ = 0, nonblank_lines_ = 0, samples_ = 0, errors_ = 0;

  struct StreamEntry {
    std::string_view device, path, signal, category;
    uint32_t source;
    uint32_t global;
  };
  struct ValueEntry {
    std::string_view text;
    base::DeclaredType declared;
    uint32_t global;
  };
  Arena arena_;
  std::vector<StreamEntry> streams_;
  IdTable stream_index_;
  std::vector<ValueEntry> values_;
  IdTable value_index_;
  std::vector<uint32_t> stream_map_, value_map_;  // per chunk: local -> global
};

}  // namespace plcscope::ingest
