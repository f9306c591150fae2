// The synthetic PLC log generator (`plcscope gen`), as a library so tests and
// benchmarks can call it in-process.
//
// Output is a pure function of GeneratorOptions: the same options (seed
// included) give the same bytes on every machine, because all randomness
// comes from gen/prng.h and all formatting is done by hand.
//
// Profiles:
//  - kReference: the reference file of docs/targets.md (plc_debug: ~320
//    devices, ~5,000 keys, ~160 signal names, 77/15/8 % bool/int/string
//    samples, ~142 bytes a line, 12 M lines over 6 h), and the same plant
//    rendered as plc_tab or csv; mcs renders carriers moving along the
//    plant's conveyor lines.
//  - kDemo: a small scripted conveyor line (10 devices, ~60 signals,
//    10 minutes: trays moving, belts starting and stopping, an error
//    episode, a rare pulse) for demo/. Its length comes from the script,
//    not from `lines`.
//
// Every profile plants "landmarks" (a signal that changes exactly once,
// one-sample pulses) and reports where they are, for exactness tests.
// Functions are thread-safe (no shared state); each call owns its output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace plcscope::gen {

// Bump when the bytes produced for given options change, so cached reference
// files (the bench's) are regenerated.
inline constexpr int kGeneratorVersion = 3;

enum class OutputFormat { kPlcDebug, kPlcTab, kMcs, kCsv };
enum class Profile { kReference, kDemo };

// "plc_debug", "plc_tab", "mcs", "csv" (the parser names of docs/formats.md).
const char* OutputFormatName(OutputFormat f);
bool ParseOutputFormat(std::string_view name, OutputFormat* out);
bool ParseProfile(std::string_view name, Profile* out);  // "reference", "demo"

struct GeneratorOptions {
  OutputFormat format = OutputFormat::kPlcDebug;
  Profile profile = Profile::kReference;
  uint64_t lines = 12'000'000;  // exact number of lines written (kReference)
  uint64_t seed = 1;
  int64_t start_us = 1'758'499'200'000'000;  // 2025-09-22 00:00:00 UTC
  int devices = 320;                         // kReference plant size
  // Time spanned by the file; 0 means lines × 1.8 ms (12 M lines → 6 h).
  double duration_s = 0;
  // Fraction of lines (0..1) printed with a timestamp 1 ms..3 s too early,
  // to test unsorted input. 0 keeps the file in time order.
  double unsorted_fraction = 0;
  bool gzip = false;  // only for files
};

// A planted event worth asserting on, e.g. "the one change of
// DEV-101::O_RECIPE_CHANGED is at line 7,416,001".
struct Landmark {
  std::string what;    // "once", "pulse", "pulse_end", "initial"
  uint64_t line = 0;   // 1-based line number in the file
  int64_t ts_us = 0;   // timestamp as printed (microseconds, ms resolution)
  std::string device;  // device ID as a parser extracts it
  std::string signal;
  std::string value;  // value text as written
};

struct GeneratorStats {
  uint64_t lines = 0;
  uint64_t bytes = 0;            // uncompressed
  uint64_t samples = 0;          // samples a parser should produce (mcs: one per group)
  uint64_t boolean_samples = 0;  // signal formats only
  uint64_t integer_samples = 0;
  uint64_t string_samples = 0;
  uint64_t devices = 0;       // devices of the plant (or carriers for mcs)
  uint64_t signal_keys = 0;   // keys defined by the plant
  uint64_t signal_names = 0;  // distinct signal names defined by the plant
  int64_t first_us = 0;
  int64_t last_us = 0;
  std::vector<Landmark> landmarks;
};

// Writes the log to `path` (via a temporary name, renamed when complete).
base::Result<GeneratorStats> GenerateToFile(const GeneratorOptions& options,
                                            const std::string& path);
// Appends the (uncompressed) log to *out.
base::Result<GeneratorStats> GenerateToString(const GeneratorOptions& options, std::string* out);

}  // namespace plcscope::gen
