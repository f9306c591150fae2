// Small helpers shared by the line parsers of this folder (private to
// src/ingest/formats). Pure inline functions over string_views, thread-safe.
#pragma once

#include <cstddef>
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

// base::ParseTimestamp with a per-thread memo: consecutive lines of a log
// mostly share their "YYYY-MM-DD HH:MM:SS", so when the first 19 bytes equal
// the last ones parsed on this thread, only the fraction is read here. Any
// text the fast path is not sure of goes to base::ParseTimestamp, so the
// result is always exactly base::ParseTimestamp's.
inline bool CachedParseTimestamp(std::string_view s, int64_t* ns, size_t* used) {
  struct Memo {
    char key[19];
    int64_t whole_ns;
    bool valid;
  };
  thread_local Memo memo = {};
  constexpr size_t kKey = 19;
  if (memo.valid && s.size() >= kKey && std::memcmp(s.data(), memo.key, kKey) == 0) {
    // "2025-09-22 13:00:00" matched; now [".fraction"] ["Z"].
    size_t i = kKey;
    int64_t frac = 0;
    if (i < s.size() && s[i] == '.') {
      ++i;
      int digits = 0;
      while (i < s.size() && static_cast<unsigned>(s[i] - '0') <= 9 && digits < 10) {
        frac = frac * 10 + (s[i] - '0');
        ++digits;
        ++i;
      }
      if (digits == 0 || digits > 9) return base::ParseTimestamp(s, ns, used);
      static constexpr int64_t kScale[] = {1,     100000000, 10000000, 1000000, 100000,
                                           10000, 1000,      100,      10,      1};
      frac *= kScale[digits];
    }
    if (i < s.size() && s[i] == 'Z') ++i;
    *ns = memo.whole_ns + frac;
    *used = i;
    return true;
  }
  if (!base::ParseTimestamp(s, ns, used)) return false;
  // Remember only the plain one-separator form, whose time ends at byte 19.
  if (*used >= kKey && s[11] != ' ' && (*used == kKey || s[kKey] == '.' || s[kKey] == 'Z')) {
    int64_t whole_ns;
    size_t whole_used;
    if (base::ParseTimestamp(s.substr(0, kKey), &whole_ns, &whole_used)) {
      std::memcpy(memo.key, s.data(), kKey);
      memo.whole_ns = whole_ns;
      memo.valid = true;
    }
  }
  return true;
}

// Parses the timestamp at the start of `line`. On failure reports the error
// (bad timestamp, or `no_match`) to `sink` and returns false.
inline bool LeadingTimestamp(std::string_view line, std::string_view no_match, SampleSink& sink,
                             int64_t* ns, size_t* used) {
  if (CachedParseTimestamp(line, ns, used)) return true;
  sink.OnError(LooksLikeDate(line) ? reason::kBadTimestamp : no_match);
  return false;
}

inline const char* Find(const char* p, const char* end, char c) {
  if (p >= end) return nullptr;
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

// Finds `c` in [p, end) for text that is usually short ("Debug]",
// "Boolean)", a csv field): a plain loop beats a memchr call there.
inline const char* FindNear(const char* p, const char* end, char c) {
  const std::ptrdiff_t n = end - p < 16 ? end - p : 16;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (p[i] == c) return p + i;
  }
  return Find(p + (n > 0 ? n : 0), end, c);
}

}  // namespace plcscope::ingest::internal
