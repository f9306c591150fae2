// Test helpers: a SampleSink that copies what it receives, so tests can
// compare after the parser returned, and one-line parse shortcuts with
// their expectations. Not thread-safe; tests only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/time_util.h"
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

// Parses a line that must give samples and no error.
inline RecordingSink ParseGood(Format format, std::string_view line) {
  RecordingSink sink = Parse(format, line);
  EXPECT_TRUE(sink.errors.empty()) << line << " -> " << sink.errors[0];
  EXPECT_FALSE(sink.samples.empty()) << line;
  return sink;
}

// Parses a line that must give exactly one sample.
inline OwnedSample ParseOne(Format format, std::string_view line) {
  RecordingSink sink = ParseGood(format, line);
  EXPECT_EQ(sink.samples.size(), 1u) << line;
  return sink.samples.empty() ? OwnedSample{} : sink.samples[0];
}

// Parses a line that must give one error and no sample; returns the reason.
inline std::string ParseError(Format format, std::string_view line) {
  RecordingSink sink = Parse(format, line);
  EXPECT_TRUE(sink.samples.empty()) << line;
  EXPECT_EQ(sink.errors.size(), 1u) << line;
  return sink.errors.empty() ? "" : sink.errors[0];
}

// The timestamp `text` as base::ParseTimestamp reads it.
inline int64_t Ts(std::string_view text) {
  int64_t ns = 0;
  size_t used;
  EXPECT_TRUE(base::ParseTimestamp(text, &ns, &used)) << text;
  return ns;
}

}  // namespace plcscope::ingest
