#include "http/upload_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include "base/hex_clock.h"
#include "base/mapped_file.h"

namespace plcscope::http {

namespace {
constexpr size_t kBufferBytes = 1 << 20;
constexpr uint64_t kDiskCheckEvery = 64ull << 20;

ApiError TooLarge(uint64_t limit) {
  return {413, "PAYLOAD_TOO_LARGE",
          "The upload is larger than the server's limit of " + std::to_string(limit) + " bytes."};
}
ApiError DiskFull() {
  return {507, "INSUFFICIENT_STORAGE",
          "There is not enough free disk space on the server to store this upload."};
}
}  // namespace

uint64_t FreeDiskBytes(const std::string& dir) {
  struct statvfs st;
  if (statvfs(dir.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

std::unique_ptr<UploadWriter> UploadWriter::Create(const std::string& tmp_dir, UploadLimits limits,
                                                   std::optional<uint64_t> expected_size,
                                                   ApiError* err) {
  std::unique_ptr<UploadWriter> w(new UploadWriter());
  w->limits_ = limits;
  if (expected_size) {
    if (*expected_size > limits.max_bytes) {
      *err = TooLarge(limits.max_bytes);
      return nullptr;
    }
    if (!w->CheckDisk(*expected_size, err)) return nullptr;
  }
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  w->tmp_path_ = tmp_dir + "/upload-" + NewId() + ".tmp";
  w->fd_ = ::open(w->tmp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (w->fd_ < 0) {
    *err = {500, "IO_ERROR",
            std::string("Cannot create a temporary upload file: ") + std::strerror(errno)};
    return nullptr;
  }
  w->buffer_.reserve(kBufferBytes);
  w->hash_ = XXH3_createState();
  XXH3_64bits_reset(w->hash_);
  w->next_disk_check_ = kDiskCheckEvery;
  return w;
}

UploadWriter::~UploadWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_path_.empty()) ::unlink(tmp_path_.c_str());
  if (hash_ != nullptr) XXH3_freeState(hash_);
}

bool UploadWriter::CheckDisk(uint64_t more, ApiError* err) {
  const std::string dir =
      tmp_path_.empty() ? std::string(".") : tmp_path_.substr(0, tmp_path_.rfind('/'));
  const uint64_t free_bytes = FreeDiskBytes(dir);
  if (free_bytes < limits_.disk_reserve_bytes || free_bytes - limits_.disk_reserve_bytes < more) {
    *err = DiskFull();
    return false;
  }
  return true;
}

bool UploadWriter::Flush(ApiError* err) {
  size_t off = 0;
  while (off < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + off, buffer_.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSPC) {
        *err = DiskFull();
      } else {
        *err = {500, "IO_ERROR", std::string("Writing the upload failed: ") + std::strerror(errno)};
      }
      return false;
    }
    off += static_cast<size_t>(n);
  }
  buffer_.clear();
  return true;
}

bool UploadWriter::Write(const char* data, size_t size, ApiError* err) {
  if (bytes_ + size > limits_.max_bytes) {
    *err = TooLarge(limits_.max_bytes);
    return false;
  }
  XXH3_64bits_update(hash_, data, size);
  bytes_ += size;
  if (bytes_ >= next_disk_check_) {
    next_disk_check_ = bytes_ + kDiskCheckEvery;
    if (!CheckDisk(kDiskCheckEvery, err)) return false;
  }
  if (buffer_.size() + size > kBufferBytes && !Flush(err)) return false;
  if (size >= kBufferBytes) {
    buffer_.assign(data, size);
    return Flush(err);
  }
  buffer_.append(data, size);
  return true;
}

std::optional<FileRecord> UploadWriter::Commit(const std::string& files_dir,
                                               std::string_view display_name, ApiError* err) {
  if (!Flush(err)) return std::nullopt;
  // Durable before it is registered: the registry never names lost bytes.
  if (::fsync(fd_) != 0) {
    *err = errno == ENOSPC
               ? DiskFull()
               : ApiError{500, "IO_ERROR",
                          std::string("Syncing the upload failed: ") + std::strerror(errno)};
    return std::nullopt;
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    *err = {500, "IO_ERROR", "Closing the uploaded file failed."};
    return std::nullopt;
  }
  fd_ = -1;
  FileRecord r;
  r.id = NewId();
  r.name = CleanDisplayName(display_name);
  r.size = bytes_;
  r.uploaded_at_ns = base::NowNs();
  r.path = files_dir + "/" + r.id + ".log";
  r.hash = XXH3_64bits_digest(hash_);
  r.has_hash = true;
  if (::rename(tmp_path_.c_str(), r.path.c_str()) != 0) {
    *err = {500, "IO_ERROR", std::string("Storing the upload failed: ") + std::strerror(errno)};
    return std::nullopt;
  }
  committed_ = true;
  base::SyncDir(files_dir);
  struct stat st;
  if (::stat(r.path.c_str(), &st) == 0) {
    r.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  }
  return r;
}

bool ParseContentEncoding(std::string_view value, BodyEncoding* out) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string v(value);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v.empty() || v == "identity") {
    *out = BodyEncoding::kIdentity;
  } else if (v == "gzip" || v == "x-gzip") {
    *out = BodyEncoding::kGzip;
  } else if (v == "deflate") {
    *out = BodyEncoding::kDeflate;
  } else {
    return false;
  }
  return true;
}

