#include "query/row_order.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string_view>

namespace plcscope::query {

uint64_t LowerBoundRow(const RowList& list, uint64_t from, uint64_t target) {
  uint64_t lo = from, hi = list.size();
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (list.at(mid) < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

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
      id_rank.emplace_back(ids[i], r);
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
  const uint32_t n = static_cast<uint32_t>(values.size());
  // Which values occur under which signal type: only those get ranks.
  const auto& types = StreamTypes();
  std::vector<uint8_t> used(n, 0);  // bit t: used by a signal of type t
  {
    const uint32_t* stream = store_.row_stream().data();
    const uint32_t* value = store_.row_value().data();
    for (uint64_t r = 0, rows = store_.row_count(); r < rows; ++r) {
      used[value[r]] |= static_cast<uint8_t>(1u << types[stream[r]]);
    }
  }
  auto shown = [&](ValueType t, uint32_t v) {
    return store::ShowValue(t, values[v], store_.str(values[v].text));
  };
  auto uses = [&](ValueType t, uint32_t v) { return (used[v] >> static_cast<unsigned>(t)) & 1; };
  for (auto& r : value_rank_) r.assign(n, 0);
  // Booleans: false 0, true 1. Numbers from 2, then strings.
  for (uint32_t v = 0; v < n; ++v) {
    if (uses(ValueType::kBoolean, v)) {
      value_rank_[static_cast<unsigned>(ValueType::kBoolean)][v] =
          shown(ValueType::kBoolean, v).b ? 1 : 0;
    }
  }
  uint32_t next = 2;
  {
    // Integers and floats on one numeric scale; NaN last.
    struct Num {
      double d;
      uint32_t v;
      uint8_t t;
    };
    std::vector<Num> nums;
    for (ValueType t : {ValueType::kInteger, ValueType::kFloat}) {
      for (uint32_t v = 0; v < n; ++v) {
        if (!uses(t, v)) continue;
        const store::ShownValue x = shown(t, v);
        nums.push_back({t == ValueType::kInteger ? static_cast<double>(x.i) : x.d, v,
                        static_cast<uint8_t>(t)});
      }
    }
    auto less = [](const Num& a, const Num& b) {
      if (std::isnan(a.d) || std::isnan(b.d)) return !std::isnan(a.d) && std::isnan(b.d);
      return a.d < b.d;
    };
    std::sort(nums.begin(), nums.end(), less);
    for (size_t i = 0; i < nums.size(); ++i) {
      if (i > 0 && less(nums[i - 1], nums[i])) ++next;
      value_rank_[nums[i].t][nums[i].v] = next;
    }
    if (!nums.empty()) ++next;
  }
  {
    // By bytes: the first 16 bytes as two big-endian integers decide most
    // comparisons (ids share long prefixes); equal prefixes fall back to
    // the whole text.
    auto text = [&](uint32_t v) { return store_.str(values[v].text); };
    struct Str {
      uint64_t prefix[2];
      uint32_t v;
    };
    std::vector<Str> strs;
    for (uint32_t v = 0; v < n; ++v) {
      if (!uses(ValueType::kString, v)) continue;
      const std::string_view t = text(v);
      Str e{{0, 0}, v};
      for (size_t i = 0; i < 16; ++i) {
        e.prefix[i / 8] =
            (e.prefix[i / 8] << 8) | (i < t.size() ? static_cast<unsigned char>(t[i]) : 0);
      }
      strs.push_back(e);
    }
    std::sort(strs.begin(), strs.end(), [&](const Str& a, const Str& b) {
      if (a.prefix[0] != b.prefix[0]) return a.prefix[0] < b.prefix[0];
      if (a.prefix[1] != b.prefix[1]) return a.prefix[1] < b.prefix[1];
      return text(a.v) < text(b.v);
    });
    for (size_t i = 0; i < strs.size(); ++i) {
      if (i > 0 && text(strs[i - 1].v) != text(strs[i].v)) ++next;
      value_rank_[static_cast<unsigned>(ValueType::kString)][strs[i].v] = next;
    }
  }
}

const std::vector<uint32_t>& SortRanks::ValueRanks(base::ValueType type) const {
  std::call_once(value_once_, [this] { BuildValueRanks(); });
  return value_rank_[static_cast<unsigned>(type)];
}

namespace {

// Key of the i-th row of a list, for one sort field.
struct KeyOf {
  const uint32_t* stream;
  const uint32_t* value;
  const uint32_t* stream_rank;  // stream-level fields
  const uint8_t* stream_type;   // value field
  const uint32_t* value_rank[4];
  uint32_t operator()(RowId r) const {
    if (stream_rank) return stream_rank[stream[r]];
    return value_rank[stream_type[stream[r]]][value[r]];
  }
};

// Turns counts into the start position of each bucket.
template <typename T>
void ExclusivePrefixSum(std::vector<T>* counts) {
  T sum = 0;
  for (T& c : *counts) {
    const T x = c;
    c = sum;
    sum += x;
  }
}

// Runs body(i) for i in [0, n), polling `deadline` every kPollRows.
template <typename Body>
base::Status ForEachPolled(uint64_t n, const Deadline& deadline, const Body& body) {
  for (uint64_t b = 0; b < n; b += kPollRows) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    const uint64_t e = std::min(n, b + kPollRows);
    for (uint64_t i = b; i < e; ++i) body(i);
  }
  return base::Status::Ok();
}

// Stable sort of rows by key: one counting pass when the keys are few
// enough for a count table that stays in cache, else LSD radix by 16 bits.
template <typename RowAt>
base::Result<std::vector<RowId>> CountingSort(uint64_t n, RowAt row_at, const KeyOf& key,
                                              uint32_t max_key, const Deadline& deadline) {
  std::vector<RowId> out(n);
  if (max_key < (1u << 22)) {
    std::vector<uint32_t> pos(uint64_t{max_key} + 1, 0);
    PLCSCOPE_RETURN_IF_ERROR(
        ForEachPolled(n, deadline, [&](uint64_t i) { ++pos[key(row_at(i))]; }));
    ExclusivePrefixSum(&pos);
    PLCSCOPE_RETURN_IF_ERROR(ForEachPolled(n, deadline, [&](uint64_t i) {
      const RowId r = row_at(i);
      out[pos[key(r)]++] = r;
    }));
    return out;
  }
  std::vector<RowId> rows(n), rows2(n);
  std::vector<uint32_t> keys(n), keys2(n);
  PLCSCOPE_RETURN_IF_ERROR(ForEachPolled(n, deadline, [&](uint64_t i) {
    rows[i] = row_at(i);
    keys[i] = key(rows[i]);
  }));
  std::vector<uint64_t> count(1 << 16);
  for (int shift = 0; shift < 32; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    PLCSCOPE_RETURN_IF_ERROR(
        ForEachPolled(n, deadline, [&](uint64_t i) { ++count[(keys[i] >> shift) & 0xFFFF]; }));
    ExclusivePrefixSum(&count);
    PLCSCOPE_RETURN_IF_ERROR(ForEachPolled(n, deadline, [&](uint64_t i) {
      const uint64_t p = count[(keys[i] >> shift) & 0xFFFF]++;
      rows2[p] = rows[i];
      keys2[p] = keys[i];
    }));
    rows.swap(rows2);
    keys.swap(keys2);
  }
  return rows;
}

}  // namespace

base::Result<std::vector<RowId>> SortRows(const store::Store& store, const SortRanks& ranks,
                                          const RowList& time_ordered, SortField field,
                                          const Deadline& deadline) {
  KeyOf key{};
  key.stream = store.row_stream().data();
  key.value = store.row_value().data();
  uint32_t max_key = 0;
  if (field == SortField::kValue) {
    key.stream_type = ranks.StreamTypes().data();
    for (unsigned t = 0; t < 4; ++t) {
      const auto& r = ranks.ValueRanks(static_cast<base::ValueType>(t));
      key.value_rank[t] = r.data();
      for (uint32_t x : r) max_key = std::max(max_key, x);
    }
  } else {
    const auto& r = ranks.StreamRanks(field);
    key.stream_rank = r.data();
    for (uint32_t x : r) max_key = std::max(max_key, x);
  }
  const uint64_t n = time_ordered.size();
  if (time_ordered.rows) {
    const RowId* rows = time_ordered.rows->data();
    return CountingSort(
        n, [rows](uint64_t i) { return rows[i]; }, key, max_key, deadline);
  }
  const uint64_t begin = time_ordered.begin;
  return CountingSort(
      n, [begin](uint64_t i) { return static_cast<RowId>(begin + i); }, key, max_key, deadline);
}

}  // namespace plcscope::query
