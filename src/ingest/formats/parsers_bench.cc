// Microbenchmark of the line parsers: bytes/s of ParseLine over lines shaped
// like the reference file (docs/targets.md). Run: build/src/ingest/formats/parsers_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ingest/formats/line_parser.h"

namespace plcscope::ingest {
namespace {

// Counts what it gets, so nothing is optimised away.
class CountingSink : public SampleSink {
 public:
  void OnSample(const Sample& s) override {
    samples_ += 1;
    bytes_ += s.device.size() + s.signal.size() + s.value.size();
  }
  void OnError(std::string_view) override { ++errors_; }
  uint64_t samples_ = 0, bytes_ = 0, errors_ = 0;
};

// A deterministic set of lines (simple LCG) resembling the real file.
std::vector<std::string> MakeLines(Format format, int n) {
  static const char* kSignals[] = {"I_LEVEL2_TRAY_EXIST", "I_MOVE_IN",   "O_MOTOR_RUN",
                                   "I_BUFFER_STATUS",     "Temperature", "O_ALARM_CODE"};
  static const char* kValues[] = {"ON", "OFF", "0", "1", "42", "IDLE_WAITING"};
  static const char* kTypes[] = {"Boolean", "Boolean", "Integer", "Integer", "Integer", "String"};
  uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(x >> 33);
  };
  std::vector<std::string> lines;
  char buf[512];
  for (int i = 0; i < n; ++i) {
    const int ms = i * 2;
    const int dev = 100 + static_cast<int>(next() % 320);
    const int k = static_cast<int>(next() % 6);
    const int h = 13 + ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, f = ms % 1000;
    switch (format) {
      case Format::kPlcDebug:
        std::snprintf(buf, sizeof buf,
                      "2025-09-22 %02d:%02d:%02d.%03d [Debug] "
                      "[B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-%d@B37] "
                      "[INPUT2:%s] (%s) : %s",
                      h, m, s, f, dev, kSignals[k], kTypes[k], kValues[k]);
        break;
      case Format::kPlcTab:
        std::snprintf(buf, sizeof buf,
                      "2025-09-22 %02d:%02d:%02d.%03d [] B1ACNV13301-%d\t%-26s\tIN      \t%s\t\t"
                      "CNV_202:7\tT\tT\t2025-09-22 %02d:%02d:%02d.%03d",
                      h, m, s, f, dev, kSignals[k], kValues[k], h, m, s, f);
        break;
      case Format::kMcs:
        std::snprintf(buf, sizeof buf,
                      "2025-09-22 %02d:%02d:%02d.%03d [UPDATE=CMD%d, CAR-%d] "
                      "[CarrierLoc=B1ACNV13301-%d], [Priority=%d], [TransferState=ACTIVE], "
                      "[IsBoost=None]",
                      h, m, s, f, i, dev, dev, k);
        break;
      case Format::kCsv:
        std::snprintf(buf, sizeof buf, "2025-09-22 %02d:%02d:%02d.%03d,B1ACNV13309-%d@D19,%s,%s", h,
                      m, s, f, dev, kSignals[k], kValues[k]);
        break;
    }
    lines.emplace_back(buf);
  }
  return lines;
}

void BM_ParseLine(benchmark::State& state) {
  const Format format = static_cast<Format>(state.range(0));
  const std::vector<std::string> lines = MakeLines(format, 100000);
  size_t bytes = 0;
  for (const std::string& l : lines) bytes += l.size() + 1;  // +1: the newline
  CountingSink sink;
  for (auto _ : state) {
    for (const std::string& l : lines) ParseLine(format, l, sink);
    benchmark::DoNotOptimize(sink.bytes_);
  }
  if (sink.errors_ != 0) state.SkipWithError("benchmark lines failed to parse");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines.size()));
  state.SetLabel(FormatName(format));
  state.counters["bytes_per_line"] = static_cast<double>(bytes) / lines.size();
}
BENCHMARK(BM_ParseLine)->DenseRange(0, kFormatCount - 1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace plcscope::ingest

BENCHMARK_MAIN();
