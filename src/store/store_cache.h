// StoreCache: the one keeper of stored sessions on disk, used by
// `plcscope parse` / `info` and by the server (docs/http.md "Data
// directory"). It owns
//   - the key of a parse result (StoreKey: the inputs' content hashes and
//     sizes, the forced format, the parser and store format versions and the
//     dedup window — one definition),
//   - the file name `<data>/stores/<key>.store`,
//   - open-or-rebuild: a store that fails to open or to prove itself
//     (Store::Open) is removed with a warning on stderr and rebuilt by the
//     caller's ingest callback, never served,
//   - the disk budget (least recently used first, temporary files counted,
//     stores in use never evicted), and the start-up sweep of temporary files
//     a crashed writer left (base::IsTempName),
//   - the per-file summary (WriteFileSummary), one set of keys everywhere.
// The store layer does not know ingest: the caller passes the ingest step in.
//
// Thread safety: every method may be called from many threads at once; two
// builds of one key race harmlessly (each writes its own temporary file and
// renames it into place). Init() must run before writers start.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/session_meta.h"
#include "store/store.h"

namespace plcscope::store {

// What identifies the content of one input file.
struct KeyInput {
  uint64_t hash = 0;  // XXH3-64 of the bytes on disk (base::HashFile)
  uint64_t size = 0;
};

// What identifies a parse result besides its inputs.
struct KeySettings {
  std::string format;      // forced parser name, "" = detect
  double dedup_ms = 1000;  // docs/formats.md §6 tolerance
};

// 16 hex digits: XXH3-64 over (hash, size) of each input in order, the
// format, kParserVersion, kFormatVersion and the dedup window.
std::string StoreKey(std::span<const KeyInput> inputs, const KeySettings& settings);

// `$XDG_DATA_HOME/plcscope`, else `$HOME/.local/share/plcscope`, else
// `plcscope-data` (no home).
std::string DefaultDataDir();

class StoreCache {
 public:
  // Stores live in `<data_dir>/stores`.
  explicit StoreCache(std::string data_dir,
                      uint64_t budget_bytes = std::numeric_limits<uint64_t>::max());

  // Creates the folder and removes temporary files left by a crashed writer
  // (the pid in the name is not alive; a running `plcscope parse` on the same
  // folder keeps its file). `swept` (optional) receives how many were removed.
  base::Status Init(size_t* swept = nullptr);

  const std::string& stores_dir() const { return stores_dir_; }
  std::string PathFor(const std::string& key) const;

  // Writes a store at exactly the given path (atomically); the caller's
  // ingest step.
  using Ingest = std::function<base::Status(const std::string& store_path)>;
  struct Opened {
    std::shared_ptr<const Store> store;
    bool built = false;  // made by `ingest` now, not reopened
  };
  // Opens the store of `key`. When it is absent or damaged (removed, with a
  // warning) and `ingest` is set, builds it and opens the result; without
  // `ingest`, kNotFound. `force`: build even when a good store exists.
  // Opening marks the store used (its mtime; the budget's LRU order).
  base::Result<Opened> OpenOrBuild(const std::string& key, const Ingest& ingest,
                                   bool force = false) const;

  // Removes the store of `key`.
  void Remove(const std::string& key) const;

  // Stores (`*.store`) and temporary files in the folder, in bytes.
  uint64_t DiskBytes() const;
  // Evicts least recently used stores until DiskBytes() fits the budget.
  // Stores whose key is in `in_use` and temporary files (a writer may be
  // running) are never removed but count. Returns the bytes removed.
  uint64_t EnforceBudget(const std::vector<std::string>& in_use) const;

 private:
  const std::string stores_dir_;
  const uint64_t budget_bytes_;
};

// The summary of one input file, with the same keys wherever it is shown
// (`plcscope parse --json`, `info --json`, GET /api/parse/{id}/status):
// name, format, size, lines, samples, errorCount, bytesRead. `W` has
// `W& Field(std::string_view key, T value)` for strings and integers.
template <typename W>
void WriteFileSummary(const InputFileMeta& f, W& w) {
  w.Field("name", f.name);
  w.Field("format", f.format);
  w.Field("size", f.size);
  w.Field("lines", f.lines);
  w.Field("samples", f.samples);
  w.Field("errorCount", f.error_count);
  w.Field("bytesRead", f.bytes_read);
}

}  // namespace plcscope::store
