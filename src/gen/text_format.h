// Hand-written number and timestamp formatting for the generator's hot loop
// (no iostreams, no printf per line). Not thread-safe: one TimestampWriter
// per output stream (it caches the current second).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace plcscope::gen {

// Writes `v` in decimal at p; returns the end. p needs 20 bytes of room.
inline char* WriteInt(char* p, int64_t v) { return std::to_chars(p, p + 20, v).ptr; }

// Writes `v` zero-padded to `width` digits (v < 10^width).
inline char* WritePadded(char* p, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

inline char* WriteText(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Writes "YYYY-MM-DD HH:MM:SS.mmm" (23 bytes) for microseconds since the epoch.
class TimestampWriter {
 public:
  static constexpr size_t kLength = 23;
  char* Write(char* p, int64_t micros);

 private:
  int64_t cached_second_ = INT64_MIN;
  char cached_[20] = {};  // "YYYY-MM-DD HH:MM:SS."
};

}  // namespace plcscope::gen
