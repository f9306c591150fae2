#include "query/row_order.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string_view>

namespace plcscope::query {
namespace {

// Dense ranks of ids by a strict weak order `less`; equal ids share a rank.
template <typename Less>
std::vector<uint32_t> DenseRanks(size_t n, Less less) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), less);
  std::vector<uint32_t> rank(n);
  uint32_t r = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && less(order[i - 1], order[i])) ++r;
    rank[order[i]] = r;
  }
  return rank;
}

}  // namespace

void SortRanks::BuildStreamRanks() const {
  const auto streams = store_.streams();
  const auto signals = store_.signals();
  const auto devices = store_.devices();
  // Rank string ids by their text.
  auto text_ranks = [&](std::vector<uint32_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::sort(ids.begin(), ids.end(),
              [&](uint32_t a, uint32_t b) { return store_.str(a) < store_.str(b); });
    std::vector<std::pair<uint32_t, uint32_t>> id_rank;  // (string id, rank)
    uint32_t r = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0 && store_.str(ids[i - 1]) != store_.str(ids[i])) ++r;
      id_rank.push_back({ids[i], r});
    }
    std::sort(id_rank.begin(), id_rank.end());
    return id_rank;
  };
  auto rank_of = [](const std::vector<std::pair<uint32_t, uint32_t>>& id_rank, uint32_t id) {
    return std::lower_bound(id_rank.begin(), id_rank.end(), std::make_pair(id, 0u))->second;
  };
  std::vector<uint32_t> dev_ids, name_ids, cat_ids;
  for (const auto& st : streams) {
    const auto& sig = signals[st.signal];
    dev_ids.push_back(devices[sig.device].name);
    name_ids.push_back(sig.name);
    cat_ids.push_back(st.category);
  }
  const auto dev_rank = text_ranks(dev_ids);
  const auto name_rank = text_ranks(name_ids);
  const auto cat_rank = text_ranks(cat_ids);
  // "boolean" < "float" < "integer" < "string".
  static constexpr uint32_t kTypeRank[4] = {0, 2, 1, 3};
  const size_t n = streams.size();
  device_.resize(n);
  signal_.resize(n);
  category_.resize(n);
  type_.resize(n);
  stream_type_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    device_[i] = rank_of(dev_rank, dev_ids[i]);
    signal_[i] = rank_of(name_rank, name_ids[i]);
    category_[i] = rank_of(cat_rank, cat_ids[i]);
    stream_type_[i] = signals[streams[i].signal].type;
    type_[i] = kTypeRank[stream_type_[i]];
  }
}

const std::vector<uint32_t>& SortRanks::StreamRanks(SortField field) const {
  std::call_once(stream_once_, [this] { BuildStreamRanks(); });
  switch (field) {
    case SortField::kDeviceId:
      return device_;
    case SortField::kSignalName:
      return signal_;
    case SortField::kCategory:
      return category_;
    default:
      return type_;
  }
}

const std::vector<uint8_t>& SortRanks::StreamTypes() const {
  std::call_once(stream_once_, [this] { BuildStreamRanks(); });
  return stream_type_;
}

