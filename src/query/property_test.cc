// Property tests: on random sessions from a seeded generator, every fast
// path of the engine must give exactly what a brute-force scan gives.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/hex_clock.h"
#include "base/time_util.h"
#include "query/brute_force.h"
#include "query/query.h"
#include "query/test_store.h"

namespace plcscope::query {
namespace {

using base::DeclaredType;
using base::ValueType;

constexpr int64_t kMs = 1'000'000;

const std::vector<std::string> kDevices = {"DEV-0", "DEV-1", "DEV-2", "CNV-10", "CNV-11"};
const std::vector<std::string> kNames = {"FLAG_A", "FLAG_B", "COUNT", "TEMP",
                                         "STATE",  "ON_OFF", "RUN"};
const std::vector<std::string> kCategories = {"", "IN", "OUT", "INPUT2"};

std::vector<std::string> ValuesFor(const std::string& name) {
  if (name == "COUNT") return {"0", "1", "7", "30", "0x1F", "-5", "1,000", "12"};
  if (name == "TEMP") return {"1.5", "2", "-3.25", "2.50", "1e3", "7"};
  if (name == "STATE" || name == "RUN") {
    // Long shared prefixes exercise the string sort's tie path.
    return {"",
            "IDLE",
            "RUN",
            "ERR: jam",
            "on hold",
            "Off",
            "CARRIER-ID-PREFIX-0002",
            "CARRIER-ID-PREFIX-0001",
            "CARRIER-ID-PREFIX-00010"};
  }
  return {"ON", "OFF", "true", "0", "1", "off"};
}

struct Generated {
  std::shared_ptr<const store::Store> store;
  int64_t t0 = 0, t1 = 0;
};

// Two sources of `rows` rows in total; each source slightly out of order.
Generated Generate(uint64_t seed, int rows) {
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  int64_t base;
  size_t used;
  base::ParseTimestamp("2025-09-22 23:55:00", &base, &used);  // crosses midnight
  Generated g;
  g.store = testing::BuildStore([&](store::SessionBuilder& b) {
    b.meta().files.resize(2);
    struct Sig {
      uint32_t id;
      std::string name;
    };
    std::vector<Sig> signals;
    for (const auto& d : kDevices) {
      const uint32_t dev = b.Device(d, "LINE/" + d + "@B1");
      for (const auto& n : kNames) {
        if (pick(3) == 0) continue;
        signals.push_back({b.Signal(dev, n), n});
      }
    }
    // A hot signal with most of the rows, so that waveforms use columns.
    const uint32_t hot = b.Signal(b.Device("HOT-1", "HOT-1"), "COUNT");
    for (uint32_t src = 0; src < 2; ++src) {
      int64_t t = base;
      std::vector<std::tuple<int64_t, uint32_t, uint32_t>> batch;
      for (int i = 0; i < rows / 2; ++i) {
        t += static_cast<int64_t>(pick(4) == 0 ? 0 : pick(40)) * kMs + pick(1000);
        const bool is_hot = pick(3) == 0;
        const Sig sig = is_hot ? Sig{hot, "COUNT"} : signals[pick(signals.size())];
        const auto values = ValuesFor(sig.name);
        const std::string& text =
            is_hot ? std::to_string((i / 7) % 23 - 5) : values[pick(values.size())];
        const uint32_t stream = b.Stream(sig.id, kCategories[pick(kCategories.size())], src);
        const DeclaredType decl = text.empty() ? DeclaredType::kString : DeclaredType::kInfer;
        batch.emplace_back(t, stream, b.Value(text, decl));
      }
      // Unsorted input: swap some neighbours.
      for (size_t i = 1; i < batch.size(); i += 1 + pick(50)) std::swap(batch[i - 1], batch[i]);
      for (auto& [ts, st, v] : batch) b.AddRow(ts, st, v);
    }
  });
  if (g.store && g.store->row_count()) {
    g.t0 = g.store->row_time().front();
    g.t1 = g.store->row_time().back();
  }
  return g;
}

class PropertyTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  void SetUp() override {
    rng_.seed(GetParam());
    gen_ = Generate(GetParam(), 20000 + static_cast<int>(GetParam() % 3) * 5000);
    ASSERT_NE(gen_.store, nullptr);
    ASSERT_GT(gen_.store->row_count(), 10000u);
    session_ = std::make_unique<Session>(gen_.store, SessionOptions{4, size_t{1} << 20});
    brute_ = std::make_unique<testing::BruteForce>(*gen_.store);
  }
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  int64_t RandomTime() {
    const int64_t span = gen_.t1 - gen_.t0 + 20000 * kMs;
    int64_t t = gen_.t0 - 10000 * kMs + static_cast<int64_t>(rng_() % span);
    // Often exactly on a sample.
    if (Pick(2) == 0) t = gen_.store->row_time()[Pick(gen_.store->row_count())];
    return t;
  }
  std::vector<std::string> RandomSignals(size_t max) {
    std::vector<std::string> out;
    const size_t n = 1 + Pick(max);
    for (size_t i = 0; i < n; ++i) {
      switch (Pick(4)) {
        case 0:
          out.push_back(kNames[Pick(kNames.size())]);
          break;
        case 1:
          out.push_back("NOPE::X");
          break;
        default:
          out.push_back(std::string(
              gen_.store->str(gen_.store->signals()[Pick(gen_.store->signals().size())].key)));
      }
    }
    return out;
  }
  Filter RandomFilter() {
    static const std::vector<std::string> kPatterns = {
        "on",   "ON",       "dev-1", "true", "31",   "2.5",   "in", "x",  "run", "^R",
        "e.*m", "[0-9]{2}", "jam",   "cnv",  "FLAG", "1,000", "-",  "^$", "o"};
    Filter f;
    if (Pick(3) == 0) f.search = kPatterns[Pick(kPatterns.size())];
    if (Pick(4) == 0) f.exclude = kPatterns[Pick(kPatterns.size())];
    f.regex = Pick(3) == 0;
    f.case_sensitive = Pick(3) == 0;
    if (Pick(5) == 0) {
      for (const auto& c : kCategories) {
        if (Pick(2)) f.categories.push_back(c);
      }
      if (f.categories.empty()) f.categories.push_back("NONE");
    }
    if (Pick(5) == 0) f.types.push_back(static_cast<ValueType>(Pick(4)));
    if (Pick(5) == 0) f.signals = RandomSignals(3);
    if (Pick(6) == 0) f.devices = {kDevices[Pick(kDevices.size())], "HOT-1"};
    if (Pick(4) == 0) f.start_ns = RandomTime();
    if (Pick(4) == 0) f.end_ns = RandomTime();
    f.changed_only = Pick(4) == 0;
    return f;
  }