Inflater::Inflater(Format format) : format_(format) {
  auto* z = new z_stream();
  // 15 + 16: gzip wrapper only (CRC-32 and length checked); 15: zlib only.
  inflateInit2(z, format == Format::kGzip ? 15 + 16 : 15);
  z_ = z;
}

Inflater::~Inflater() {
  auto* z = static_cast<z_stream*>(z_);
  inflateEnd(z);
  delete z;
}

bool Inflater::Feed(const char* in, size_t size,
                    const std::function<bool(const char*, size_t)>& out) {
  if (!error_.empty()) return false;
  auto* z = static_cast<z_stream*>(z_);
  char buf[1 << 16];
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
  z->avail_in = static_cast<uInt>(size);
  // Output may still be pending inside zlib when the buffer filled up, even
  // with no input left: keep calling until it is drained.
  bool pending = false;
  while (z->avail_in > 0 || pending) {
    if (finished_) {
      if (format_ == Format::kZlib) {
        error_ = "there are " + std::to_string(z->avail_in) +
                 " bytes after the end of the deflate stream";
        return false;
      }
      inflateReset(z);  // another gzip member follows
      finished_ = false;
    }
    z->next_out = reinterpret_cast<Bytef*>(buf);
    z->avail_out = sizeof buf;
    const uInt in_before = z->avail_in;
    const int rc = inflate(z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      const std::string why = rc == Z_NEED_DICT   ? "it needs a preset dictionary"
                              : z->msg != nullptr ? z->msg
                                                  : "corrupt compressed data";
      if (format_ == Format::kGzip && members_ > 0 && z->total_in < 10) {
        error_ = "the bytes after gzip member " + std::to_string(members_) +
                 " are not another gzip member (" + why + ")";
      } else {
        error_ = std::string("the ") + Name() + " data is corrupt (" + why + ")";
      }
      return false;
    }
    const size_t produced = sizeof buf - z->avail_out;
    decoded_ += produced;
    if (produced > 0 && !out(buf, produced)) return false;
    pending = z->avail_out == 0;
    if (rc == Z_STREAM_END) {
      finished_ = true;
      pending = false;
      ++members_;
    }
    if (rc == Z_BUF_ERROR && produced == 0 && z->avail_in == in_before) break;
  }
  return true;
}

bool Inflater::Finish() {
  if (!error_.empty()) return false;
  if (finished_) return true;
  const auto* z = static_cast<const z_stream*>(z_);
  if (members_ == 0 && z->total_in == 0) {
    error_ = std::string("the body is empty: it holds no ") + Name() + " data";
  } else {
    error_ = std::string("the ") + Name() + " data is truncated: it ends inside " +
             (format_ == Format::kGzip ? "member " + std::to_string(members_ + 1) : "the stream") +
             ", after " + std::to_string(decoded_) + " decoded bytes";
  }
  return false;
}

}  // namespace plcscope::http
