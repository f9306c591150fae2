// Microbenchmark of one map playback frame on the server: unit colors for a
// 480-unit layout (4 devices a unit, 3 rule signals a device, 2.9 M rows) and
// the positions of 2,000 carriers (200,000 moves). Built, not run by ctest:
//   build/src/map/map_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>

#include "map/carriers.h"
#include "map/unit_colors.h"
#include "query/test_store.h"

namespace plcscope::map {
namespace {

using query::testing::BuildSampleStore;
using query::testing::TestSample;

constexpr int kUnits = 480;
constexpr int64_t kSpanMs = 6 * 3600 * 1000;

struct Fixture {
  std::shared_ptr<const store::Store> plc, mcs;
  std::shared_ptr<const UnitColorPlan> plan;
  std::shared_ptr<const CarrierTracker> tracker;

  Fixture() {
    std::mt19937_64 rng(7);
    std::vector<TestSample> s;
    const char* signals[] = {"I_ERROR", "I_RUN", "SPEED"};
    for (int u = 0; u < kUnits; ++u) {
      for (int d = 0; d < 4; ++d) {
        std::string dev = "CNV" + std::to_string(1000 + u) + "-" + std::to_string(d);
        for (int k = 0; k < 500; ++k) {
          int64_t ms = static_cast<int64_t>(rng() % kSpanMs);
          const char* sig = signals[k % 3];
          std::string v = k % 3 == 2 ? std::to_string(rng() % 100) : (rng() % 4 ? "OFF" : "ON");
          s.push_back({ms, dev, sig, v});
        }
      }
    }
    plc = BuildSampleStore(s);
    std::vector<TestSample> m;
    for (int c = 0; c < 2000; ++c) {
      std::string car = "CAR" + std::to_string(c);
      for (int k = 0; k < 100; ++k) {
        int64_t ms = static_cast<int64_t>(rng() % kSpanMs);
        m.push_back(
            {ms, car, "CurrentLocation",
             "CNV" + std::to_string(1000 + rng() % kUnits) + "-" + std::to_string(rng() % 4)});
      }
    }
    mcs = BuildSampleStore(m);
    auto rules = ParseRulesYaml(R"(rules:
  - {signal: I_ERROR, op: "==", value: true, color: red, priority: 10}
  - {signal: SPEED, op: ">", value: 90, color: orange, priority: 5}
  - {signal: I_RUN, op: "==", value: true, color: green, priority: 1}
)");
    // Unit "CNV<n>" holds devices "CNV<n>-0..3": 480 patterns, first match wins.
    RuleSet set = std::move(rules).value();
    std::vector<std::string> units;
    for (int u = 0; u < kUnits; ++u) {
      units.push_back("CNV" + std::to_string(1000 + u));
      set.device_to_unit.push_back({units.back() + "-*", units.back()});
    }
    plan = UnitColorPlan::Build(plc, std::make_shared<const RuleSet>(std::move(set)), units);
    tracker = CarrierTracker::Build(mcs);
  }
};

Fixture& F() {
  static Fixture* f = new Fixture();
  return *f;
}

void BM_UnitColors480(benchmark::State& state) {
  Fixture& f = F();
  std::vector<UnitColor> out;
  int64_t t = 0;
  for (auto _ : state) {
    t = (t + 7'919'000'000) % (kSpanMs * 1'000'000);
    f.plan->Evaluate(t, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["units"] = kUnits;
}
BENCHMARK(BM_UnitColors480)->Unit(benchmark::kMicrosecond);

void BM_CarriersAt2000(benchmark::State& state) {
  Fixture& f = F();
  int64_t t = 0;
  for (auto _ : state) {
    t = (t + 7'919'000'000) % (kSpanMs * 1'000'000);
    auto p = f.tracker->At(t);
    benchmark::DoNotOptimize(p.data());
  }
  state.counters["carriers"] = static_cast<double>(f.tracker->carriers().size());
}
BENCHMARK(BM_CarriersAt2000)->Unit(benchmark::kMicrosecond);

void BM_CarrierTrackerBuild(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) benchmark::DoNotOptimize(CarrierTracker::Build(f.mcs).get());
}
BENCHMARK(BM_CarrierTrackerBuild)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace plcscope::map

BENCHMARK_MAIN();
