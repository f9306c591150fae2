#include "query/waveform.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plcscope::query {

base::Result<WaveformResult> ComputeWaveform(const store::Store& store, const SeriesCache& series,
                                             const std::vector<uint32_t>& signals,
                                             const WaveformQuery& q, const Deadline& deadline) {
  if (q.width < 1 || q.width > kMaxWaveformWidth) {
    return base::InvalidArgument("width must be between 1 and " +
                                 std::to_string(kMaxWaveformWidth));
  }
  if (q.end_ns < q.start_ns) return base::InvalidArgument("end is before start");
  WaveformResult out;
  out.start_ns = q.start_ns;
  out.end_ns = q.end_ns;
  out.width = q.width;
  const uint32_t w = q.width;
  const auto times = store.row_time();
  // Column i holds rows [border[i], border[i + 1]); the last includes end.
  std::vector<uint64_t> border(w + 1);
  const __int128 span = static_cast<__int128>(q.end_ns) - q.start_ns;
  uint64_t from = 0;
  for (uint32_t i = 0; i < w; ++i) {
    const int64_t t = static_cast<int64_t>(q.start_ns + span * i / w);
    from = std::lower_bound(times.begin() + from, times.end(), t) - times.begin();
    border[i] = from;
  }
  border[w] = std::upper_bound(times.begin() + from, times.end(), q.end_ns) - times.begin();
  // Rows with time <= start.
  const uint64_t at_start =
      std::upper_bound(times.begin(), times.end(), q.start_ns) - times.begin();
  const double nan = std::numeric_limits<double>::quiet_NaN();

  out.signals.reserve(signals.size());
  for (uint32_t sig : signals) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    SignalWaveform wf;
    wf.signal = sig;
    wf.type = store.signal_type(sig);
    const auto rows = store.signal_rows(sig);
    const uint32_t* r = rows.data();
    const uint64_t n = rows.size();
    const SignalSeries& s = series.Get(sig);
    // Samples with time <= start, and with time <= end.
    const uint64_t p_start = std::lower_bound(r, r + n, at_start) - r;
    const uint64_t p_end = std::lower_bound(r + p_start, r + n, border[w]) - r;
    if (p_start > 0) wf.initial = r[p_start - 1];
    auto c_lo = std::lower_bound(s.changes.begin(), s.changes.end(), p_start);
    auto c_hi = std::lower_bound(c_lo, s.changes.end(), p_end);
    wf.changes_in_range = c_hi - c_lo;
    if (static_cast<double>(wf.changes_in_range) <= q.changes_per_pixel * w) {
      wf.mode = SignalWaveform::Mode::kChanges;
      wf.change_rows.reserve(wf.changes_in_range);
      for (auto it = c_lo; it != c_hi; ++it) wf.change_rows.push_back(r[*it]);
      out.signals.push_back(std::move(wf));
      continue;
    }
    wf.mode = SignalWaveform::Mode::kColumns;
    wf.first_row.assign(w, kNoRow);
    wf.last_row.assign(w, kNoRow);
    wf.changes.assign(w, 0);
    wf.samples.assign(w, 0);
    wf.min.assign(w, nan);
    wf.max.assign(w, nan);
    const uint32_t* ch = s.changes.data();
    const uint64_t nch = s.changes.size();
    uint64_t p = GallopLowerBound(r, n, 0, border[0]);
    uint64_t c = std::lower_bound(ch, ch + nch, p) - ch;
    for (uint32_t i = 0; i < w; ++i) {
      const uint64_t p_next = GallopLowerBound(r, n, p, border[i + 1]);
      if (p_next > p) {
        wf.first_row[i] = r[p];
        wf.last_row[i] = r[p_next - 1];
        wf.samples[i] = static_cast<uint32_t>(p_next - p);
        const uint64_t c_next = GallopLowerBound(ch, nch, c, p_next);
        wf.changes[i] = static_cast<uint32_t>(c_next - c);
        c = c_next;
        if (s.numeric) {
          double mn, mx;
          s.RangeMinMax(p, p_next, &mn, &mx);
          if (mn <= mx) {
            wf.min[i] = mn;
            wf.max[i] = mx;
          }
        }
      }
      p = p_next;
    }
    out.signals.push_back(std::move(wf));
  }
  return out;
}

}  // namespace plcscope::query
