// plcscope_query_bench: runs each request kind of docs/targets.md's query table
// in-process against a stored session and prints min / p50 / p99 / max.
//
//   plcscope_query_bench STORE [--iterations N] [--only NAME-PART]
//   plcscope_query_bench STORE --synthetic [--rows N] [--iterations N]
//
// "cold" kinds run on a fresh query::Session each iteration (no cached
// order, series or checkpoint), so they include the lazily built caches;
// "next pages" and "warm" kinds reuse one session as the server does.
// --synthetic first writes a store of --rows rows (default 12,000,000) with
// store::SessionBuilder: ~5,000 signals on 320 devices, 77 % boolean / 15 %
// integer / 8 % string samples, skewed activity, 6 hours at ms resolution.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "base/time_util.h"
#include "query/query.h"
#include "store/session_builder.h"
#include "store/store.h"

namespace plcscope {
namespace {

using query::Session;

double NowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU time of this thread: on a shared, oversubscribed machine wall time
// includes waiting for a core; CPU time is what the query itself costs.
double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string g_only;  // run only the kinds whose name contains this

uint64_t g_sink = 0;  // keeps results observable

void Report(const char* name, std::vector<double> wall, std::vector<double> cpu) {
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  auto pct = [](const std::vector<double>& ms, double p) {
    const size_t i = std::min(
        ms.size() - 1, static_cast<size_t>(std::lround(p * static_cast<double>(ms.size() - 1))));
    return ms[i];
  };
  std::printf("%-44s %4zu %9.3f %9.3f %9.3f | %9.3f %9.3f %9.3f\n", name, wall.size(), wall.front(),
              pct(wall, 0.5), pct(wall, 0.99), cpu.front(), pct(cpu, 0.5), pct(cpu, 0.99));
  std::fflush(stdout);
}

// Runs `setup` (untimed) then `run` (timed) `n` times.
void Measure(const char* name, int n, const std::function<void(int)>& setup,
             const std::function<void(int)>& run) {
  if (!g_only.empty() && std::string(name).find(g_only) == std::string::npos) return;
  std::vector<double> wall, cpu;
  for (int i = 0; i < n; ++i) {
    if (setup) setup(i);
    const double c0 = CpuMs();
    const double t0 = NowMs();
    run(i);
    wall.push_back(NowMs() - t0);
    cpu.push_back(CpuMs() - c0);
  }
  Report(name, wall, cpu);
}

void Check(const base::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "query failed: %s\n", s.ToString().c_str());
    std::exit(1);
  }
}
template <typename T>
T Check(base::Result<T>&& r) {
  Check(r.ok() ? base::Status::Ok() : r.status());
  return std::move(r).value();
}

base::Status BuildSynthetic(const std::string& path, uint64_t rows) {
  std::mt19937_64 rng(20250922);
  store::SessionBuilder b;
  b.ReserveRows(rows);
  constexpr int kDevices = 320, kNames = 160;
  std::vector<std::string> names;
  for (int i = 0; i < kNames; ++i) {
    const char* prefix = i < 123 ? "I_FLAG" : i < 147 ? "D_COUNT" : "S_STATE";
    names.push_back(std::string(prefix) + std::to_string(i));
  }
  struct Sig {
    uint32_t stream;
    int kind;  // 0 boolean, 1 integer, 2 string
    int64_t state = 0;
  };
  std::vector<Sig> by_kind[3];
  for (int d = 0; d < kDevices; ++d) {
    const std::string dev =
        "B1BCNV" + std::to_string(22000 + d) + "-" + std::to_string(100 + d % 40);
    const uint32_t dev_id =
        b.Device(dev, "B1BCNV" + std::to_string(22000 + d) + "_PRE_AGING#6.Belts." + dev + "@B37");
    for (int k = 0; k < 16; ++k) {  // ~5,000 keys
      const int n = static_cast<int>((d * 7 + k * 13) % kNames);
      const int kind = n < 123 ? 0 : n < 147 ? 1 : 2;
      const char* cat = kind == 0 ? (k % 2 ? "INPUT2" : "OUTPUT1") : "DATA";
      by_kind[kind].push_back({b.Stream(b.Signal(dev_id, names[n]), cat, 0), kind});
    }
  }
  const char* strings[] = {"IDLE", "RUN", "STOP", "ERR: jam", "WAIT", "CARRIER-0001", ""};
  uint32_t bool_values[2] = {b.Value("OFF", base::DeclaredType::kBoolean),
                             b.Value("ON", base::DeclaredType::kBoolean)};
  std::vector<uint32_t> string_values;
  for (const char* s : strings) string_values.push_back(b.Value(s, base::DeclaredType::kString));
  int64_t base_ns;
  size_t used;
  base::ParseTimestamp("2025-09-22 00:00:00", &base_ns, &used);
  const double gap_ns = 6.0 * 3600 * 1e9 / static_cast<double>(rows);
  std::uniform_real_distribution<double> unit(0, 1);
  std::string text;
  for (uint64_t i = 0; i < rows; ++i) {
    const double u = unit(rng);
    const int kind = u < 0.77 ? 0 : u < 0.92 ? 1 : 2;
    auto& pool = by_kind[kind];
    // Skewed activity: squares favour the first keys of each pool.
    const double v = unit(rng);
    Sig& sig = pool[static_cast<size_t>(v * v * static_cast<double>(pool.size()))];
    const int64_t ts = base_ns + static_cast<int64_t>(static_cast<double>(i) * gap_ns);
    uint32_t value;
    if (kind == 0) {
      if (unit(rng) < 0.3) sig.state ^= 1;
      value = bool_values[sig.state];
    } else if (kind == 1) {
      sig.state += static_cast<int64_t>(rng() % 7) - 3;
      text = std::to_string(sig.state);
      value = b.Value(text, base::DeclaredType::kInteger);
    } else {
      if (unit(rng) < 0.2) sig.state = static_cast<int64_t>(rng() % 7);
      value = string_values[sig.state];
    }
    b.AddRow(ts, sig.stream, value);
  }
  b.meta().parser_name = "synthetic";
  b.meta().files.resize(1);
  return b.Finish(path);
}

