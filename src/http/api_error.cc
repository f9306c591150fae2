#include "http/api_error.h"

#include "base/json_writer.h"

namespace plcscope::http {

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  base::JsonWriter w(&r.body);
  w.BeginObject().Field("error", message).Field("code", code).EndObject();
  return r;
}

ApiError BadParameter(std::string_view name, std::string_view why) {
  return {400, "BAD_PARAMETER", "Parameter '" + std::string(name) + "' " + std::string(why)};
}

ApiError NotFoundError(std::string_view what) { return {404, "NOT_FOUND", std::string(what)}; }

ApiError FromStatus(const base::Status& s) {
  switch (s.code()) {
    case base::StatusCode::kInvalidArgument:
      return {400, "BAD_REQUEST", s.message()};
    case base::StatusCode::kNotFound:
      return {404, "NOT_FOUND", s.message()};
    case base::StatusCode::kUnsupported:
      return {400, "UNSUPPORTED", s.message()};
    case base::StatusCode::kResourceExhausted:
      return {507, "INSUFFICIENT_STORAGE", s.message()};
    default:
      return {500, "INTERNAL", s.message()};
  }
}

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace plcscope::http
