// MappedFile: a read-only memory map of a whole file. Owns the mapping and
// unmaps it on destruction. Move-only. Reading through data() is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace plcscope::base {

class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }
  // Tells the kernel a byte range will not be read again soon (drops it from RSS).
  void Release(size_t offset, size_t length) const;

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  const uint8_t* data_;
  size_t size_;
};

// Identity of a file on disk, used to recognise a file that was parsed before.
struct FileStat {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};
Result<FileStat> StatFile(const std::string& path);

// Reads a whole (small) file.
Result<std::string> ReadFileToString(const std::string& path);
// Writes `data` to path durably and atomically: a unique temporary name in
// the same folder (`<path>.tmp-<pid>-<n>`, safe with many writers at once),
// fsync of the file, rename(), fsync of the folder. Readers see the old or
// the new file, never half of one, also after a crash or power loss.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// A unique temporary name beside `path` for a file that will be renamed onto
// it: `<path>.tmp-<pid>-<n>`. IsTempName() recognises such names (and
// nothing a server writes otherwise), so a start-up sweep can remove them.
std::string TempNameFor(const std::string& path);
bool IsTempName(std::string_view file_name);

// Moves a damaged file out of the way under a dated name
// (`<path>.damaged-YYYYMMDD-HHMMSS[-n]`), so nothing is lost and a fresh
// one can be built. Returns the new name.
Result<std::string> SetAsideDamaged(const std::string& path);

// fsync() of a folder, so that a rename into it survives a crash.
Status SyncDir(const std::string& dir);

// 64-bit content hash (XXH3) of a file, read in buffered blocks.
Result<uint64_t> HashFile(const std::string& path);

}  // namespace plcscope::base