  std::mt19937_64 rng_;
  Generated gen_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<testing::BruteForce> brute_;
};

TEST_P(PropertyTest, PagesTotalsIndexOfTimeAndTimeTree) {
  for (int iter = 0; iter < 120; ++iter) {
    const Filter f = RandomFilter();
    const Sort s{static_cast<SortField>(Pick(6)), Pick(2) == 0};
    std::vector<RowId> want;
    ASSERT_TRUE(brute_->Rows(f, s, &want));
    const int64_t size = 1 + static_cast<int64_t>(Pick(3) == 0 ? Pick(1000) : Pick(50));
    const int64_t pages = static_cast<int64_t>(want.size()) / size + 2;
    for (int64_t page : {int64_t{1}, 1 + static_cast<int64_t>(Pick(pages)), pages}) {
      EntriesQuery q{f, s, page, size};
      auto got = session_->Entries(q);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(got->total, want.size()) << "iteration " << iter;
      const size_t begin = std::min(want.size(), static_cast<size_t>((page - 1) * size));
      const size_t end = std::min(want.size(), begin + static_cast<size_t>(size));
      ASSERT_EQ(got->rows, std::vector<RowId>(want.begin() + begin, want.begin() + end))
          << "iteration " << iter << " page " << page;
    }
    const int64_t ts = RandomTime();
    auto idx = session_->IndexOfTime(f, s, ts);
    ASSERT_TRUE(idx.ok());
    ASSERT_EQ(*idx, brute_->IndexOfTime(want, ts)) << "iteration " << iter;
    if (iter % 10 == 0) {
      // Export streams the same rows, in the same order.
      ExportQuery eq;
      eq.filter = f;
      eq.sort = s;
      eq.format = ExportFormat::kJsonLines;
      base::Status got_lines_status;
      const std::string got_lines = testing::ExportToString(*session_, eq, &got_lines_status);
      ASSERT_TRUE(got_lines_status.ok()) << got_lines_status.ToString();
      std::string want_lines;
      for (RowId r : want) {
        AppendEntryJson(*gen_.store, r, {}, &want_lines);
        want_lines.push_back('\n');
      }
      ASSERT_EQ(got_lines, want_lines) << "iteration " << iter;
    }
    if (iter % 4 == 0) {
      std::vector<RowId> by_time;
      brute_->Rows(f, {}, &by_time);
      auto tree = session_->TimeTree(f);
      ASSERT_TRUE(tree.ok());
      auto want_tree = brute_->TimeTree(by_time);
      ASSERT_EQ(tree->size(), want_tree.size());
      for (size_t i = 0; i < tree->size(); ++i) {
        ASSERT_EQ((*tree)[i].date, want_tree[i].date);
        ASSERT_EQ((*tree)[i].hour, want_tree[i].hour);
        ASSERT_EQ((*tree)[i].minute, want_tree[i].minute);
        ASSERT_EQ((*tree)[i].ts_ns, want_tree[i].ts_ns);
      }
    }
  }
}

TEST_P(PropertyTest, ChangedBitsMatchShownValues) {
  for (RowId r = 0; r < gen_.store->row_count(); ++r) {
    ASSERT_EQ(gen_.store->row_changed(r), brute_->changed(r)) << "row " << r;
  }
}

TEST_P(PropertyTest, SignalQueries) {
  for (int iter = 0; iter < 60; ++iter) {
    AtTimeQuery at;
    if (Pick(3) != 0) at.signals = RandomSignals(Pick(2) ? 3 : 400);
    at.ts_ns = RandomTime();
    auto got = session_->AtTime(at);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(*got, brute_->AtTime(at.signals, at.ts_ns)) << "iteration " << iter;

    ChunkQuery c;
    c.signals = RandomSignals(4);
    c.start_ns = RandomTime();
    c.end_ns = Pick(5) == 0 ? c.start_ns : RandomTime();
    c.limit = Pick(2) ? 100000 : 1 + Pick(300);
    auto chunk = session_->Chunk(c);
    ASSERT_TRUE(chunk.ok());
    std::vector<RowId> want = brute_->Chunk(c.signals, c.start_ns, c.end_ns);
    ASSERT_EQ(chunk->truncated, want.size() > c.limit);
    if (want.size() > c.limit) want.resize(c.limit);
    ASSERT_EQ(chunk->rows, want) << "iteration " << iter;

    BoundariesQuery bq{c.signals, c.start_ns, c.end_ns};
    auto bounds = session_->Boundaries(bq);
    ASSERT_TRUE(bounds.ok());
    ASSERT_EQ(bounds->size(), brute_->Resolve(c.signals).size());
    for (const SignalBoundary& b : *bounds) {
      const SignalBoundary w = brute_->Boundary(b.signal, c.start_ns, c.end_ns);
      ASSERT_EQ(b.before, w.before);
      ASSERT_EQ(b.after, w.after);
    }
  }
}

TEST_P(PropertyTest, WaveformColumnsAndChanges) {
  for (int iter = 0; iter < 40; ++iter) {
    WaveformQuery q;
    q.signals = RandomSignals(4);
    q.signals.push_back("HOT-1::COUNT");
    q.start_ns = RandomTime();
    q.end_ns = RandomTime();
    if (q.end_ns < q.start_ns) std::swap(q.start_ns, q.end_ns);
    if (Pick(4) == 0) {
      q.start_ns = gen_.t0;
      q.end_ns = gen_.t1;
    }
    q.width = 1 + static_cast<uint32_t>(Pick(3) == 0 ? Pick(5) : Pick(700));
    q.changes_per_pixel = Pick(3) == 0 ? 0.0 : 2.0;
    auto wf = session_->Waveform(q);
    ASSERT_TRUE(wf.ok()) << wf.status().ToString();
    ASSERT_EQ(wf->signals.size(), brute_->Resolve(q.signals).size());
    for (const SignalWaveform& w : wf->signals) {
      ASSERT_EQ(brute_->CheckWaveform(q, w), "")
          << "iteration " << iter << " signal "
          << gen_.store->str(gen_.store->signals()[w.signal].key);
    }
  }
}

TEST_P(PropertyTest, Transitions) {
  static const std::vector<Condition> kConditions = {
      {"FLAG_A", ConditionOp::kEquals, "true"},      {"FLAG_B", ConditionOp::kNotEquals, "ON"},
      {"HOT-1::COUNT", ConditionOp::kGreater, "10"}, {"COUNT", ConditionOp::kLess, "5"},
      {"STATE", ConditionOp::kNotEmpty, ""},         {"STATE", ConditionOp::kEquals, "RUN"},
      {"TEMP", ConditionOp::kGreater, "1.75"},       {"ON_OFF", ConditionOp::kEquals, "0"}};
  for (int iter = 0; iter < 30; ++iter) {
    TransitionRule r;
    r.type = static_cast<RuleType>(Pick(3));
    r.start = kConditions[Pick(kConditions.size())];
    r.end = kConditions[Pick(kConditions.size())];
    if (Pick(2)) {
      r.target_ms = 100 + static_cast<double>(Pick(3000));
      r.tolerance_ms = static_cast<double>(Pick(200));
    }
    auto got = session_->Transitions(std::vector<TransitionRule>{r});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    const auto want = brute_->Transitions(r);
    const auto& iv = (*got)[0].intervals;
    ASSERT_EQ(iv.size(), want.size()) << "iteration " << iter;
    uint64_t within = 0;
    for (size_t i = 0; i < iv.size(); ++i) {
      ASSERT_EQ(iv[i].start_row, want[i].start_row);
      ASSERT_EQ(iv[i].end_row, want[i].end_row);
      ASSERT_EQ(iv[i].duration_ms, want[i].duration_ms);
      within += r.target_ms && std::abs(iv[i].duration_ms - *r.target_ms) <= r.tolerance_ms;
    }
    ASSERT_EQ((*got)[0].stats.count, want.size());
    ASSERT_EQ((*got)[0].stats.within, within);
  }
}

TEST_P(PropertyTest, ConcurrentQueriesAgree) {
  std::vector<EntriesQuery> queries;
  std::vector<std::vector<RowId>> want;
  for (int i = 0; i < 24; ++i) {
    EntriesQuery q{RandomFilter(), {static_cast<SortField>(Pick(6)), Pick(2) == 0}, 1, 50};
    std::vector<RowId> rows;
    brute_->Rows(q.filter, q.sort, &rows);
    rows.resize(std::min<size_t>(rows.size(), 50));
    queries.push_back(q);
    want.push_back(rows);
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          const size_t k = (i + t * 7) % queries.size();
          auto got = session_->Entries(queries[k]);
          if (!got.ok() || got->rows != want[k]) ++mismatches;
          WaveformQuery w;
          w.signals = {"HOT-1::COUNT", "FLAG_A"};
          w.start_ns = gen_.t0;
          w.end_ns = gen_.t1;
          w.width = 300;
          if (!session_->Waveform(w).ok()) ++mismatches;
          AtTimeQuery at;
          at.ts_ns = gen_.t0 + (gen_.t1 - gen_.t0) / (1 + k);
          if (!session_->AtTime(at).ok()) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ---------------------------------------------------------------- deadlines

// All rows of `f` in `s` order through pages of the engine.
std::vector<RowId> AllRows(const Session& session, const Filter& f, const Sort& s) {
  EntriesQuery q{f, s, 1, kMaxPageSize};
  std::vector<RowId> out;
  for (;; ++q.page) {
    auto p = session.Entries(q);
    if (!p.ok() || p->rows.empty()) break;
    out.insert(out.end(), p->rows.begin(), p->rows.end());
  }
  return out;
}

Deadline Past() { return Deadline::At(base::MonotonicNs() - 1, 5); }

TEST_P(PropertyTest, PastDeadlineStopsEveryLongEntryPoint) {
  const auto code = [](const base::Status& s) { return s.code(); };
  constexpr auto kExceeded = base::StatusCode::kResourceExhausted;
  Filter f;
  f.search = "on";
  const Sort by_value{SortField::kValue, false};
  EXPECT_EQ(code(session_->Entries({f, by_value, 1, 50}, Past()).status()), kExceeded);
  EXPECT_EQ(code(session_->Count(f, Past()).status()), kExceeded);
  EXPECT_EQ(code(session_->IndexOfTime(f, Sort{}, gen_.t0, Past()).status()), kExceeded);
  EXPECT_EQ(code(session_->TimeTree(f, Past()).status()), kExceeded);
  EXPECT_EQ(code(session_->Prepare(f, by_value, Past())), kExceeded);
  WaveformQuery w;
  w.signals = {"HOT-1::COUNT"};
  w.start_ns = gen_.t0;
  w.end_ns = gen_.t1;
  w.width = 100;
  EXPECT_EQ(code(session_->Waveform(w, Past()).status()), kExceeded);
  TransitionRule rule;
  rule.type = RuleType::kCycle;
  rule.start = {"HOT-1::COUNT", ConditionOp::kEquals, "0"};
  EXPECT_EQ(code(session_->Transitions(std::vector<TransitionRule>{rule}, Past()).status()),
            kExceeded);
  for (SortField field : {SortField::kTimestamp, SortField::kSignalName}) {
    ExportQuery eq;
    eq.filter = f;
    eq.sort.field = field;
    EXPECT_EQ(session_
                  ->Export(
                      eq, [](std::string_view) { return true; }, Past())
                  .code(),
              kExceeded);
  }
  // The message names the budget.
  EXPECT_NE(session_->Count(f, Past()).status().message().find("5 ms"), std::string::npos);
  // Nothing of it was cached: the same questions answer like a brute force.
  EXPECT_FALSE(session_->IsCached(f, by_value));
  std::vector<RowId> want;
  ASSERT_TRUE(brute_->Rows(f, by_value, &want));
  EXPECT_EQ(AllRows(*session_, f, by_value), want);
  EXPECT_TRUE(session_->IsCached(f, by_value));
  EXPECT_EQ(session_->Count(f).value(), want.size());
  // A cached order answers at once, even past its deadline.
  EXPECT_TRUE(session_->Entries({f, by_value, 1, 50}, Past()).ok());
}

TEST_P(PropertyTest, ClientGoneCancelsAndACancelledSortDoesNotPoisonTheCache) {
  auto gone = std::make_shared<std::atomic<bool>>(true);
  const Deadline cancelled = Deadline::CancelledBy(gone);
  for (int iter = 0; iter < 12; ++iter) {
    Filter f = RandomFilter();
    f.regex = false;  // valid patterns only
    const Sort s{static_cast<SortField>(1 + Pick(5)), Pick(2) == 0};
    // Half the time the time order is cached first, so the sort itself stops.
    if (iter % 2 == 0) ASSERT_TRUE(session_->Count(f).ok());
    auto stopped = session_->Entries({f, s, 1, 100}, cancelled);
    if (stopped.ok()) {
      // Only an order without a scan or sort may answer (a time range).
      EXPECT_TRUE(session_->IsCached(f, s));
    } else {
      EXPECT_TRUE(IsCancelled(stopped.status())) << stopped.status().ToString();
      EXPECT_FALSE(session_->IsCached(f, s));
    }
    std::vector<RowId> want;
    ASSERT_TRUE(brute_->Rows(f, s, &want));
    ASSERT_EQ(AllRows(*session_, f, s), want) << "iteration " << iter;
    auto idx = session_->IndexOfTime(f, s, RandomTime());
    ASSERT_TRUE(idx.ok());
  }
}

TEST_P(PropertyTest, WaitersOfACancelledComputationComputeItThemselves) {
  // One thread asks with a flag another thread sets at a random moment; the
  // other asks without a deadline for the same order at the same time. The
  // unlimited one must always get the full, exact answer.
  for (int iter = 0; iter < 6; ++iter) {
    auto session = std::make_unique<Session>(gen_.store);
    Filter f;
    f.search = kNames[Pick(kNames.size())].substr(0, 3);
    const Sort s{SortField::kValue, iter % 2 == 1};
    std::vector<RowId> want;
    ASSERT_TRUE(brute_->Rows(f, s, &want));
    auto gone = std::make_shared<std::atomic<bool>>(false);
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(Pick(2000)));
      gone->store(true);
    });
    std::thread cancelled([&] {
      auto r = session->Entries({f, s, 1, 10}, Deadline::CancelledBy(gone));
      if (!r.ok()) EXPECT_TRUE(IsCancelled(r.status())) << r.status().ToString();
    });
    auto full = session->Count(f);
    std::vector<RowId> got = AllRows(*session, f, s);
    canceller.join();
    cancelled.join();
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(*full, want.size());
    EXPECT_EQ(got, want) << "iteration " << iter;
  }
}

