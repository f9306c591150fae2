// ApiError: a failed request as the API reports it, and the helpers that turn
// it into a Response `{"error": "<sentence>", "code": "<UPPER_SNAKE>"}`.
// Plain value types, thread-safe to copy.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "http/request.h"

namespace plcscope::http {

struct ApiError {
  int status = 400;
  std::string code;     // "BAD_PARAMETER", "NOT_FOUND", ...
  std::string message;  // a sentence for a human
};

Response ErrorResponse(int status, std::string_view code, std::string_view message);
inline Response ErrorResponse(const ApiError& e) {
  return ErrorResponse(e.status, e.code, e.message);
}

// 400 BAD_PARAMETER naming the parameter.
ApiError BadParameter(std::string_view name, std::string_view why);
ApiError NotFoundError(std::string_view what);

// Maps a base::Status to an API error (kInvalidArgument -> 400, kNotFound ->
// 404, kResourceExhausted -> 507, others 500).
ApiError FromStatus(const base::Status& s);

// A JSON response with the given status.
Response JsonResponse(int status, std::string body);

}  // namespace plcscope::http
