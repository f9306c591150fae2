// The device-from-path rule of formats.md §1: the device is the text after
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

// On success points *device into `path` and returns true; otherwise returns
// false (the caller reports reason::kNoDevice) and leaves *device alone.
bool DeviceFromPath(std::string_view path, std::string_view* device);

}  // namespace plcscope::ingest
