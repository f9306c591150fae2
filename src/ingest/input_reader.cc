#include "ingest/input_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace plcscope::ingest {
namespace {

class PlainReader final : public InputReader {
 public:
  PlainReader(int fd, uint64_t size, int64_t mtime_ns, std::string path)
      : InputReader(fd, size, mtime_ns, std::move(path)) {}
  base::Result<size_t> Read(char* buf, size_t cap) override { return ReadRaw(buf, cap); }
  const char* compression() const override { return "none"; }
};

}  // namespace

InputReader::InputReader(int fd, uint64_t size, int64_t mtime_ns, std::string path)
    : fd_(fd), file_size_(size), mtime_ns_(mtime_ns), path_(std::move(path)) {
  state_ = XXH3_createState();
  XXH3_64bits_reset(state_);
}

InputReader::~InputReader() {
  ::close(fd_);
  XXH3_freeState(state_);
}

base::Result<size_t> InputReader::ReadRaw(char* buf, size_t cap) {
  for (;;) {
    ssize_t n = ::pread(fd_, buf, cap, static_cast<off_t>(raw_offset_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::IoError("cannot read " + path_ + ": " + std::strerror(errno));
    }
    if (n == 0) {
      if (!hash_done_) {
        hash_ = XXH3_64bits_digest(state_);
        hash_done_ = true;
      }
      return size_t{0};
    }
    XXH3_64bits_update(state_, buf, static_cast<size_t>(n));
    raw_offset_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

base::Status InputReader::FinishRaw() {
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  for (;;) {
    auto n = ReadRaw(buf.get(), 1 << 20);
    if (!n.ok()) return n.status();
    if (*n == 0) return base::Status::Ok();
  }
}

base::Result<std::unique_ptr<InputReader>> InputReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return base::IoError("cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return base::IoError("cannot read " + path + ": not a regular file");
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const int64_t mtime =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  unsigned char magic[4] = {};
  ssize_t got = ::pread(fd, magic, sizeof magic, 0);
  if (got < 0) {
    ::close(fd);
    return base::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    return NewGzipReader(fd, size, mtime, path);
  }
  if (got == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    return NewZstdReader(fd, size, mtime, path);
  }
  return std::unique_ptr<InputReader>(new PlainReader(fd, size, mtime, path));
}

}  // namespace plcscope::ingest