TEST_P(PropertyTest, InvalidRegexNamesItsParameter) {
  Filter f;
  f.regex = true;
  f.search = "(";
  auto r = session_->Count(f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'search'"), std::string::npos) << r.status().message();
  f.search = "ok";
  f.exclude = "[";
  r = session_->Count(f);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'exclude'"), std::string::npos) << r.status().message();
}

TEST_P(PropertyTest, ResultBoundsNameTheLimit) {
  const auto full = session_->TimeTree(Filter{});
  ASSERT_TRUE(full.ok());
  ASSERT_GE(full->size(), 2u);
  const uint64_t cap = full->size() - 1;
  EXPECT_TRUE(session_->TimeTree(Filter{}, Deadline(), full->size()).ok());
  auto tree = session_->TimeTree(Filter{}, Deadline(), cap);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(tree.status().message().find(std::to_string(cap) + " minutes"), std::string::npos);
  TransitionRule rule;
  rule.type = RuleType::kCycle;
  rule.start = {"HOT-1::COUNT", ConditionOp::kEquals, "0"};
  auto all = session_->Transitions(std::vector<TransitionRule>{rule});
  ASSERT_TRUE(all.ok());
  ASSERT_GT((*all)[0].intervals.size(), 2u);
  auto capped = session_->Transitions(std::vector<TransitionRule>{rule}, Deadline(), 2);
  ASSERT_FALSE(capped.ok());
  EXPECT_NE(capped.status().message().find("more than 2 intervals"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Seeds, PropertyTest, ::testing::Values(1, 2, 3, 42));

}  // namespace
}  // namespace plcscope::query
