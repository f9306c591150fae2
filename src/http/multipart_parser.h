// MultipartParser: streaming multipart/form-data. Feeds each part's name and
// filename to `on_part` and its bytes to `receiver`, across arbitrary piece
// boundaries, holding at most one delimiter (or one part header, up to
// kMaxPartHeaderBytes) in memory. One per request body; not thread-safe.
// The callbacks must outlive the parser.
#pragma once

#include <cstddef>
#include <string>

#include "http/request.h"

namespace plcscope::http {

inline constexpr size_t kMaxPartHeaderBytes = 16 << 10;

class MultipartParser {
 public:
  MultipartParser(const std::string& boundary, const PartHeader& on_part,
                  const BodyReceiver& receiver)
      : delim_("\r\n--" + boundary), on_part_(on_part), receiver_(receiver), buf_("\r\n") {}

  // False when the body is malformed or a callback stopped.
  bool Feed(const char* d, size_t n);
  bool Complete() const { return state_ == State::kEnd; }

 private:
  enum class State { kPreamble, kAfterDelim, kHeaders, kData, kEnd };
  void Keep(size_t n) {
    if (buf_.size() >= n) buf_.erase(0, buf_.size() - (n - 1));
  }
  const std::string delim_;
  const PartHeader& on_part_;
  const BodyReceiver& receiver_;
  std::string buf_;
  State state_ = State::kPreamble;
};

}  // namespace plcscope::http