int Main(int argc, char** argv) {
  std::string path;
  int iterations = 20;
  bool synthetic = false;
  uint64_t rows = 12'000'000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--only" && i + 1 < argc) {
      g_only = argv[++i];
    } else if (a == "--synthetic") {
      synthetic = true;
    } else if (a == "--rows" && i + 1 < argc) {
      rows = std::strtoull(argv[++i], nullptr, 10);
    } else if (path.empty() && a[0] != '-') {
      path = a;
    } else {
      std::fprintf(stderr,
                   "usage: plcscope_query_bench STORE [--iterations N] [--synthetic [--rows N]]\n");
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: plcscope_query_bench STORE [--iterations N] [--synthetic]\n");
    return 2;
  }
  if (synthetic) {
    const double t0 = NowMs();
    Check(BuildSynthetic(path, rows));
    std::printf("synthetic store of %llu rows written in %.1f s\n",
                static_cast<unsigned long long>(rows), (NowMs() - t0) / 1000);
  }
  auto opened = store::Store::Open(path);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::shared_ptr<const store::Store> st = opened.value();
  const store::Store& s = *st;
  std::printf("store %s: %llu rows, %zu signals, %zu devices, %zu streams, %zu values, %.1f MB\n",
              path.c_str(), static_cast<unsigned long long>(s.row_count()), s.signals().size(),
              s.devices().size(), s.streams().size(), s.values().size(),
              static_cast<double>(s.file_bytes()) / 1e6);
  if (s.row_count() == 0) return 1;
  // Touch the columns once, as a reopened session's first queries would.
  {
    const double t0 = NowMs();
    uint64_t x = 0;
    for (uint64_t r = 0; r < s.row_count(); r += 512) {
      x += s.row_stream()[r] + s.row_value()[r] + s.signal_rows(0).size() + s.row_time()[r];
    }
    g_sink += x;
    std::printf("warm-up touch of the columns: %.1f ms\n", NowMs() - t0);
  }

  // Parameters picked from the store: the busiest signals, a mid-size name.
  std::vector<uint32_t> by_rows(s.signals().size());
  for (uint32_t i = 0; i < by_rows.size(); ++i) by_rows[i] = i;
  std::sort(by_rows.begin(), by_rows.end(), [&](uint32_t a, uint32_t b) {
    return s.signal_rows(a).size() > s.signal_rows(b).size();
  });
  std::vector<std::string> busiest;
  for (size_t i = 0; i < std::min<size_t>(50, by_rows.size()); ++i) {
    busiest.emplace_back(s.str(s.signals()[by_rows[i]].key));
  }
  std::vector<uint32_t> bools;
  for (uint32_t sig : by_rows) {
    if (s.signal_type(sig) == base::ValueType::kBoolean) bools.push_back(sig);
  }
  const std::string search(s.str(s.signals()[by_rows[by_rows.size() / 2]].name));
  const std::string regex = "_(EXIST|REQ|ERR|FLAG)[0-9]*$|ERR: [a-z]+";
  const int64_t t0 = s.row_time().front(), t1 = s.row_time().back();
  std::mt19937_64 rng(7);
  auto random_ts = [&] { return t0 + static_cast<int64_t>(rng() % (t1 - t0 + 1)); };
  std::printf("search \"%s\", regex \"%s\", waveform: 50 busiest signals (%zu..%zu rows)\n\n",
              search.c_str(), regex.c_str(), s.signal_rows(by_rows[0]).size(),
              s.signal_rows(by_rows[std::min<size_t>(49, by_rows.size() - 1)]).size());
  std::printf("%-44s %4s %9s %9s %9s | %9s %9s %9s\n", "request (ms)", "n", "wall min", "wall p50",
              "wall p99", "cpu min", "cpu p50", "cpu p99");

  const int n = iterations;
  std::unique_ptr<Session> session;
  auto fresh = [&](int) { session = std::make_unique<Session>(st); };
  auto page = [&](query::Filter f, query::Sort sort, int64_t p) {
    query::EntriesQuery q;
    q.filter = std::move(f);
    q.sort = sort;
    q.page = p;
    q.page_size = 200;
    const auto r = Check(session->Entries(q));
    g_sink += r.rows.size() + r.total;
    return r.total;
  };
  session = std::make_unique<Session>(st);
  const int64_t pages = static_cast<int64_t>(s.row_count() + 199) / 200;
  Measure("entries 200, no filter, first page", n, nullptr, [&](int) { page({}, {}, 1); });
  Measure("entries 200, no filter, middle page", n, nullptr, [&](int) { page({}, {}, pages / 2); });
  Measure("entries 200, no filter, last page", n, nullptr, [&](int) { page({}, {}, pages); });

  query::Filter sf;
  sf.search = search;
  Measure("search, first page with total (cold)", n, fresh, [&](int) { page(sf, {}, 1); });
  Measure("search, next pages", n, nullptr, [&](int i) { page(sf, {}, 2 + i); });
  query::Filter rf;
  rf.search = regex;
  rf.regex = true;
  Measure("regex, first page with total (cold)", n, fresh, [&](int) { page(rf, {}, 1); });
  query::Filter cf;
  cf.changed_only = true;
  Measure("changedOnly, first page (cold)", n, fresh, [&](int) { page(cf, {}, 1); });
  query::Sort by_signal{query::SortField::kSignalName, false};
  Measure("sort by signal, first page (cold)", n, fresh, [&](int) { page({}, by_signal, 1); });
  Measure("sort by signal, next pages", n, nullptr, [&](int i) { page({}, by_signal, 2 + i); });
  query::Sort by_value{query::SortField::kValue, true};
  Measure("sort by value desc, first page (cold)", n, fresh, [&](int) { page({}, by_value, 1); });
  Measure("sort by value desc, next pages", n, nullptr,
          [&](int i) { page({}, by_value, 2 + i * 1000); });

  query::WaveformQuery wq;
  wq.signals = busiest;
  wq.start_ns = t0;
  wq.end_ns = t1;
  wq.width = 2000;
  auto waveform = [&](int) {
    const auto w = Check(session->Waveform(wq));
    g_sink += w.signals.size();
  };
  Measure("waveform 50 x 2000 px, whole range (cold)", n, fresh, waveform);
  Measure("waveform 50 x 2000 px, whole range (warm)", n, nullptr, waveform);
  Measure(
      "waveform 50 x 2000 px, random 10 min (warm)", n,
      [&](int) {
        wq.start_ns = random_ts();
        wq.end_ns = wq.start_ns + 600 * base::kNanosPerSecond;
      },
      waveform);

  auto at_time = [&](int) {
    query::AtTimeQuery q;
    q.ts_ns = random_ts();
    g_sink += Check(session->AtTime(q)).size();
  };
  Measure("at-time, all signals (cold)", n, fresh, at_time);
  Measure("at-time, all signals (warm)", n, nullptr, at_time);

  Measure("index-of-time, no filter", n, nullptr,
          [&](int) { g_sink += Check(session->IndexOfTime({}, {}, random_ts())); });
  page(sf, {}, 1);
  Measure("index-of-time, search filter (cached)", n, nullptr,
          [&](int) { g_sink += Check(session->IndexOfTime(sf, {}, random_ts())); });
  Measure("time-tree, no filter", n, nullptr,
          [&](int) { g_sink += Check(session->TimeTree({})).size(); });
  Measure("time-tree, search filter (cached)", n, nullptr,
          [&](int) { g_sink += Check(session->TimeTree(sf)).size(); });

  if (bools.size() >= 2) {
    query::TransitionRule rule;
    rule.name = "a-b";
    rule.type = query::RuleType::kAToB;
    rule.start = {std::string(s.str(s.signals()[bools[0]].key)), query::ConditionOp::kEquals,
                  "true"};
    rule.end = {std::string(s.str(s.signals()[bools[1]].key)), query::ConditionOp::kEquals, "true"};
    std::vector<query::TransitionRule> rules{rule};
    Measure("transitions, one A->B rule (busiest booleans)", n, nullptr,
            [&](int) { g_sink += Check(session->Transitions(rules))[0].intervals.size(); });
    // A bare name: the rule on every device's signal of that name.
    rules[0].start.signal = std::string(s.str(s.signals()[bools[0]].name));
    rules[0].end.signal = std::string(s.str(s.signals()[bools[1]].name));
    Measure("transitions, one A->B rule on bare names", n, nullptr,
            [&](int) { g_sink += Check(session->Transitions(rules))[0].intervals.size(); });
  }
  std::printf("\n(sink %llu)\n", static_cast<unsigned long long>(g_sink % 10));
  return 0;
}

}  // namespace
}  // namespace plcscope

int main(int argc, char** argv) { return plcscope::Main(argc, argv); }
