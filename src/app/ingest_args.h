// The options and steps `parse`, `dump`, `info` and `push` share: the input
// files and ingest settings, the store cache key of the inputs, the progress
// printer and the error exit. Used by the CLI's main thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/ingest.h"

namespace plcscope::app {

struct IngestArgs {
  std::vector<std::string> files;
  std::string format;
  double dedup_ms = 1000;
  int threads = 0;
};

// files (required, existing), --format, --dedup-ms, --threads.
void AddIngestOptions(CLI::App* cmd, IngestArgs* a);
base::Result<ingest::IngestOptions> MakeOptions(const IngestArgs& a);
std::vector<ingest::InputFile> Inputs(const std::vector<std::string>& files);
// Prints "plcscope: <message>" on stderr, sets exit code 1, returns 1.
int Fail(const base::Status& st);
// The store cache key of the inputs as they are now: their content hashes
// and sizes (every byte is read once to hash it) and the settings.
base::Result<std::string> InputKey(const IngestArgs& a);
// "1.50 GB".
std::string HumanBytes(double b);
// Progress on stderr: a bar on a terminal, a line every 10 % otherwise.
std::function<void(const ingest::Progress&)> ProgressPrinter();

}  // namespace plcscope::app
