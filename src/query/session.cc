// query::Session: dispatch of each query kind to the engine's parts, plus
// the per-session caches (docs/query.md).
#include <algorithm>
#include <optional>
#include <queue>
#include <string>

#include "base/time_util.h"
#include "query/row_filter.h"
#include "query/session_impl.h"
#include "query/transitions.h"
#include "query/waveform.h"

namespace plcscope::query {
namespace {

void AppendKeyPart(std::string_view s, std::string* key) {
  key->append(std::to_string(s.size()));
  key->push_back(':');
  key->append(s);
}

void AppendKeyList(std::vector<std::string> items, std::string* key) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  key->append(std::to_string(items.size()));
  key->push_back('[');
  for (const auto& s : items) AppendKeyPart(s, key);
}

// A canonical text for a filter: equal filters give equal keys.
std::string FilterKey(const Filter& f) {
  std::string key;
  AppendKeyPart(f.search, &key);
  AppendKeyPart(f.exclude, &key);
  key += f.case_sensitive ? 'C' : 'c';
  key += f.regex ? 'R' : 'r';
  key += f.changed_only ? 'X' : 'x';
  AppendKeyList(f.categories, &key);
  std::vector<std::string> types;
  for (auto t : f.types) types.emplace_back(base::ValueTypeName(t));
  AppendKeyList(types, &key);
  AppendKeyList(f.signals, &key);
  AppendKeyList(f.devices, &key);
  key += f.start_ns ? std::to_string(*f.start_ns) : "-";
  key += '~';
  key += f.end_ns ? std::to_string(*f.end_ns) : "-";
  return key;
}

// True when the filter restricts time only (its rows are one row range).
bool TimeOnly(const Filter& f) {
  return f.search.empty() && f.exclude.empty() && f.categories.empty() && f.types.empty() &&
         f.signals.empty() && f.devices.empty() && !f.changed_only;
}

std::string SortedKey(const std::string& base_key, SortField field) {
  return base_key + "|s" + std::to_string(static_cast<int>(field));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool Session::Impl::OrderIsCached(const Filter& filter, const Sort& sort) const {
  const bool by_time = sort.field == SortField::kTimestamp;
  if (by_time && TimeOnly(filter)) return true;
  const std::string base_key = FilterKey(filter);
  return cache.Contains(by_time ? base_key + "|t" : SortedKey(base_key, sort.field));
}

base::Result<RowList> Session::Impl::Order(const Filter& filter, const Sort& sort,
                                           const Deadline& deadline) {
  const std::string base_key = FilterKey(filter);
  const bool by_time = sort.field == SortField::kTimestamp;
  const std::string sorted_key = SortedKey(base_key, sort.field);
  std::optional<RowList> sorted;
  if (!by_time) sorted = cache.Get(sorted_key);
  if (!sorted) {
    // Rows in time order.
    auto time_order = cache.GetOrCompute(base_key + "|t", [&]() -> base::Result<RowList> {
      auto cf = CompiledFilter::Compile(store, names, filter, deadline);
      if (!cf.ok()) return cf.status();
      RowList list;
      if (cf->is_range()) {
        list.begin = cf->row_begin();
        list.end = cf->row_end();
      } else {
        auto rows = cf->Collect(deadline);
        if (!rows.ok()) return rows.status();
        list.rows = std::make_shared<const std::vector<RowId>>(std::move(rows.value()));
      }
      return list;
    });
    if (!time_order.ok()) return time_order.status();
    if (by_time) {
      sorted = *time_order;
    } else {
      auto s = cache.GetOrCompute(sorted_key, [&]() -> base::Result<RowList> {
        auto rows = SortRows(store, ranks, *time_order, sort.field, deadline);
        if (!rows.ok()) return rows.status();
        RowList list;
        list.rows = std::make_shared<const std::vector<RowId>>(std::move(rows.value()));
        return list;
      });
      if (!s.ok()) return s.status();
      sorted = *s;
    }
  }
  sorted->reversed = sort.descending;
  return *sorted;
}

Session::Session(std::shared_ptr<const store::Store> store, SessionOptions options)
    : store_(std::move(store)), impl_(std::make_unique<Impl>(*store_, options)) {
  std::vector<uint32_t> ids;
  for (const auto& st : store_->streams()) {
    if (st.category != store::kNoCategory) ids.push_back(st.category);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (uint32_t id : ids) {
    if (!store_->str(id).empty()) impl_->categories.push_back(store_->str(id));
  }
  std::sort(impl_->categories.begin(), impl_->categories.end());
  impl_->categories.erase(std::unique(impl_->categories.begin(), impl_->categories.end()),
                          impl_->categories.end());
}

Session::~Session() = default;

base::Result<EntriesPage> Session::Entries(const EntriesQuery& q, const Deadline& deadline) const {
  if (q.page < 1) return base::InvalidArgument("page must be at least 1");
  if (q.page_size < 1) return base::InvalidArgument("pageSize must be at least 1");
  EntriesPage out;
  out.page = q.page;
  out.page_size = std::min(q.page_size, kMaxPageSize);
  auto order = impl_->Order(q.filter, q.sort, deadline);
  if (!order.ok()) return order.status();
  const RowList& list = *order;
  out.total = list.size();
  const uint64_t page_index = static_cast<uint64_t>(q.page - 1);
  const uint64_t size = static_cast<uint64_t>(out.page_size);
  if (page_index < out.total / size + 1) {
    const uint64_t begin = page_index * size;
    const uint64_t end = std::min(out.total, begin + size);
    for (uint64_t i = begin; i < end; ++i) out.rows.push_back(list.at(i));
  }
  return out;
}

base::Result<uint64_t> Session::Count(const Filter& filter, const Deadline& deadline) const {
  auto order = impl_->Order(filter, Sort{}, deadline);
  if (!order.ok()) return order.status();
  return order->size();
}

base::Result<int64_t> Session::IndexOfTime(const Filter& filter, const Sort& sort, int64_t ts_ns,
                                           const Deadline& deadline) const {
  auto order = impl_->Order(filter, sort, deadline);
  if (!order.ok()) return order.status();
  const RowList& list = *order;
  const uint64_t n = list.size();
  if (n == 0) return int64_t{-1};
  const auto times = store_->row_time();
  // Rows at or after ts are exactly the rows >= first.
  const uint64_t first = std::lower_bound(times.begin(), times.end(), ts_ns) - times.begin();
  if (sort.field == SortField::kTimestamp) {
    if (list.reversed) return list.at(0) >= first ? int64_t{0} : int64_t{-1};
    // Ascending rows: binary search by row number.
    const uint64_t p = LowerBoundRow(list, 0, first);
    return p < n ? static_cast<int64_t>(p) : int64_t{-1};
  }
  for (uint64_t b = 0; b < n; b += kPollRows) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    const uint64_t e = std::min(n, b + kPollRows);
    for (uint64_t i = b; i < e; ++i) {
      if (list.at(i) >= first) return static_cast<int64_t>(i);
    }
  }
  return int64_t{-1};
}

bool Session::IsCached(const Filter& filter, const Sort& sort) const {
  return impl_->OrderIsCached(filter, sort);
}

base::Status Session::Prepare(const Filter& filter, const Sort& sort,
                              const Deadline& deadline) const {
  auto order = impl_->Order(filter, sort, deadline);
  return order.ok() ? base::Status::Ok() : order.status();
}

base::Result<std::vector<TimeTreeItem>> Session::TimeTree(const Filter& filter,
                                                          const Deadline& deadline,
                                                          uint64_t max_items) const {
  auto order = impl_->Order(filter, Sort{}, deadline);
  if (!order.ok()) return order.status();
  const RowList& list = *order;
  const auto times = store_->row_time();
  constexpr int64_t kMinute = 60 * base::kNanosPerSecond;
  std::vector<TimeTreeItem> out;
  uint64_t p = 0;
  const uint64_t n = list.size();
  while (p < n) {
    if (out.size() % 4096 == 4095) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    if (out.size() == max_items) {
      return base::InvalidArgument("The time tree would list more than " +
                                   std::to_string(max_items) +
                                   " minutes (the limit); narrow 'start' and 'end'");
    }
    const int64_t t = times[list.at(p)];
    const int64_t minute = FloorDiv(t, kMinute);
    TimeTreeItem item;
    item.ts_ns = t;
    int64_t y;
    unsigned m, d;
    base::CivilFromDays(FloorDiv(minute, 24 * 60), &y, &m, &d);
    const int64_t in_day = minute - FloorDiv(minute, 24 * 60) * 24 * 60;
    item.hour = static_cast<int>(in_day / 60);
    item.minute = static_cast<int>(in_day % 60);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    item.date = buf;
    out.push_back(std::move(item));
    // The first listed row in a later minute.
    const int64_t next_t = (minute + 1) * kMinute;
    const uint64_t next_row = std::lower_bound(times.begin(), times.end(), next_t) - times.begin();
    p = LowerBoundRow(list, p + 1, next_row);
  }
  return out;
}

base::Result<ChunkResult> Session::Chunk(const ChunkQuery& q) const {
  ChunkResult out;
  if (q.end_ns < q.start_ns) return out;
  const auto times = store_->row_time();
  const uint64_t lo_row = std::lower_bound(times.begin(), times.end(), q.start_ns) - times.begin();
  const uint64_t hi_row = std::upper_bound(times.begin(), times.end(), q.end_ns) - times.begin();
  if (q.signals.empty()) {
    // No signals named: every entry of the window (rows are in time order).
    const uint64_t n = std::min<uint64_t>(hi_row - lo_row, q.limit);
    out.rows.reserve(n);
    for (uint64_t r = lo_row; r < lo_row + n; ++r) out.rows.push_back(static_cast<RowId>(r));
    out.truncated = hi_row - lo_row > q.limit;
    return out;
  }
  struct Cursor {
    const uint32_t* it;
    const uint32_t* end;
  };
  std::vector<Cursor> cursors;
  for (uint32_t sig : impl_->names.ResolveAll(q.signals)) {
    const auto rows = store_->signal_rows(sig);
    const uint32_t* a = std::lower_bound(rows.data(), rows.data() + rows.size(), lo_row);
    const uint32_t* b = std::lower_bound(a, rows.data() + rows.size(), hi_row);
    if (a != b) cursors.push_back({a, b});
  }
  auto greater = [](const Cursor& x, const Cursor& y) { return *x.it > *y.it; };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(greater)> heap(greater,
                                                                           std::move(cursors));
  while (!heap.empty()) {
    if (out.rows.size() == q.limit) {
      out.truncated = true;
      break;
    }
    Cursor c = heap.top();
    heap.pop();
    out.rows.push_back(*c.it);
    if (++c.it != c.end) heap.push(c);
  }
  return out;
}

base::Result<std::vector<SignalBoundary>> Session::Boundaries(const BoundariesQuery& q) const {
  const auto times = store_->row_time();
  const uint64_t before_row =
      std::lower_bound(times.begin(), times.end(), q.start_ns) - times.begin();
  const uint64_t after_row = std::upper_bound(times.begin(), times.end(), q.end_ns) - times.begin();
  std::vector<SignalBoundary> out;
  for (uint32_t sig : impl_->names.ResolveAll(q.signals)) {
    SignalBoundary b;
    b.signal = sig;
    const auto rows = store_->signal_rows(sig);
    const auto p = std::lower_bound(rows.begin(), rows.end(), before_row);
    if (p != rows.begin()) b.before = *(p - 1);
    const auto a = std::lower_bound(rows.begin(), rows.end(), after_row);
    if (a != rows.end()) b.after = *a;
    out.push_back(b);
  }
  return out;
}

base::Result<std::vector<RowId>> Session::AtTime(const AtTimeQuery& q) const {
  const auto times = store_->row_time();
  const uint64_t end_row = std::upper_bound(times.begin(), times.end(), q.ts_ns) - times.begin();
  std::vector<RowId> out;
  std::vector<uint32_t> signals = impl_->names.ResolveAll(q.signals);
  std::sort(signals.begin(), signals.end());
  constexpr size_t kIndexFrom = 256;
  if (q.signals.empty() || signals.size() >= kIndexFrom) {
    std::vector<RowId> latest;
    impl_->at_time().LatestBefore(end_row, &latest);
    if (q.signals.empty()) {
      for (RowId r : latest) {
        if (r != kNoRow) out.push_back(r);
      }
    } else {
      for (uint32_t s : signals) {
        if (latest[s] != kNoRow) out.push_back(latest[s]);
      }
    }
    return out;
  }
  for (uint32_t s : signals) {
    const auto rows = store_->signal_rows(s);
    const auto p = std::lower_bound(rows.begin(), rows.end(), end_row);
    if (p != rows.begin()) out.push_back(*(p - 1));
  }
  return out;
}

base::Result<WaveformResult> Session::Waveform(const WaveformQuery& q,
                                               const Deadline& deadline) const {
  return ComputeWaveform(*store_, impl_->series, impl_->names.ResolveAll(q.signals), q, deadline);
}

base::Result<std::vector<TransitionResult>> Session::Transitions(
    std::span<const TransitionRule> rules, const Deadline& deadline, uint64_t max_intervals) const {
  return ComputeTransitions(*store_, impl_->names, rules, deadline, max_intervals);
}

base::Result<ConditionSearchResult> Session::SearchCondition(const ConditionSearchQuery& q,
                                                             const Deadline& deadline) const {
  return query::SearchCondition(*store_, impl_->names, q, deadline);
}

std::vector<uint32_t> Session::ResolveSignals(std::span<const std::string> names) const {
  return impl_->names.ResolveAll(names);
}

std::vector<std::string_view> Session::SignalKeys() const {
  std::vector<std::string_view> out;
  for (const auto& s : store_->signals()) out.push_back(store_->str(s.key));
  return out;
}

std::vector<DeviceInfo> Session::Devices() const {
  const auto devices = store_->devices();
  std::vector<DeviceInfo> out(devices.size());
  for (size_t d = 0; d < devices.size(); ++d) {
    out[d].id = store_->str(devices[d].name);
    out[d].path = store_->str(devices[d].path);
  }
  for (const auto& s : store_->signals()) ++out[s.device].signal_count;
  std::sort(out.begin(), out.end(),
            [](const DeviceInfo& a, const DeviceInfo& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string_view> Session::Categories() const { return impl_->categories; }

base::Result<ErrorsPage> Session::Errors(int64_t page, int64_t page_size) const {
  if (page < 1) return base::InvalidArgument("page must be at least 1");
  if (page_size < 1) return base::InvalidArgument("pageSize must be at least 1");
  std::call_once(impl_->errors_once, [this] {
    auto e = store_->LoadErrors();
    if (e.ok()) {
      impl_->errors = std::move(e.value());
    } else {
      impl_->errors_status = e.status();
    }
  });
  if (!impl_->errors_status.ok()) return impl_->errors_status;
  ErrorsPage out;
  out.page = page;
  out.page_size = std::min(page_size, kMaxPageSize);
  out.total_details = impl_->errors.size();
  out.error_count = store_->meta().error_count;
  out.counts_by_reason = store_->meta().error_counts;
  const uint64_t size = static_cast<uint64_t>(out.page_size);
  const uint64_t page_index = static_cast<uint64_t>(page - 1);
  if (page_index < out.total_details / size + 1) {
    const uint64_t begin = page_index * size;
    const uint64_t end = std::min<uint64_t>(out.total_details, begin + size);
    for (uint64_t i = begin; i < end; ++i) out.errors.push_back(impl_->errors[i]);
  }
  return out;
}

}  // namespace plcscope::query
