// Small helpers shared by the line parsers of this folder (private to
// src/ingest/formats). Pure inline functions over string_views, thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/time_util.h"
#include "ingest/formats/line_parser.h"

namespace plcscope::ingest::internal {

inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

inline const char* SkipBlanks(const char* p, const char* end) {
  while (p < end && IsBlank(*p)) ++p;
  return p;
}

// Trims spaces, tabs, CR and LF at both ends.
inline std::string_view TrimView(const char* b, const char* e) {
  while (b < e && (IsBlank(*b) || *b == '\r' || *b == '\n')) ++b;
  while (e > b && (IsBlank(e[-1]) || e[-1] == '\r' || e[-1] == '\n')) --e;
  return std::string_view(b, static_cast<size_t>(e - b));
}
inline std::string_view TrimView(std::string_view s) {
  return TrimView(s.data(), s.data() + s.size());
}

// True when `s` starts like a date, "DDDD-DD-DD": a failed timestamp there is
// a "bad timestamp", anywhere else the line simply does not match.
inline bool LooksLikeDate(std::string_view s) {
  if (s.size() < 10) return false;
  for (int i = 0; i < 10; ++i) {
    const bool digit = static_cast<unsigned>(s[i] - '0') <= 9;
    if (i == 4 || i == 7 ? s[i] != '-' : !digit) return false;
  }
  return true;
}

// Parses the timestamp at the start of `line`. On failure reports the error
// (bad timestamp, or `no_match`) to `sink` and returns false.
inline bool LeadingTimestamp(std::string_view line, std::string_view no_match, SampleSink& sink,
                             int64_t* ns, size_t* used) {
  if (base::ParseTimestamp(line, ns, used)) return true;
  sink.OnError(LooksLikeDate(line) ? reason::kBadTimestamp : no_match);
  return false;
}

inline const char* Find(const char* p, const char* end, char c) {
  if (p >= end) return nullptr;
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

}  // namespace plcscope::ingest::internal
