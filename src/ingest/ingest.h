// The ingest entry point: one or more log files in, one stored session out.
// Files are read (plain, gzip or zstd, detected by magic), split at line
// boundaries into chunks parsed on all cores, and handed to a
// store::SessionBuilder. Thread-safe: independent calls may run at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/formats/line_parser.h"
#include "store/session_meta.h"

namespace plcscope::ingest {

struct InputFile {
  std::string path;  // where to read it
  std::string name;  // display name (the uploaded name); defaults to the path's base name
};

struct Progress {
  uint64_t bytes_done = 0;   // input bytes consumed so far (on disk, compressed or not)
  uint64_t bytes_total = 0;  // sum of the input files' sizes on disk
  uint64_t rows = 0;         // samples produced so far
  double percent = 0;        // 0..100; 100 only once the store is complete
};

struct IngestOptions {
  std::optional<Format> format;      // forced parser; otherwise detected per file
  double dedup_tolerance_ms = 1000;  // docs/formats.md §6
  int threads = 0;                   // 0: all cores
  // Called from the ingest thread at least every 2 % of the input.
  std::function<void(const Progress&)> on_progress;
  // When set and true, the ingest stops early with a non-ok status.
  const std::atomic<bool>* cancel = nullptr;
};

// Parses `inputs` into a store at `store_path` (written atomically). Bad lines
// are counted and recorded in the store, never fatal; only I/O failure, an
// undetectable format, a full disk or cancellation fail the call. Returns the
// store's metadata (also readable later from the store).
base::Result<store::SessionMeta> IngestToStore(const std::vector<InputFile>& inputs,
                                               const IngestOptions& options,
                                               const std::string& store_path);

}  // namespace plcscope::ingest
