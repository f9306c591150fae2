// libFuzzer target: format detection and the csv header test never crash,
// and a detected format really matches the lines it was detected from.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/formats/detect.h"
#include "ingest/formats/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace plcscope::ingest;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < size && lines.size() < 12) {
    size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = size;
    std::string_view line = all.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    start = nl + 1;
  }
  plcscope::base::Result<Format> f = DetectFormat(lines);
  if (f.ok()) {
    // Some line of the first ten parses (or fails only for its device/signal).
    bool any = false;
    const size_t n = lines.size() < kDetectLines ? lines.size() : kDetectLines;
    for (size_t i = 0; i < n && !any; ++i) {
      struct Matches : SampleSink {
        bool ok = true;
        void OnSample(const Sample&) override {}
        void OnError(std::string_view r) override {
          ok = ok && (r == reason::kNoDevice || r == reason::kNoSignal);
        }
      } m;
      ParseLine(*f, lines[i], m);
      any = m.ok;
    }
    plcscope::ingest::fuzz::Check(any, "detected a format no line matches");
  } else {
    plcscope::ingest::fuzz::Check(!f.status().message().empty(), "empty failure message");
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::optional<std::string_view> next =
        i + 1 < lines.size() ? std::optional<std::string_view>(lines[i + 1]) : std::nullopt;
    for (int f = 0; f < kFormatCount; ++f) {
      const bool header = IsHeaderLine(static_cast<Format>(f), lines[i], next);
      // A line starting like a date is data (or a bad timestamp), never a header.
      std::string_view first = lines[i].substr(0, lines[i].find(','));
      while (!first.empty() && (first.front() == ' ' || first.front() == '\t')) {
        first.remove_prefix(1);
      }
      bool date_like = first.size() >= 10;
      for (size_t k = 0; k < 10 && date_like; ++k) {
        const bool digit = first[k] >= '0' && first[k] <= '9';
        date_like = (k == 4 || k == 7) ? first[k] == '-' : digit;
      }
      plcscope::ingest::fuzz::Check(!(header && date_like),
                                    "a date-like first field taken as a header");
    }
  }
  return 0;
}
