// FileRegistry: the files the server knows (uploaded into the data directory,
// or given on the command line and read in place), persisted as JSON in
// <data>/files.json (written atomically with fsync on every change) so the
// list survives a restart. Loading validates every entry; a damaged file is
// set aside and the list rebuilt from <data>/files (docs/http.md, "File
// registry"). Thread-safe: every method takes the registry's mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace plcscope::http {

struct FileRecord {
  std::string id;     // 16 hex digits, made by the server
  std::string name;   // display name only; never a path
  uint64_t size = 0;  // bytes on disk
  int64_t uploaded_at_ns = 0;
  std::string path;       // where the bytes are (inside <data>/files/ unless external)
  bool external = false;  // a command-line file read in place (never deleted by us)
  uint64_t hash = 0;      // XXH3-64 of the bytes; valid when has_hash
  bool has_hash = false;
  int64_t mtime_ns = 0;  // for external files: detects a changed file
  std::string status = "uploaded";
};

class FileRegistry {
 public:
  // Loads <data_dir>/files.json if present. Entries that fail validation
  // (types, hex ids, uploads outside <data>/files, duplicates) are dropped
  // and the original kept as files.json.damaged-<date>; an unreadable or
  // unparsable file is set aside the same way. Uploads in <data>/files
  // without a record are adopted (name "<id>.log", hash computed when
  // needed). Every loss is a warning on stderr. Fails only when the folders
  // cannot be created.
  static base::Result<std::unique_ptr<FileRegistry>> Open(const std::string& data_dir);

  std::optional<FileRecord> Get(const std::string& id) const;
  // Newest first, at most `limit`.
  std::vector<FileRecord> Recent(size_t limit) const;
  std::vector<FileRecord> All() const;
  size_t size() const;

  base::Status Add(const FileRecord& r);
  base::Status Rename(const std::string& id, const std::string& name);
  base::Status SetHash(const std::string& id, uint64_t hash, int64_t mtime_ns);
  // Removes the record; returns it (the caller deletes the bytes).
  std::optional<FileRecord> Remove(const std::string& id);
  // An external file already registered under this absolute path.
  std::optional<FileRecord> FindExternal(const std::string& path) const;

  const std::string& files_dir() const { return files_dir_; }

 private:
  base::Status SaveLocked() const;
  // Open() helpers, before the registry is shared: returns the number of
  // invalid entries; sets *changed when records were dropped or updated.
  size_t LoadEntries(const nlohmann::json& j, bool* changed);
  size_t AdoptOrphans();
  void RemoveTemps();  // leftover temporary files in <data>/files

  std::string json_path_;
  std::string files_dir_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, FileRecord> files_;
};

// A fresh random id of 16 lower-case hex digits.
std::string NewId();
// True for 16 lower-case hex digits (the shape NewId() makes).
bool IsFileId(std::string_view id);
// Current wall-clock time in ns since the epoch (base::NowNs).
int64_t NowNs();
// The longest display name kept, in bytes.
constexpr size_t kMaxNameBytes = 255;
// A display name made safe to show: valid UTF-8 (invalid bytes become
// U+FFFD), control bytes dropped, at most kMaxNameBytes bytes without cutting
// a character, "upload" when nothing is left. Never used as a path.
std::string CleanDisplayName(std::string_view name);

}  // namespace plcscope::http
