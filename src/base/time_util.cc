#include "base/time_util.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace plcscope::base {
namespace {

inline bool Digits(const char* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  *out = v;
  return true;
}

inline bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// Example input: "2025-09-22 13:00:00.199 [Debug] ..." or "2025-09-22T13:00:00Z".
bool ParseTimestamp(std::string_view s, int64_t* ns, size_t* consumed) {
  if (s.size() < 19) return false;
  const char* p = s.data();
  int year, mon, day, hh, mm, ss;
  if (!Digits(p, 4, &year) || p[4] != '-' || !Digits(p + 5, 2, &mon) || p[7] != '-' ||
      !Digits(p + 8, 2, &day)) {
    return false;
  }
  size_t i = 10;
  if (s[i] == 'T') {
    ++i;
  } else if (s[i] == ' ') {
    while (i < s.size() && s[i] == ' ') ++i;
  } else {
    return false;
  }
  if (s.size() < i + 8) return false;
  if (!Digits(p + i, 2, &hh) || p[i + 2] != ':' || !Digits(p + i + 3, 2, &mm) || p[i + 5] != ':' ||
      !Digits(p + i + 6, 2, &ss)) {
    return false;
  }
  i += 8;
  if (mon < 1 || mon > 12 || day < 1 || static_cast<unsigned>(day) > DaysInMonth(year, mon) ||
      hh > 23 || mm > 59 || ss > 59) {
    return false;
  }
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && static_cast<unsigned>(s[i] - '0') <= 9) {
      if (n >= 9) return false;
      frac = frac * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return false;
    for (int k = n; k < 9; ++k) frac *= 10;
  }
  if (i < s.size() && s[i] == 'Z') ++i;
  // int64 nanoseconds cover 1678..2261; outside that the line is an error.
  if (year < 1678 || year > 2261) return false;
  const int64_t days = DaysFromCivil(year, mon, day);
  const int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss;
  *ns = secs * kNanosPerSecond + frac;
  *consumed = i;
  return true;
}

bool IsTimestamp(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  int64_t ns;
  size_t used;
  return ParseTimestamp(text, &ns, &used) && used == text.size();
}

namespace {
void Split(int64_t ns, int64_t* days, int64_t* sod, int64_t* sub) {
  int64_t secs = ns / kNanosPerSecond;
  int64_t rem = ns % kNanosPerSecond;
  if (rem < 0) {
    rem += kNanosPerSecond;
    --secs;
  }
  int64_t d = secs / 86400;
  int64_t s = secs % 86400;
  if (s < 0) {
    s += 86400;
    --d;
  }
  *days = d;
  *sod = s;
  *sub = rem;
}
}  // namespace

size_t FormatRfc3339Millis(int64_t ns, char* buf) {
  int64_t days, sod, sub;
  Split(ns, &days, &sod, &sub);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  int n = std::snprintf(buf, 32, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                        static_cast<long long>(y), m, d, static_cast<long long>(sod / 3600),
                        static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60),
                        static_cast<long long>(sub / kNanosPerMilli));
  return static_cast<size_t>(n);
}

std::string FormatRfc3339Millis(int64_t ns) {
  char buf[40];
  return std::string(buf, FormatRfc3339Millis(ns, buf));
}

std::string FormatDisplayMillis(int64_t ns) {
  std::string s = FormatRfc3339Millis(ns);
  s[10] = ' ';
  s.pop_back();
  return s;
}

// Whole milliseconds and the fraction are converted apart: ms * 1e6 in one
// double loses the last nanoseconds of today's epoch times (beyond 2^53), and
// an inclusive `end` would then miss the sample at exactly that millisecond.
int64_t MillisToNanos(double ms) {
  if (std::isnan(ms)) return 0;
  if (!(ms > -9.2e12)) return std::numeric_limits<int64_t>::min();
  if (!(ms < 9.2e12)) return std::numeric_limits<int64_t>::max();
  const double whole = std::floor(ms);
  const auto frac_ns = static_cast<int64_t>(std::llround((ms - whole) * 1e6));
  return static_cast<int64_t>(whole) * kNanosPerMilli + frac_ns;
}

}  // namespace plcscope::base
