// StoreWriter: writes a store file section by section (format.h). The file is
// written under base::TempNameFor(path) ("<path>.tmp-<pid>-<n>") and renamed
// to <path> by Finish(), which also writes every section's checksum and the
// header's, so a crash never leaves a store that opens as valid. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/format.h"

namespace plcscope::store {

class StoreWriter {
 public:
  static base::Result<std::unique_ptr<StoreWriter>> Create(const std::string& path);
  ~StoreWriter();  // Aborts (removes the temporary file) unless Finish() succeeded.

  // Appends a whole section.
  base::Status AddSection(SectionId id, const void* data, size_t bytes);
  template <typename T>
  base::Status AddSection(SectionId id, const std::vector<T>& v) {
    return AddSection(id, v.data(), v.size() * sizeof(T));
  }

  // Streams a section in pieces: Begin, Append..., End.
  base::Status BeginSection(SectionId id);
  base::Status Append(const void* data, size_t bytes);
  base::Status EndSection();

  // Reserves a zero-filled section of `bytes` to be filled with WriteAt().
  base::Result<uint64_t> ReserveSection(SectionId id, uint64_t bytes);
  base::Status WriteAt(uint64_t file_offset, const void* data, size_t bytes);

  // Writes the section table and header, syncs, renames into place.
  base::Status Finish(uint64_t row_count);
  uint64_t bytes_written() const { return end_; }

 private:
  StoreWriter(int fd, std::string path, std::string tmp);
  base::Status WriteRaw(const void* data, size_t bytes);
  base::Status Flush();
  base::Status Pad();
  // XXH3-64 of bytes already written to the file.
  base::Result<uint64_t> HashRange(uint64_t offset, uint64_t length);

  int fd_;
  std::string path_;
  std::string tmp_path_;
  uint64_t end_ = 0;  // logical end of file (including buffered bytes)
  std::vector<char> buffer_;
  uint64_t buffer_start_ = 0;
  std::vector<SectionEntry> sections_;
  bool in_section_ = false;
  bool finished_ = false;
};

}  // namespace plcscope::store
