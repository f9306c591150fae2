// McsLine: builds one mcs line (docs/formats.md §4) into a caller's buffer and
// counts the samples a parser should get from it. Internal to plcscope_gen.
// A short-lived value; not thread-safe.
//
//   2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], [Priority=5]
#pragma once

#include <cstdint>
#include <string_view>

#include "gen/text_format.h"

namespace plcscope::gen {

class McsLine {
 public:
  static constexpr size_t kMaxLength = 512;
  // REQUIRES: buf has kMaxLength bytes; the line's parts fit in it.
  explicit McsLine(char* buf) : start_(buf), p_(buf) {}

  // "TS [ACTION=ID1, ID2]" or, when id2 is empty, "TS [ACTION=ID1]".
  void Head(TimestampWriter& ts, int64_t us, std::string_view action, std::string_view id1,
            std::string_view id2) {
    p_ = ts.Write(p_, us);
    p_ = WriteText(p_, " [");
    p_ = WriteText(p_, action);
    *p_++ = '=';
    p_ = WriteText(p_, id1);
    if (!id2.empty()) {
      p_ = WriteText(p_, ", ");
      p_ = WriteText(p_, id2);
    }
    *p_++ = ']';
    samples_ = id2.empty() ? 1 : 2;  // _Action, _CommandID
  }
  // " [Key=Value]" for the first group, ", [Key=Value]" after.
  void Group(std::string_view key, std::string_view value) {
    p_ = WriteText(p_, groups_ == 0 ? " [" : ", [");
    p_ = WriteText(p_, key);
    *p_++ = '=';
    p_ = WriteText(p_, value);
    *p_++ = ']';
    ++groups_;
    if (!value.empty() && value != "None") ++samples_;
  }
  void Group(std::string_view key, int64_t value) {
    char num[24];
    Group(key, std::string_view(num, static_cast<size_t>(WriteInt(num, value) - num)));
  }
  // Ends the line with '\n'; returns its length.
  size_t Finish() {
    *p_++ = '\n';
    return static_cast<size_t>(p_ - start_);
  }
  uint64_t samples() const { return samples_; }

 private:
  char* start_;
  char* p_;
  int groups_ = 0;
  uint64_t samples_ = 0;
};

// "CMD0000017" / "CAR-00017" into buf; returns the view.
inline std::string_view CommandId(char* buf, uint64_t n) {
  char* p = WriteText(buf, "CMD");
  return {buf, static_cast<size_t>(WritePadded(p, n % 10000000, 7) - buf)};
}
inline std::string_view CarrierId(char* buf, uint64_t n) {
  char* p = WriteText(buf, "CAR-");
  return {buf, static_cast<size_t>(WritePadded(p, n % 100000, 5) - buf)};
}

}  // namespace plcscope::gen
