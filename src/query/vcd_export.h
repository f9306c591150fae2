// VCD export (IEEE 1364 value change dump, as GTKWave and Surfer read it) of
// chosen signals over a time window, streamed through an ExportSink.
//   - one $scope module per device, one $var per signal (names with spaces
//     or brackets get '_' there: VCD identifiers cannot hold them);
//   - booleans: `wire 1` (0/1); integers: `integer 64` as two's-complement
//     binary vectors (b101, negatives in full 64 bits); floats: `real 64`
//     (r1.5); strings: `string 1` with 's' records, whitespace, backslash
//     and bytes outside printable ASCII written as \xNN;
//   - time 0 is the window's start (its epoch time is in $comment); the
//     $dumpvars block holds the value in force at start (the latest sample
//     at or before it; x for a wire or vector without one, nothing for a
//     real or string without one); then every sample with start < t <= end
//     whose value differs from the one last written (of several samples of
//     one signal at one instant, the last);
//   - timescale 1 us when every written time is a whole microsecond after
//     start, else 1 ns (or as asked).
// Reads only the chosen signals' rows (Store::signal_rows). Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "query/deadline.h"
#include "query/query.h"
#include "store/store.h"

namespace plcscope::query {

enum class VcdTimescale { kAuto, kNs, kUs };

struct VcdQuery {
  std::vector<uint32_t> signals;  // store signal indices, in the order to declare
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // >= start_ns
  VcdTimescale timescale = VcdTimescale::kAuto;
  std::string version;  // written in $version
};

// The $var identifier code of the i-th variable: base 94 over '!'..'~'.
std::string VcdIdentifier(uint64_t i);

// Writes the VCD of `q` to `sink` in chunks of ~64 KiB. kIoError when the
// sink refuses a chunk; the deadline's status when it stops.
base::Status ExportVcd(const store::Store& store, const VcdQuery& q, const ExportSink& sink,
                       const Deadline& deadline = Deadline());

}  // namespace plcscope::query
