// ChunkCommitter: hands parsed chunks, in input order, to one
// store::SessionBuilder. Each chunk brings only the keys new to its parse
// context; the committer maps those once to the builder's global ids (by
// their 128-bit hashes), and the rows then cost an array lookup each.
// Tracks line numbers across the chunks of a source. Not thread-safe: one
// committer per builder, used by one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "ingest/chunk_parser.h"
#include "ingest/id_table.h"
#include "store/session_builder.h"

namespace plcscope::ingest {

class ChunkCommitter {
 public:
  explicit ChunkCommitter(store::SessionBuilder* builder) : builder_(builder) {}

  // Starts a new source file parsed with `contexts` fresh parse contexts;
  // line numbers restart at 1.
  void BeginSource(uint32_t source, size_t contexts);
  // REQUIRES: chunks of the source in input order.
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

  // Global ids by key hash (streams: mixed with the source) across contexts.
  KeyTable streams_, values_;
  std::vector<uint32_t> stream_global_, value_global_;
  struct ContextMaps {
    std::vector<uint32_t> streams, values;  // context-local id -> global id
  };
  std::vector<ContextMaps> contexts_;
};

}  // namespace plcscope::ingest
