// gzip input (RFC 1952), inflated while streaming. Concatenated members
// (as `cat a.gz b.gz` makes) are read one after another, like gzip -d does.
#include <zlib.h>

#include <vector>

#include "ingest/input_reader.h"

namespace plcscope::ingest {
namespace {

class GzipReader final : public InputReader {
 public:
  GzipReader(int fd, uint64_t size, int64_t mtime_ns, std::string path)
      : InputReader(fd, size, mtime_ns, std::move(path)), in_(kInBuffer) {
    zs_ = {};
    inflateInit2(&zs_, 15 + 16);  // gzip wrapper only
  }
  ~GzipReader() override { inflateEnd(&zs_); }

  const char* compression() const override { return "gzip"; }

  base::Result<size_t> Read(char* buf, size_t cap) override {
    if (done_) return size_t{0};
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0) {
        auto n = ReadRaw(in_.data(), in_.size());
        if (!n.ok()) return n.status();
        if (*n == 0) {
          // End of file: fine between members, truncated inside one.
          if (in_member_) SetDamage("truncated compressed input");
          done_ = true;
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(*n);
      }
      if (!in_member_) {
        // Another member follows only if it starts with the gzip magic;
        // anything else after a complete member is ignored as gzip -d does.
        if (zs_.avail_in >= 1 && zs_.next_in[0] != 0x1f) {
          PLCSCOPE_RETURN_IF_ERROR(StopHere());
          break;
        }
        inflateReset(&zs_);
        in_member_ = true;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        SetDamage("corrupt compressed input");
        PLCSCOPE_RETURN_IF_ERROR(StopHere());
        break;
      }
    }
    return static_cast<size_t>(reinterpret_cast<char*>(zs_.next_out) - buf);
  }

 private:
  static constexpr size_t kInBuffer = 1 << 20;

  base::Status StopHere() {
    done_ = true;
    zs_.avail_in = 0;
    return FinishRaw();
  }

  z_stream zs_;
  std::vector<char> in_;
  bool in_member_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<InputReader> NewGzipReader(int fd, uint64_t size, int64_t mtime_ns,
                                           std::string path) {
  return std::make_unique<GzipReader>(fd, size, mtime_ns, std::move(path));
}

}  // namespace plcscope::ingest