void SortRanks::BuildValueRanks() const {
  using base::ValueType;
  const auto values = store_.values();
  const size_t n = values.size();
  unsigned present = 0;
  for (const auto& s : store_.signals()) present |= 1u << s.type;
  // Booleans: 0, 1. Numbers from 2. Strings after the numbers.
  auto shown = [&](ValueType t, uint32_t v) {
    return store::ShowValue(t, values[v], store_.str(values[v].text));
  };
  uint32_t next = 2;
  if ((present >> static_cast<unsigned>(ValueType::kBoolean)) & 1) {
    auto& r = value_rank_[static_cast<unsigned>(ValueType::kBoolean)];
    r.resize(n);
    for (uint32_t v = 0; v < n; ++v) r[v] = shown(ValueType::kBoolean, v).b ? 1 : 0;
  }
  const bool ints = (present >> static_cast<unsigned>(ValueType::kInteger)) & 1;
  const bool floats = (present >> static_cast<unsigned>(ValueType::kFloat)) & 1;
  if (ints || floats) {
    // Integers and floats on one numeric scale: key v is value v as an
    // integer, key n + v the same value as a float.
    std::vector<double> key(2 * n);
    for (uint32_t v = 0; v < n; ++v) {
      key[v] = static_cast<double>(shown(ValueType::kInteger, v).i);
      key[n + v] = shown(ValueType::kFloat, v).d;
    }
    auto less = [&](uint32_t a, uint32_t b) {
      const double x = key[a], y = key[b];
      // NaN last, equal to itself.
      if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
      return x < y;
    };
    auto rank = DenseRanks(2 * n, less);
    uint32_t top = 0;
    for (uint32_t x : rank) top = std::max(top, x + 1);
    if (ints)
      value_rank_[static_cast<unsigned>(ValueType::kInteger)].assign(rank.begin(),
                                                                     rank.begin() + n);
    if (floats)
      value_rank_[static_cast<unsigned>(ValueType::kFloat)].assign(rank.begin() + n, rank.end());
    for (unsigned t : {1u, 2u}) {
      for (auto& x : value_rank_[t]) x += next;
    }
    next += top;
  }
  if ((present >> static_cast<unsigned>(ValueType::kString)) & 1) {
    auto rank = DenseRanks(n, [&](uint32_t a, uint32_t b) {
      return store_.str(values[a].text) < store_.str(values[b].text);
    });
    for (auto& x : rank) x += next;
    value_rank_[static_cast<unsigned>(ValueType::kString)] = std::move(rank);
  }
}

const std::vector<uint32_t>& SortRanks::ValueRanks(base::ValueType type) const {
  std::call_once(value_once_, [this] { BuildValueRanks(); });
  return value_rank_[static_cast<unsigned>(type)];
}

std::vector<RowId> SortRows(const store::Store& store, const SortRanks& ranks,
                            const RowList& time_ordered, SortField field) {
  const uint64_t n = time_ordered.size();
  std::vector<RowId> rows(n);
  std::vector<uint32_t> keys(n);
  const uint32_t* stream = store.row_stream().data();
  const uint32_t* value = store.row_value().data();
  for (uint64_t i = 0; i < n; ++i) rows[i] = time_ordered.at(i);
  if (field == SortField::kValue) {
    const auto& types = ranks.StreamTypes();
    const uint32_t* by_type[4];
    for (unsigned t = 0; t < 4; ++t) {
      by_type[t] = ranks.ValueRanks(static_cast<base::ValueType>(t)).data();
    }
    for (uint64_t i = 0; i < n; ++i) {
      const RowId r = rows[i];
      keys[i] = by_type[types[stream[r]]][value[r]];
    }
  } else {
    const uint32_t* rank = ranks.StreamRanks(field).data();
    for (uint64_t i = 0; i < n; ++i) keys[i] = rank[stream[rows[i]]];
  }
  uint32_t max_key = 0;
  for (uint64_t i = 0; i < n; ++i) max_key = std::max(max_key, keys[i]);
  // Stable LSD radix sort by 16-bit digits: ties keep time order.
  std::vector<RowId> rows2(n);
  std::vector<uint32_t> keys2(n);
  std::vector<uint64_t> count(1 << 16);
  for (int shift = 0; shift < 32 && (shift == 0 || (max_key >> shift) != 0); shift += 16) {
    const uint32_t digits = std::min<uint64_t>(uint64_t{1} << 16, (uint64_t{max_key} >> shift) + 1);
    std::fill(count.begin(), count.begin() + digits, 0);
    for (uint64_t i = 0; i < n; ++i) ++count[(keys[i] >> shift) & 0xFFFF];
    uint64_t sum = 0;
    for (uint32_t d = 0; d < digits; ++d) {
      const uint64_t c = count[d];
      count[d] = sum;
      sum += c;
    }
    const bool last = (max_key >> shift) <= 0xFFFF;
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t pos = count[(keys[i] >> shift) & 0xFFFF]++;
      rows2[pos] = rows[i];
      if (!last) keys2[pos] = keys[i];
    }
    rows.swap(rows2);
    if (!last) keys.swap(keys2);
  }
  return rows;
}

}  // namespace plcscope::query
