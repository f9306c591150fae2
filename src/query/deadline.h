// query::Deadline: when a query must give up — a monotonic deadline and/or a
// flag the asker sets when it goes away (http Request::client_gone). The
// long-running entry points of query::Session poll it every few thousand
// rows (Check() is a relaxed load and, with a time limit, one clock read)
// and then return the Status of Check(): a query stopped by its deadline or
// its asker is kResourceExhausted (its time is the exhausted resource; the
// engine reports nothing else with that code), see IsStopped(). A default
// Deadline never expires. A small value type, copied into each query; the flag it points to
// is shared and atomic, so polling is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/hex_clock.h"
#include "base/status.h"

namespace plcscope::query {

class Deadline {
 public:
  Deadline() = default;
  // Expires `budget_ms` after now (budget_ms <= 0: never), or when `*gone`
  // turns true (null: never).
  static Deadline After(int64_t budget_ms,
                        std::shared_ptr<const std::atomic<bool>> gone = nullptr) {
    Deadline d;
    if (budget_ms > 0) {
      d.at_ns_ = base::MonotonicNs() + budget_ms * 1'000'000;
      d.budget_ms_ = budget_ms;
    }
    d.gone_ = std::move(gone);
    return d;
  }
  // Expires at a monotonic instant (base::MonotonicNs); for tests, a past one.
  static Deadline At(int64_t monotonic_ns, int64_t budget_ms = 0) {
    Deadline d;
    d.at_ns_ = monotonic_ns;
    d.budget_ms_ = budget_ms;
    return d;
  }
  // Cancelled when `*gone` turns true; no time limit.
  static Deadline CancelledBy(std::shared_ptr<const std::atomic<bool>> gone) {
    Deadline d;
    d.gone_ = std::move(gone);
    return d;
  }

  bool unlimited() const { return at_ns_ == kNever && !gone_; }
  int64_t budget_ms() const { return budget_ms_; }

  // Ok, or kResourceExhausted: kCancelledMessage once the flag is set, else
  // "...budget of N ms" past the instant.
  base::Status Check() const {
    if (gone_ && gone_->load(std::memory_order_relaxed)) {
      return base::ResourceExhausted(kCancelledMessage);
    }
    if (at_ns_ != kNever && base::MonotonicNs() >= at_ns_) {
      return base::ResourceExhausted("the query did not finish within its budget of " +
                                     std::to_string(budget_ms_) + " ms");
    }
    return base::Status::Ok();
  }
  static constexpr const char* kCancelledMessage = "the client went away; the query was stopped";
  bool Expired() const { return !unlimited() && !Check().ok(); }

 private:
  static constexpr int64_t kNever = INT64_MAX;
  int64_t at_ns_ = kNever;
  int64_t budget_ms_ = 0;
  std::shared_ptr<const std::atomic<bool>> gone_;
};

// True for a Status of Deadline::Check(): the query was stopped, not wrong.
inline bool IsStopped(const base::Status& s) {
  return s.code() == base::StatusCode::kResourceExhausted;
}
inline bool IsCancelled(const base::Status& s) {
  return IsStopped(s) && s.message() == Deadline::kCancelledMessage;
}

// Rows (or items) between two polls of a Deadline in the engine's loops: a
// clock read per 64 Ki rows costs well under 0.1 % of a scan.
inline constexpr uint64_t kPollRows = uint64_t{1} << 16;

}  // namespace plcscope::query
