#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "query/query.h"
#include "query/test_store.h"

namespace plcscope::query {
namespace {

using base::DeclaredType;

constexpr int64_t kMs = 1'000'000;

// One boolean signal sampled every ms, OFF except one ON sample at `pulse`,
// and a numeric signal counting up and down.
std::shared_ptr<const store::Store> PulseStore(int rows, int pulse) {
  return testing::BuildStore([&](store::SessionBuilder& b) {
    const uint32_t dev = b.Device("D", "D");
    const uint32_t flag = b.Stream(b.Signal(dev, "FLAG"), "", 0);
    const uint32_t num = b.Stream(b.Signal(dev, "NUM"), "", 0);
    const uint32_t on = b.Value("ON", DeclaredType::kInfer);
    const uint32_t off = b.Value("OFF", DeclaredType::kInfer);
    for (int i = 0; i < rows; ++i) {
      b.AddRow(i * kMs, flag, i == pulse ? on : off);
      if (i % 10 == 0) {
        const int v = (i / 10) % 100 < 50 ? (i / 10) % 100 : 100 - (i / 10) % 100;
        b.AddRow(i * kMs, num, b.Value(std::to_string(v), DeclaredType::kInfer));
      }
    }
  });
}

TEST(WaveformTest, OnePulseAmongManyRowsShowsInItsColumn) {
  const int rows = 200000, pulse = 123457;
  auto store = PulseStore(rows, pulse);
  ASSERT_NE(store, nullptr);
  Session s(store);
  WaveformQuery q;
  q.signals = {"D::FLAG"};
  q.start_ns = 0;
  q.end_ns = (rows - 1) * kMs;
  q.width = 500;
  auto wf = s.Waveform(q);
  ASSERT_TRUE(wf.ok());
  ASSERT_EQ(wf->signals.size(), 1u);
  const SignalWaveform& w = wf->signals[0];
  // First sample (a change) is at start: it is the initial value, then ON and OFF.
  EXPECT_EQ(w.initial, 0u);
  EXPECT_EQ(w.changes_in_range, 2u);
  ASSERT_EQ(w.mode, SignalWaveform::Mode::kChanges);
  ASSERT_EQ(w.change_rows.size(), 2u);
  EXPECT_TRUE(store->RowValue(w.change_rows[0]).b);
  EXPECT_FALSE(store->RowValue(w.change_rows[1]).b);

  q.changes_per_pixel = 0;  // force columns
  wf = s.Waveform(q);
  ASSERT_TRUE(wf.ok());
  const SignalWaveform& c = wf->signals[0];
  ASSERT_EQ(c.mode, SignalWaveform::Mode::kColumns);
  ASSERT_EQ(c.changes.size(), 500u);
  const __int128 span = q.end_ns - q.start_ns;
  uint64_t total_samples = 0;
  for (uint32_t i = 0; i < 500; ++i) {
    const int64_t lo = static_cast<int64_t>(span * i / 500);
    const int64_t hi = static_cast<int64_t>(span * (i + 1) / 500);
    const bool has_pulse = pulse * kMs >= lo && (pulse * kMs < hi);
    const uint32_t expect = (i == 0 ? 1 : 0) + (has_pulse ? 2 : 0);
    EXPECT_EQ(c.changes[i], expect) << "column " << i;
    total_samples += c.samples[i];
    EXPECT_TRUE(std::isnan(c.min[i]));
  }
  EXPECT_EQ(total_samples, static_cast<uint64_t>(rows));
  EXPECT_EQ(c.first_row[0], 0u);
  EXPECT_EQ(store->row_time()[c.last_row[499]], (rows - 1) * kMs);
}

TEST(WaveformTest, NumericColumnsHaveExactMinMax) {
  auto store = PulseStore(100000, -1);
  ASSERT_NE(store, nullptr);
  Session s(store);
  WaveformQuery q;
  q.signals = {"NUM"};
  q.start_ns = 12345 * kMs;
  q.end_ns = 87654 * kMs;
  q.width = 97;
  q.changes_per_pixel = 0;
  auto wf = s.Waveform(q);
  ASSERT_TRUE(wf.ok());
  const SignalWaveform& w = wf->signals[0];
  ASSERT_EQ(w.mode, SignalWaveform::Mode::kColumns);
  const auto rows = store->signal_rows(store->FindSignal("D::NUM"));
  const __int128 span = q.end_ns - q.start_ns;
  for (uint32_t i = 0; i < q.width; ++i) {
    const int64_t lo = q.start_ns + static_cast<int64_t>(span * i / q.width);
    const int64_t hi = q.start_ns + static_cast<int64_t>(span * (i + 1) / q.width);
    double mn = INFINITY, mx = -INFINITY;
    uint32_t n = 0;
    for (uint32_t r : rows) {
      const int64_t t = store->row_time()[r];
      if (t >= lo && (t < hi || (i + 1 == q.width && t <= q.end_ns))) {
        mn = std::min<double>(mn, store->RowValue(r).i);
        mx = std::max<double>(mx, store->RowValue(r).i);
        ++n;
      }
    }
    ASSERT_EQ(w.samples[i], n) << i;
    if (n) {
      EXPECT_EQ(w.min[i], mn) << i;
      EXPECT_EQ(w.max[i], mx) << i;
    }
  }
  // The value in force at start: the sample at 12340 ms.
  EXPECT_EQ(store->row_time()[w.initial], 12340 * kMs);
}

TEST(WaveformTest, WindowsOutsideTheData) {
  auto store = PulseStore(1000, 500);
  ASSERT_NE(store, nullptr);
  Session s(store);
  WaveformQuery q;
  q.signals = {"FLAG", "UNKNOWN"};
  q.start_ns = -5000 * kMs;
  q.end_ns = -10 * kMs;
  q.width = 100;
  auto before = s.Waveform(q);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->signals.size(), 1u);
  EXPECT_EQ(before->signals[0].initial, kNoRow);
  EXPECT_TRUE(before->signals[0].change_rows.empty());
  q.start_ns = 5000 * kMs;
  q.end_ns = 9000 * kMs;
  auto after = s.Waveform(q);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(store->row_time()[after->signals[0].initial], 999 * kMs);
  EXPECT_EQ(after->signals[0].changes_in_range, 0u);
  q.start_ns = 500 * kMs;  // exactly on the pulse: it is the initial value
  q.end_ns = 600 * kMs;
  auto on = s.Waveform(q);
  EXPECT_TRUE(store->RowValue(on->signals[0].initial).b);
  EXPECT_EQ(on->signals[0].changes_in_range, 1u);
  q.width = 0;
  EXPECT_EQ(s.Waveform(q).status().code(), base::StatusCode::kInvalidArgument);
  q.width = 10;
  q.end_ns = q.start_ns - 1;
  EXPECT_EQ(s.Waveform(q).status().code(), base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace plcscope::query
