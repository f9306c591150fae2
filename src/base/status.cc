#include "base/status.h"

namespace plcscope::base {

std::string Status::ToString() const {
  if (ok()) return "OK";
  const char* name = "error";
  switch (code_) {
    case StatusCode::kOk:
      name = "ok";
      break;
    case StatusCode::kInvalidArgument:
      name = "invalid argument";
      break;
    case StatusCode::kNotFound:
      name = "not found";
      break;
    case StatusCode::kIoError:
      name = "I/O error";
      break;
    case StatusCode::kCorrupt:
      name = "corrupt";
      break;
    case StatusCode::kUnsupported:
      name = "unsupported";
      break;
    case StatusCode::kResourceExhausted:
      name = "resource exhausted";
      break;
    case StatusCode::kInternal:
      name = "internal";
      break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace plcscope::base
