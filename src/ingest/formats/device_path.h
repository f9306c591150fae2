// The device-from-path rule of docs/formats.md §1: the device is the text after
// the last '/', '\', ']' or '.', cut at the first '@'; it must be non-empty
// and made only of A-Z a-z 0-9 _ -.
//   "SYSTEM/PATH/DEVICE-123@D19"                        -> "DEVICE-123"
//   "B1FCNV11301_PRE_AGING.Belts.B1FCNV11301-601@B70"   -> "B1FCNV11301-601"
// Pure functions, no allocation, thread-safe.
#pragma once

#include <string_view>

namespace plcscope::ingest {

// True for A-Z a-z 0-9 _ -.
bool IsDeviceChar(char c);

// The device of `path`, a view into it; empty when the rule finds none (the
// caller reports reason::kNoDevice). Returned by value: on the hot path a
// result written through a pointer and read back whole stalls the store
// buffer.
std::string_view DeviceFromPath(std::string_view path);

}  // namespace plcscope::ingest
