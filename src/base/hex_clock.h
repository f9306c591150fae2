// The one wall clock and the one hex spelling of 64-bit keys, shared by every
// layer. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace plcscope::base {

// Nanoseconds since 1970-01-01 UTC (the system clock).
int64_t NowNs();

// Nanoseconds of a monotonic clock, for deadlines and durations.
int64_t MonotonicNs();

// 16 lower-case hex digits, zero-padded: store keys, ids, content hashes.
std::string Hex64(uint64_t v);

}  // namespace plcscope::base
