// Timestamps of PLC logs: `YYYY-MM-DD HH:MM:SS[.fraction]`, UTC wall clock.
// Internally a timestamp is int64 nanoseconds since the Unix epoch (UTC).
// The HTTP API speaks milliseconds (double). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace plcscope::base {

inline constexpr int64_t kNanosPerMilli = 1'000'000;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Parses a timestamp at the start of `text`:
//   DATE SEP TIME [ "." FRACTION ] [ "Z" ]
//   DATE = YYYY "-" MM "-" DD ; SEP = "T" | one or more spaces ;
//   TIME = HH ":" MM ":" SS ; FRACTION = 1..9 digits.
// On success stores nanoseconds since the epoch in *ns and the number of
// bytes consumed in *consumed, and returns true. Out-of-range fields
// (month 13, second 61, Feb 30 ...) return false.
bool ParseTimestamp(std::string_view text, int64_t* ns, size_t* consumed);

// True when `text` (after optional surrounding spaces) is exactly a timestamp.
bool IsTimestamp(std::string_view text);

// "2025-09-22T13:00:00.199Z" (RFC 3339, UTC, milliseconds) as the API wants.
std::string FormatRfc3339Millis(int64_t ns);
// Writes the same into buf (at least 32 bytes); returns the length.
size_t FormatRfc3339Millis(int64_t ns, char* buf);

// "2025-09-22 13:00:00.199" (the table's display form, milliseconds).
std::string FormatDisplayMillis(int64_t ns);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d);

// ns -> ms as the API's double.
// Whole milliseconds and the fraction are converted apart, so that a time on a
// whole (or 1/2^k) millisecond is exact: ns / 1e6 of a 2025 time is not (a
// 19-digit ns count has no exact double), e.g. 1758546032634 ms came out as
// 1758546032633.9998, which sent back as a time lands before the sample.
inline double NanosToMillis(int64_t ns) {
  const int64_t whole_ms = ns / 1'000'000;
  return static_cast<double>(whole_ms) + static_cast<double>(ns % 1'000'000) / 1e6;
}
// ms (maybe fractional) -> ns, saturating.
int64_t MillisToNanos(double ms);

}  // namespace plcscope::base
