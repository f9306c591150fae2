// SessionMeta: what a store knows about how it was made — its input files,
// parser, counts, errors by reason. Serialised as JSON in the kMeta section.
// A plain value type; not thread-safe to mutate.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace plcscope::store {

// Bump when parsing rules change so stored sessions of older parsers are rebuilt.
inline constexpr int kParserVersion = 1;

struct InputFileMeta {
  std::string name;   // display name
  std::string path;   // where it was read from
  uint64_t size = 0;  // bytes on disk
  int64_t mtime_ns = 0;
  uint64_t hash = 0;     // XXH3-64 of the bytes on disk
  std::string format;    // detected or forced parser name
  uint64_t lines = 0;    // non-blank lines read
  uint64_t samples = 0;  // samples produced (before deduplication)
  uint64_t error_count = 0;
  uint64_t bytes_read = 0;  // decompressed bytes parsed
};

struct ParseErrorRecord {
  uint32_t source = 0;
  uint64_t line = 0;  // 1-based
  std::string reason;
  std::string content;  // first 512 bytes of the line
};

struct SessionMeta {
  int parser_version = kParserVersion;
  std::string parser_name;  // "plc_debug", ... or "mixed" when files differ
  std::vector<InputFileMeta> files;
  std::map<std::string, uint64_t> error_counts;  // by reason
  uint64_t error_count = 0;
  uint64_t duplicates_dropped = 0;
  double dedup_tolerance_ms = 1000;
  uint64_t row_count = 0;
  int64_t min_ts = 0;  // ns; 0 when empty
  int64_t max_ts = 0;
  double processing_time_ms = 0;
  bool input_was_sorted = true;

  // Text fields are written as valid UTF-8 (invalid bytes repaired).
  std::string ToJson() const;
  // Never throws: a field of the wrong type is a kCorrupt error.
  static base::Result<SessionMeta> FromJson(std::string_view json);
};

std::string ErrorsToJson(const std::vector<ParseErrorRecord>& errors);
base::Result<std::vector<ParseErrorRecord>> ErrorsFromJson(std::string_view json);

}  // namespace plcscope::store
