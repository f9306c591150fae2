#include "ingest/formats/device_path.h"

#include <array>
#include <cstdint>

namespace plcscope::ingest {
namespace {

// What a byte means to the rule: part of a device, a separator, the '@' cut,
// or anything else (which makes the device invalid unless it follows '@').
enum CharClass : uint8_t { kDevice = 0, kSeparator = 1, kAt = 2, kOther = 3 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (auto& c : t) c = kOther;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kDevice;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kDevice;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDevice;
  t['_'] = kDevice;
  t['-'] = kDevice;
  t['/'] = kSeparator;
  t['\\'] = kSeparator;
  t[']'] = kSeparator;
  t['.'] = kSeparator;
  t['@'] = kAt;
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

}  // namespace

bool IsDeviceChar(char c) { return kClasses[static_cast<unsigned char>(c)] == kDevice; }

// "B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37"
//                                                       ^ last separator
// One backward pass: the device ends at the leftmost '@' after the last
// separator; what follows that '@' is not checked.
std::string_view DeviceFromPath(std::string_view path) {
  const char* const begin = path.data();
  const char* p = begin + path.size();
  const char* cut = p;
  bool bad = false;
  while (p > begin) {
    const uint8_t c = kClasses[static_cast<unsigned char>(p[-1])];
    if (c == kDevice) {
      --p;
      continue;
    }
    if (c == kSeparator) break;
    if (c == kAt) {
      cut = p - 1;
      bad = false;
    } else {
      bad = true;
    }
    --p;
  }
  if (bad) return {};
  return std::string_view(p, static_cast<size_t>(cut - p));
}

}  // namespace plcscope::ingest
