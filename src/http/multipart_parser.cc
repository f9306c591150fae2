#include "http/multipart_parser.h"

#include <string_view>

#include "http/header_values.h"

namespace plcscope::http {

bool MultipartParser::Feed(const char* d, size_t n) {
  buf_.append(d, n);
  while (true) {
    switch (state_) {
      case State::kPreamble: {
        const size_t pos = buf_.find(delim_);
        if (pos == std::string::npos) {
          Keep(delim_.size());
          return true;
        }
        buf_.erase(0, pos + delim_.size());
        state_ = State::kAfterDelim;
        break;
      }
      case State::kAfterDelim:
        if (buf_.size() < 2) return true;
        if (buf_.compare(0, 2, "--") == 0) {
          state_ = State::kEnd;
          buf_.clear();
          return true;
        }
        if (buf_.compare(0, 2, "\r\n") != 0) return false;
        buf_.erase(0, 2);
        state_ = State::kHeaders;
        break;
      case State::kHeaders: {
        const size_t pos = buf_.find("\r\n\r\n");
        if (pos == std::string::npos) return buf_.size() <= kMaxPartHeaderBytes;
        std::string name, filename;
        std::string_view head(buf_.data(), pos);
        size_t i = 0;
        while (i < head.size()) {
          size_t end = head.find("\r\n", i);
          if (end == std::string_view::npos) end = head.size();
          std::string_view line = head.substr(i, end - i);
          const size_t colon = line.find(':');
          if (colon != std::string_view::npos &&
              Lower(line.substr(0, colon)) == "content-disposition") {
            name = HeaderParam(line.substr(colon + 1), "name");
            filename = HeaderParam(line.substr(colon + 1), "filename");
          }
          i = end + 2;
        }
        buf_.erase(0, pos + 4);
        if (!on_part_(name, filename)) return false;
        state_ = State::kData;
        break;
      }
      case State::kData: {
        const size_t pos = buf_.find(delim_);
        if (pos == std::string::npos) {
          if (buf_.size() >= delim_.size()) {
            const size_t emit = buf_.size() - (delim_.size() - 1);
            if (!receiver_(buf_.data(), emit)) return false;
            buf_.erase(0, emit);
          }
          return true;
        }
        if (pos > 0 && !receiver_(buf_.data(), pos)) return false;
        buf_.erase(0, pos + delim_.size());
        state_ = State::kAfterDelim;
        break;
      }
      case State::kEnd:
        buf_.clear();
        return true;
    }
  }
}

}  // namespace plcscope::http
