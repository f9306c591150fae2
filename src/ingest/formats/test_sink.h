// Test helper: a SampleSink that copies what it receives, so tests can
// compare after the parser returned. Not thread-safe; tests only.
#pragma once

#include <string>
#include <vector>

#include "ingest/formats/line_parser.h"

namespace plcscope::ingest {

struct OwnedSample {
  int64_t ts_ns = 0;
  std::string device, path, signal, category, value;
  base::DeclaredType declared = base::DeclaredType::kInfer;
};

class RecordingSink : public SampleSink {
 public:
  void OnSample(const Sample& s) override {
    samples.push_back({s.ts_ns, std::string(s.device), std::string(s.path), std::string(s.signal),
                       std::string(s.category), std::string(s.value), s.declared});
  }
  void OnError(std::string_view reason) override { errors.emplace_back(reason); }

  std::vector<OwnedSample> samples;
  std::vector<std::string> errors;
};

// Parses one line and returns what the sink got.
inline RecordingSink Parse(Format format, std::string_view line) {
  RecordingSink sink;
  ParseLine(format, line, sink);
  return sink;
}

}  // namespace plcscope::ingest
