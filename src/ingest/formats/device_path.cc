#include "ingest/formats/device_path.h"

#include <array>

namespace plcscope::ingest {
namespace {

constexpr std::array<bool, 256> MakeDeviceChars() {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['_'] = true;
  t['-'] = true;
  return t;
}
constexpr std::array<bool, 256> kDeviceChars = MakeDeviceChars();

inline bool IsSeparator(char c) { return c == '/' || c == '\\' || c == ']' || c == '.'; }

}  // namespace

bool IsDeviceChar(char c) { return kDeviceChars[static_cast<unsigned char>(c)]; }

// "B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37"
//                                                       ^ last separator
bool DeviceFromPath(std::string_view path, std::string_view* device) {
  const char* begin = path.data();
  const char* p = begin + path.size();
  while (p > begin && !IsSeparator(p[-1])) --p;
  const char* end = begin + path.size();
  const char* q = p;
  while (q < end && *q != '@') {
    if (!kDeviceChars[static_cast<unsigned char>(*q)]) return false;
    ++q;
  }
  if (q == p) return false;
  *device = std::string_view(p, static_cast<size_t>(q - p));
  return true;
}

}  // namespace plcscope::ingest
