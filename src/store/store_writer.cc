#include "store/store_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>

#include "base/mapped_file.h"

namespace plcscope::store {
namespace {
constexpr size_t kBufferSize = 4 << 20;

base::Status WriteError(const std::string& path) {
  if (errno == ENOSPC || errno == EDQUOT) {
    return base::ResourceExhausted("disk full while writing " + path);
  }
  return base::IoError("cannot write " + path + ": " + std::strerror(errno));
}
}  // namespace

base::Result<uint64_t> StoreWriter::HashRange(uint64_t offset, uint64_t length) {
  std::vector<char> buf(std::min<uint64_t>(length, kBufferSize));
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  while (length > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(length, buf.size()));
    ssize_t n = ::pread(fd_, buf.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      XXH3_freeState(st);
      return base::IoError("cannot read back " + tmp_path_ + ": " +
                           (n < 0 ? std::strerror(errno) : "short file"));
    }
    XXH3_64bits_update(st, buf.data(), static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h;
}

base::Result<std::unique_ptr<StoreWriter>> StoreWriter::Create(const std::string& path) {
  std::string tmp = base::TempNameFor(path);
  int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return base::IoError("cannot create " + tmp + ": " + std::strerror(errno));
  auto w = std::unique_ptr<StoreWriter>(new StoreWriter(fd, path, tmp));
  FileHeader h{};  // rewritten by Finish()
  PLCSCOPE_RETURN_IF_ERROR(w->WriteRaw(&h, sizeof h));
  return w;
}

StoreWriter::StoreWriter(int fd, std::string path, std::string tmp)
    : fd_(fd), path_(std::move(path)), tmp_path_(std::move(tmp)) {
  buffer_.reserve(kBufferSize);
}

StoreWriter::~StoreWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!finished_) ::unlink(tmp_path_.c_str());
}

base::Status StoreWriter::Flush() {
  size_t off = 0;
  while (off < buffer_.size()) {
    ssize_t n = ::pwrite(fd_, buffer_.data() + off, buffer_.size() - off,
                         static_cast<off_t>(buffer_start_ + off));
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError(path_);
    }
    off += static_cast<size_t>(n);
  }
  buffer_start_ += buffer_.size();
  buffer_.clear();
  return base::Status::Ok();
}

base::Status StoreWriter::WriteRaw(const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    size_t room = kBufferSize - buffer_.size();
    size_t n = std::min(room, bytes);
    buffer_.insert(buffer_.end(), p, p + n);
    p += n;
    bytes -= n;
    end_ += n;
    if (buffer_.size() == kBufferSize) PLCSCOPE_RETURN_IF_ERROR(Flush());
  }
  return base::Status::Ok();
}

base::Status StoreWriter::Pad() {
  static const char zeros[64] = {};
  size_t pad = (64 - end_ % 64) % 64;
  return WriteRaw(zeros, pad);
}

base::Status StoreWriter::AddSection(SectionId id, const void* data, size_t bytes) {
  PLCSCOPE_RETURN_IF_ERROR(BeginSection(id));
  PLCSCOPE_RETURN_IF_ERROR(Append(data, bytes));
  return EndSection();
}

base::Status StoreWriter::BeginSection(SectionId id) {
  if (in_section_) return base::Internal("BeginSection inside a section");
  PLCSCOPE_RETURN_IF_ERROR(Pad());
  sections_.push_back({static_cast<uint32_t>(id), 0, end_, 0, 0});
  in_section_ = true;
  return base::Status::Ok();
}

base::Status StoreWriter::Append(const void* data, size_t bytes) {
  if (!in_section_) return base::Internal("Append outside a section");
  sections_.back().length += bytes;
  return WriteRaw(data, bytes);
}

base::Status StoreWriter::EndSection() {
  if (!in_section_) return base::Internal("EndSection outside a section");
  in_section_ = false;
  return base::Status::Ok();
}

base::Result<uint64_t> StoreWriter::ReserveSection(SectionId id, uint64_t bytes) {
  if (in_section_) return base::Internal("ReserveSection inside a section");
  PLCSCOPE_RETURN_IF_ERROR(Pad());
  PLCSCOPE_RETURN_IF_ERROR(Flush());
  uint64_t start = end_;
  if (::ftruncate(fd_, static_cast<off_t>(start + bytes)) != 0) return WriteError(path_);
  sections_.push_back({static_cast<uint32_t>(id), 0, start, bytes, 0});
  end_ += bytes;
  buffer_start_ = end_;
  return start;
}

base::Status StoreWriter::WriteAt(uint64_t file_offset, const void* data, size_t bytes) {
  if (file_offset + bytes > buffer_start_) return base::Internal("WriteAt past reserved space");
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    ssize_t n = ::pwrite(fd_, p, bytes, static_cast<off_t>(file_offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError(path_);
    }
    p += n;
    bytes -= static_cast<size_t>(n);
    file_offset += static_cast<uint64_t>(n);
  }
  return base::Status::Ok();
}

base::Status StoreWriter::Finish(uint64_t row_count) {
  if (in_section_) return base::Internal("Finish inside a section");
  PLCSCOPE_RETURN_IF_ERROR(Pad());
  // Sections are complete on disk (streamed or written in place): read each
  // back once to checksum it (page cache; ~1 % of the parse time).
  PLCSCOPE_RETURN_IF_ERROR(Flush());
  for (SectionEntry& e : sections_) {
    auto h = HashRange(e.offset, e.length);
    if (!h.ok()) return h.status();
    e.checksum = *h;
  }
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof h.magic);
  h.version = kFormatVersion;
  h.section_count = static_cast<uint32_t>(sections_.size());
  h.section_table_offset = end_;
  h.row_count = row_count;
  const size_t table_bytes = sections_.size() * sizeof(SectionEntry);
  h.table_checksum = XXH3_64bits(sections_.data(), table_bytes);
  h.header_checksum = XXH3_64bits(&h, sizeof h);  // computed with the field still 0
  PLCSCOPE_RETURN_IF_ERROR(WriteRaw(sections_.data(), table_bytes));
  PLCSCOPE_RETURN_IF_ERROR(Flush());
  PLCSCOPE_RETURN_IF_ERROR(WriteAt(0, &h, sizeof h));
  if (::fdatasync(fd_) != 0) return WriteError(path_);
  ::close(fd_);
  fd_ = -1;
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    return base::IoError("cannot rename " + tmp_path_ + ": " + std::strerror(errno));
  }
  finished_ = true;
  return base::Status::Ok();
}

}  // namespace plcscope::store
