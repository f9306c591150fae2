// libFuzzer target: the mcs line parser never crashes and keeps its
// contract on any input (see fuzz_check.h).
#include <cstddef>
#include <cstdint>

#include "ingest/formats/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  plcscope::ingest::fuzz::FuzzFormat(plcscope::ingest::Format::kMcs, data, size);
  return 0;
}
