// Session::Impl: the per-session state behind query::Session — dictionary
// helpers and the lazily built caches. Internal to src/query. Thread-safe:
// every member is immutable, built once under std::call_once, or guarded by
// its own mutex (OrderCache).
#pragma once

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "query/at_time_index.h"
#include "query/order_cache.h"
#include "query/query.h"
#include "query/row_order.h"
#include "query/signal_names.h"
#include "query/signal_series.h"

namespace plcscope::query {

struct Session::Impl {
  Impl(const store::Store& s, const SessionOptions& o)
      : store(s),
        names(s),
        ranks(s),
        series(s),
        cache(o.order_cache_entries, o.order_cache_bytes) {}

  // The rows of `filter` in `sort` order; a stopped computation (deadline,
  // cancellation) is returned as its status and not cached.
  base::Result<RowList> Order(const Filter& filter, const Sort& sort, const Deadline& deadline);
  // True when Order needs no scan or sort (cached, or a plain time range).
  bool OrderIsCached(const Filter& filter, const Sort& sort) const;
  const AtTimeIndex& at_time() {
    std::call_once(at_time_once, [this] { at_time_index = std::make_unique<AtTimeIndex>(store); });
    return *at_time_index;
  }

  const store::Store& store;
  SignalNames names;
  SortRanks ranks;
  SeriesCache series;
  OrderCache cache;
  std::once_flag at_time_once;
  std::unique_ptr<AtTimeIndex> at_time_index;
  std::once_flag errors_once;
  base::Status errors_status;
  std::vector<store::ParseErrorRecord> errors;
  std::vector<std::string_view> categories;
};

}  // namespace plcscope::query
