// Shared checks for the line-parser fuzz targets: a SampleSink that aborts
// when a parser breaks its contract (line_parser.h). Fuzzing only; one sink
// per call, not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/time_util.h"
#include "ingest/formats/device_path.h"
#include "ingest/formats/line_parser.h"

namespace plcscope::ingest::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "contract broken: %s\n", what);
    std::abort();
  }
}

class CheckingSink : public SampleSink {
 public:
  // `line`: the text parsed; `views_in_line`: whether every view must point
  // into it (all formats but csv, whose unescaped text is in scratch, and
  // mcs, whose _Action/_CommandID names are static).
  CheckingSink(std::string_view line, bool views_in_line)
      : line_(line), views_in_line_(views_in_line) {}

  void OnSample(const Sample& s) override {
    Check(errors_ == 0, "a sample after an error");
    ++samples_;
    Touch(s.device);
    Touch(s.path);
    Touch(s.signal);
    Touch(s.category);
    Touch(s.value);
    Check(!s.device.empty(), "empty device");
    Check(!s.signal.empty(), "empty signal");
    if (views_in_line_) {
      Check(In(s.device) && In(s.path) && In(s.signal) && In(s.category) && In(s.value),
            "a view outside the line");
      // Devices found by the path rule are made of A-Z a-z 0-9 _ - only.
      for (char c : s.device) Check(IsDeviceChar(c), "a bad character in a device");
      Check(s.path.find(s.device) != std::string_view::npos, "the device is not in its path");
    }
    // The timestamp is the one base::ParseTimestamp reads (csv: after
    // blanks or a quote, so only checked for the other formats).
    if (check_ts_) {
      int64_t ns;
      size_t used;
      Check(base::ParseTimestamp(line_, &ns, &used) && ns == s.ts_ns, "timestamp differs");
    }
  }

  void OnError(std::string_view reason) override {
    Check(samples_ == 0, "an error after samples");
    Check(errors_ == 0, "two errors");
    ++errors_;
    Check(reason == reason::kNoMatchPlcDebug || reason == reason::kNoMatchPlcTab ||
              reason == reason::kNoMatchMcs || reason == reason::kNoMatchCsv ||
              reason == reason::kBadTimestamp || reason == reason::kNoDevice ||
              reason == reason::kNoSignal,
          "unknown reason");
  }

  void set_check_ts(bool v) { check_ts_ = v; }
  int samples() const { return samples_; }
  int errors() const { return errors_; }

 private:
  bool In(std::string_view v) const {
    return v.empty() ||
           (v.data() >= line_.data() && v.data() + v.size() <= line_.data() + line_.size());
  }
  // Reads every byte, so ASan sees a dangling view.
  void Touch(std::string_view v) {
    for (char c : v) sum_ += static_cast<unsigned char>(c);
  }

  std::string_view line_;
  bool views_in_line_;
  bool check_ts_ = true;
  int samples_ = 0;
  int errors_ = 0;
  uint64_t sum_ = 0;
};

// Parses the whole input as one line, then each '\n'-separated line (so the
// per-thread timestamp memo sees a sequence), checking the contract.
inline void FuzzFormat(Format format, const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const bool in_line = format == Format::kPlcDebug || format == Format::kPlcTab;
  auto one = [&](std::string_view line) {
    std::string_view parsed = line;
    if (!parsed.empty() && parsed.back() == '\r') parsed.remove_suffix(1);
    CheckingSink sink(parsed, in_line);
    sink.set_check_ts(format != Format::kCsv);
    ParseLine(format, line, sink);
    Check(sink.errors() == 1 || sink.samples() > 0, "no outcome");
  };
  one(all);
  size_t start = 0;
  while (start <= size) {
    size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = size;
    one(all.substr(start, nl - start));
    start = nl + 1;
  }
}

}  // namespace plcscope::ingest::fuzz
