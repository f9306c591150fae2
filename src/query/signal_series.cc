#include "query/signal_series.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plcscope::query {

uint64_t GallopLowerBound(const uint32_t* rows, uint64_t n, uint64_t from, uint64_t target) {
  if (from >= n || rows[from] >= target) return from;
  uint64_t lo = from, step = 1;  // rows[lo] < target
  while (lo + step < n && rows[lo + step] < target) {
    lo += step;
    step *= 2;
  }
  const uint64_t hi = std::min(n, lo + step);
  return std::lower_bound(rows + lo + 1, rows + hi, target) - rows;
}

uint64_t SignalSeries::CountChanges(uint64_t lo, uint64_t hi) const {
  if (lo >= hi) return 0;
  auto a = std::lower_bound(changes.begin(), changes.end(), lo);
  auto b = std::lower_bound(a, changes.end(), hi);
  return b - a;
}

void SignalSeries::RangeMinMax(uint64_t lo, uint64_t hi, double* min, double* max) const {
  double mn = std::numeric_limits<double>::infinity();
  double mx = -std::numeric_limits<double>::infinity();
  auto take = [&](double lo_v, double hi_v) {
    if (lo_v < mn) mn = lo_v;
    if (hi_v > mx) mx = hi_v;
  };
  // Level -1 is the raw values; level k blocks of 16^(k+1).
  int level = -1;
  while (lo < hi) {
    const bool has_up = level + 1 < static_cast<int>(mins.size());
    if (!has_up || hi - lo < 2 * kFanout) {
      for (uint64_t i = lo; i < hi; ++i) {
        if (level < 0) {
          take(values[i], values[i]);
        } else {
          take(mins[level][i], maxs[level][i]);
        }
      }
      break;
    }
    for (; lo % kFanout != 0; ++lo) {
      level < 0 ? take(values[lo], values[lo]) : take(mins[level][lo], maxs[level][lo]);
    }
    for (; hi % kFanout != 0; --hi) {
      level < 0 ? take(values[hi - 1], values[hi - 1])
                : take(mins[level][hi - 1], maxs[level][hi - 1]);
    }
    lo /= kFanout;
    hi /= kFanout;
    ++level;
  }
  *min = mn;
  *max = mx;
}

SeriesCache::SeriesCache(const store::Store& store)
    : store_(store),
      once_(new std::once_flag[store.signals().size()]),
      series_(new std::unique_ptr<SignalSeries>[store.signals().size()]) {}

SeriesCache::~SeriesCache() = default;

const SignalSeries& SeriesCache::Get(uint32_t signal) const {
  std::call_once(once_[signal], [&] {
    auto s = std::make_unique<SignalSeries>();
    const auto rows = store_.signal_rows(signal);
    const auto type = store_.signal_type(signal);
    for (uint64_t i = 0; i < rows.size(); ++i) {
      if (store_.row_changed(rows[i])) s->changes.push_back(static_cast<uint32_t>(i));
    }
    s->changes.shrink_to_fit();
    s->numeric = type == base::ValueType::kInteger || type == base::ValueType::kFloat;
    if (s->numeric) {
      const uint32_t* value = store_.row_value().data();
      s->values.resize(rows.size());
      for (uint64_t i = 0; i < rows.size(); ++i) {
        const store::ShownValue v = store_.Shown(signal, value[rows[i]]);
        s->values[i] = type == base::ValueType::kInteger ? static_cast<double>(v.i) : v.d;
      }
      // Levels until one block covers everything.
      const std::vector<double>* below_min = &s->values;
      const std::vector<double>* below_max = &s->values;
      while (below_min->size() > SignalSeries::kFanout) {
        const size_t n = (below_min->size() + SignalSeries::kFanout - 1) / SignalSeries::kFanout;
        std::vector<double> mn(n, std::numeric_limits<double>::infinity());
        std::vector<double> mx(n, -std::numeric_limits<double>::infinity());
        for (size_t i = 0; i < below_min->size(); ++i) {
          const size_t b = i / SignalSeries::kFanout;
          if ((*below_min)[i] < mn[b]) mn[b] = (*below_min)[i];
          if ((*below_max)[i] > mx[b]) mx[b] = (*below_max)[i];
        }
        s->mins.push_back(std::move(mn));
        s->maxs.push_back(std::move(mx));
        below_min = &s->mins.back();
        below_max = &s->maxs.back();
      }
    }
    series_[signal] = std::move(s);
  });
  return *series_[signal];
}

}  // namespace plcscope::query
