// The ingest benchmark behind `plcscope bench`: generate the reference files
// (reused when present with the same parameters), run
// `plcscope parse FILE --store DIR --force --json` as a child process
// several times per format, and report wall time, throughput, the child's
// peak RSS (wait4 rusage) and the store's bytes per sample.
//
// Functions are thread-compatible (no shared state); RunIngestBench writes
// its report to the FILE* it is given.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace plcscope::bench {

struct BenchOptions {
  uint64_t lines = 12'000'000;  // lines of the 1x reference file
  double scale = 1;             // multiplies `lines` (0.1, 1, 10)
  int runs = 3;                 // measured runs per format (after one warm-up)
  uint64_t seed = 1;
  std::string dir = "/tmp/plcscope-bench";
  std::vector<std::string> formats = {"plc_debug", "plc_tab", "mcs", "csv"};
  std::string exe = "/proc/self/exe";  // the plcscope binary to run `parse` with
  bool clean = false;                  // delete generated files and stores at the end
};

struct MachineInfo {
  int cores = 0;
  std::string cpu_model;
  uint64_t mem_total_bytes = 0;
  std::string kernel;
};
MachineInfo ReadMachineInfo();

// One child process run.
struct ChildRun {
  double wall_s = 0;
  double cpu_s = 0;            // the child's user + system CPU seconds
  uint64_t max_rss_bytes = 0;  // ru_maxrss of the child
  int exit_code = 0;           // -signal when killed by a signal
  std::string out;             // everything it wrote to stdout
};
// Runs `exe args...` with stdout captured and stderr sent to `stderr_path`
// (or inherited when empty); fails only when it cannot start the child.
base::Result<ChildRun> RunChild(const std::string& exe, const std::vector<std::string>& args,
                                const std::string& stderr_path);

// The fields the bench needs from `plcscope parse --json` (cmd_parse.cc).
struct ParseSummary {
  uint64_t entries = 0;
  uint64_t lines = 0;
  uint64_t input_bytes = 0;
  uint64_t error_count = 0;
  uint64_t store_bytes = 0;
  double wall_ms = 0;  // as the child measured itself
  std::string store;
};
// Fails with a message naming the first missing or mistyped field.
base::Result<ParseSummary> ParseSummaryJson(std::string_view json);

// min / median / max of a non-empty sample.
struct Spread {
  double min = 0, median = 0, max = 0;
};
Spread SpreadOf(std::vector<double> v);

// User + system CPU seconds this process has used so far.
double ProcessCpuSeconds();

base::Status RunIngestBench(const BenchOptions& options, std::FILE* out);

}  // namespace plcscope::bench
