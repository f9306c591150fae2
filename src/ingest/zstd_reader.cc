// zstd input, decompressed while streaming; several frames in a row are
// read one after another.
#include <zstd.h>

#include <vector>

#include "ingest/input_reader.h"

namespace plcscope::ingest {
namespace {

class ZstdReader final : public InputReader {
 public:
  ZstdReader(int fd, uint64_t size, int64_t mtime_ns, std::string path)
      : InputReader(fd, size, mtime_ns, std::move(path)),
        in_(ZSTD_DStreamInSize()),
        dctx_(ZSTD_createDCtx()) {}
  ~ZstdReader() override { ZSTD_freeDCtx(dctx_); }

  const char* compression() const override { return "zstd"; }

  base::Result<size_t> Read(char* buf, size_t cap) override {
    if (done_) return size_t{0};
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos < out.size) {
      if (input_.pos == input_.size) {
        auto n = ReadRaw(in_.data(), in_.size());
        if (!n.ok()) return n.status();
        if (*n == 0) {
          if (last_ret_ != 0) SetDamage("truncated compressed input");
          done_ = true;
          break;
        }
        input_ = {in_.data(), *n, 0};
      }
      size_t ret = ZSTD_decompressStream(dctx_, &out, &input_);
      if (ZSTD_isError(ret)) {
        SetDamage("corrupt compressed input");
        done_ = true;
        PLCSCOPE_RETURN_IF_ERROR(FinishRaw());
        break;
      }
      last_ret_ = ret;
    }
    return out.pos;
  }

 private:
  std::vector<char> in_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  size_t last_ret_ = 0;  // 0: at a frame boundary
  bool done_ = false;
};

}  // namespace

std::unique_ptr<InputReader> NewZstdReader(int fd, uint64_t size, int64_t mtime_ns,
                                           std::string path) {
  return std::make_unique<ZstdReader>(fd, size, mtime_ns, std::move(path));
}

}  // namespace plcscope::ingest
