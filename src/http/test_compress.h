// Test helper: gzip (or zlib) of a string in one deflate call, for the
// tests of the upload decoders. Header-only; thread-safe.
#pragma once

#include <zlib.h>

#include <string>

namespace plcscope::http::test_util {

// gzip (window 15 + 16) or, with `gzip` false, zlib (15) of `in`.
inline std::string Compress(const std::string& in, bool gzip = true) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace plcscope::http::test_util
