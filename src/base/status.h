// Status and Result<T>: the error currency of plcscope. Value types, no
// ownership beyond their members, safe to copy between threads.
//
// Hot paths never throw; a function that can fail for reasons the caller
// should handle returns Status or Result<T> (shaped like std::expected).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace plcscope::base {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input from a user or a file.
  kNotFound,
  kIoError,
  kCorrupt,            // a stored file that does not follow its format.
  kUnsupported,        // e.g. no format detected.
  kResourceExhausted,  // out of disk, over a limit.
  kInternal,
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T> holds either a T or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace plcscope::base

#define PLCSCOPE_RETURN_IF_ERROR(expr)     \
  do {                                     \
    ::plcscope::base::Status _st = (expr); \
    if (!_st.ok()) return _st;             \
  } while (0)
