#include "query/row_filter.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "query/text_match.h"
#include "query/value_format.h"

namespace plcscope::query {
namespace {

constexpr uint8_t kSearchHit = 1;
constexpr uint8_t kExcludeHit = 2;

// Search / exclude results per dictionary string, each string matched once.
class StringHits {
 public:
  StringHits(const store::Store& store, const TextMatcher* search, const TextMatcher* exclude)
      : store_(store), search_(search), exclude_(exclude) {}
  uint8_t Text(std::string_view s) const {
    uint8_t bits = 0;
    if (search_ && search_->Matches(s)) bits |= kSearchHit;
    if (exclude_ && exclude_->Matches(s)) bits |= kExcludeHit;
    return bits;
  }
  uint8_t Id(uint32_t id) {
    auto [it, inserted] = memo_.try_emplace(id, 0);
    if (inserted) it->second = Text(store_.str(id));
    return it->second;
  }

 private:
  const store::Store& store_;
  const TextMatcher* search_;
  const TextMatcher* exclude_;
  std::unordered_map<uint32_t, uint8_t> memo_;
};

}  // namespace

base::Result<CompiledFilter> CompiledFilter::Compile(const store::Store& store,
                                                     const SignalNames& names, const Filter& f,
                                                     const Deadline& deadline) {
  CompiledFilter cf(store);
  const auto times = store.row_time();
  cf.row_begin_ = 0;
  cf.row_end_ = times.size();
  if (f.start_ns) {
    cf.row_begin_ = std::lower_bound(times.begin(), times.end(), *f.start_ns) - times.begin();
  }
  if (f.end_ns) {
    cf.row_end_ = std::upper_bound(times.begin(), times.end(), *f.end_ns) - times.begin();
  }
  if (cf.row_end_ < cf.row_begin_) cf.row_end_ = cf.row_begin_;
  cf.changed_only_ = f.changed_only;

  std::optional<TextMatcher> search, exclude;
  if (!f.search.empty()) {
    auto m = TextMatcher::Create(f.search, f.regex, f.case_sensitive);
    if (!m.ok()) return base::InvalidArgument("Parameter 'search' " + m.status().message());
    search.emplace(std::move(m.value()));
  }
  if (!f.exclude.empty()) {
    auto m = TextMatcher::Create(f.exclude, f.regex, f.case_sensitive);
    if (!m.ok()) return base::InvalidArgument("Parameter 'exclude' " + m.status().message());
    exclude.emplace(std::move(m.value()));
  }
  cf.has_text_ = search || exclude;

  // Signals accepted by the signal, device and type filters.
  const auto signals = store.signals();
  std::vector<uint8_t> signal_ok(signals.size(), 1);
  if (!f.signals.empty()) {
    std::fill(signal_ok.begin(), signal_ok.end(), 0);
    for (uint32_t s : names.ResolveAll(f.signals)) signal_ok[s] = 1;
  }
  if (!f.devices.empty()) {
    std::unordered_set<std::string_view> wanted(f.devices.begin(), f.devices.end());
    const auto devices = store.devices();
    std::vector<uint8_t> device_ok(devices.size());
    for (size_t d = 0; d < devices.size(); ++d) {
      device_ok[d] = wanted.count(store.str(devices[d].name)) ? 1 : 0;
    }
    for (size_t s = 0; s < signals.size(); ++s) signal_ok[s] &= device_ok[signals[s].device];
  }
  if (!f.types.empty()) {
    unsigned mask = 0;
    for (base::ValueType t : f.types) mask |= 1u << static_cast<unsigned>(t);
    for (size_t s = 0; s < signals.size(); ++s) {
      if (!((mask >> signals[s].type) & 1)) signal_ok[s] = 0;
    }
  }
  std::unordered_set<std::string_view> categories(f.categories.begin(), f.categories.end());

  // Streams: structure, then the text of their device, signal and category.
  StringHits hits(store, search ? &*search : nullptr, exclude ? &*exclude : nullptr);
  std::vector<uint8_t> device_hits;
  if (cf.has_text_) {
    const auto devices = store.devices();
    device_hits.resize(devices.size());
    for (size_t d = 0; d < devices.size(); ++d) device_hits[d] = hits.Id(devices[d].name);
  }
  const auto streams = store.streams();
  cf.stream_flags_.assign(streams.size(), 0);
  std::vector<uint8_t> signal_listed(signals.size(), 0);
  unsigned types_used = 0;
  cf.is_range_ = !cf.has_text_ && !cf.changed_only_;
  for (size_t i = 0; i < streams.size(); ++i) {
    const store::StreamRecord& st = streams[i];
    bool ok = signal_ok[st.signal] &&
              (categories.empty() || categories.count(store.str(st.category)) > 0);
    uint32_t flags = 0;
    if (ok) {
      const store::SignalRecord& sig = signals[st.signal];
      const unsigned t = sig.type;
      flags = kOk;
      if (cf.has_text_) {
        uint8_t h = device_hits[sig.device] | hits.Id(sig.name);
        if (st.category != store::kNoCategory) h |= hits.Id(st.category);
        if (h & kExcludeHit) {
          flags = 0;
        } else {
          if (search && !(h & kSearchHit)) flags |= 1u << t;
          if (exclude) flags |= (1u << (4 + t)) << 8;
          types_used |= 1u << t;
        }
      }
    }
    cf.stream_flags_[i] = flags;
    if (flags == 0) {
      cf.is_range_ = false;
    } else if (!signal_listed[st.signal]) {
      signal_listed[st.signal] = 1;
      cf.signals_.push_back(st.signal);
    }
  }
  std::sort(cf.signals_.begin(), cf.signals_.end());

  // Values: the text as written and the shown text under each used type.
  if (cf.has_text_) {
    const auto values = store.values();
    cf.value_flags_.assign(values.size(), 0);
    const uint8_t true_hits = hits.Text("true");
    const uint8_t false_hits = hits.Text("false");
    std::string shown;
    for (size_t v = 0; v < values.size(); ++v) {
      if (v % 4096 == 0) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
      const store::ValueRecord& rec = values[v];
      const std::string_view text = store.str(rec.text);
      const uint8_t orig = hits.Text(text);
      uint8_t flags = 0;
      // A string sample makes its signal a string signal, so only numbers
      // and booleans are ever shown in another form.
      const bool parsed = static_cast<base::ValueType>(rec.kind) != base::ValueType::kString;
      for (unsigned t = 0; t < 4; ++t) {
        if (!((types_used >> t) & 1)) continue;
        uint8_t h = orig;
        const auto type = static_cast<base::ValueType>(t);
        if (parsed && type == base::ValueType::kBoolean) {
          h |= store::ShowValue(type, rec, text).b ? true_hits : false_hits;
        } else if (parsed && type != base::ValueType::kString) {
          shown.clear();
          AppendShownText(type, rec, text, &shown);
          if (shown != text) h |= hits.Text(shown);
        }
        if (h & kSearchHit) flags |= 1u << t;
        if (h & kExcludeHit) flags |= 1u << (4 + t);
      }
      cf.value_flags_[v] = flags;
    }
  }
  return cf;
}

bool CompiledFilter::Matches(uint64_t row) const {
  if (row < row_begin_ || row >= row_end_) return false;
  const uint32_t flags = stream_flags_[store_->row_stream()[row]];
  if (!(flags & kOk)) return false;
  if (changed_only_ && !store_->row_changed(row)) return false;
  if (has_text_) {
    const uint8_t v = value_flags_[store_->row_value()[row]];
    const uint8_t need = flags & 0xFF;
    const uint8_t excl = (flags >> 8) & 0xFF;
    if ((need && !(v & need)) || (v & excl)) return false;
  }
  return true;
}

template <bool kText, bool kChanged>
void CompiledFilter::ScanImpl(uint64_t begin, uint64_t end, std::vector<RowId>* out) const {
  const uint32_t* stream = store_->row_stream().data();
  const uint32_t* value = store_->row_value().data();
  const uint64_t* changed = store_->row_changed_words().data();
  const uint32_t* sflags = stream_flags_.data();
  const uint8_t* vflags = value_flags_.data();
  for (uint64_t r = begin; r < end; ++r) {
    if constexpr (kChanged) {
      if (!((changed[r >> 6] >> (r & 63)) & 1)) {
        // Skip the run of unchanged rows a word at a time.
        const uint64_t rest = changed[r >> 6] >> (r & 63);
        if (rest == 0) {
          r = (r | 63);
          continue;
        }
        r += __builtin_ctzll(rest) - 1;
        continue;
      }
    }
    const uint32_t flags = sflags[stream[r]];
    if (!(flags & kOk)) continue;
    if constexpr (kText) {
      const uint8_t v = vflags[value[r]];
      const uint8_t need = flags & 0xFF;
      const uint8_t excl = (flags >> 8) & 0xFF;
      if ((need && !(v & need)) || (v & excl)) continue;
    }
    out->push_back(static_cast<RowId>(r));
  }
}

void CompiledFilter::Scan(uint64_t begin, uint64_t end, std::vector<RowId>* out) const {
  begin = std::max(begin, row_begin_);
  end = std::min(end, row_end_);
  if (begin >= end) return;
  if (has_text_) {
    changed_only_ ? ScanImpl<true, true>(begin, end, out) : ScanImpl<true, false>(begin, end, out);
  } else {
    changed_only_ ? ScanImpl<false, true>(begin, end, out)
                  : ScanImpl<false, false>(begin, end, out);
  }
}

base::Result<std::vector<RowId>> CompiledFilter::Collect(const Deadline& deadline) const {
  std::vector<RowId> out;
  const uint64_t range = row_end_ - row_begin_;
  if (range == 0) return out;
  PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
  if (is_range_) {
    out.resize(range);
    for (uint64_t i = 0; i < range; ++i) out[i] = static_cast<RowId>(row_begin_ + i);
    return out;
  }
  // Index path: the accepted signals' rows, when they are few.
  uint64_t indexed = 0;
  for (uint32_t s : signals_) indexed += store_->signal_rows(s).size();
  if (indexed * 32 < range) {
    for (uint32_t s : signals_) {
      PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
      const auto rows = store_->signal_rows(s);
      auto lo = std::lower_bound(rows.begin(), rows.end(), row_begin_);
      auto hi = std::lower_bound(lo, rows.end(), row_end_);
      for (auto it = lo; it != hi; ++it) {
        if (Matches(*it)) out.push_back(*it);
      }
    }
    if (signals_.size() > 1) std::sort(out.begin(), out.end());
    return out;
  }
  if (changed_only_) {
    // At most the changed rows of the range: reserve them at once.
    const auto words = store_->row_changed_words();
    uint64_t changed = 0;
    for (uint64_t w = row_begin_ >> 6; w <= (row_end_ - 1) >> 6; ++w) {
      changed += __builtin_popcountll(words[w]);
    }
    out.reserve(changed);
  } else {
    // Address space only: pages that the result does not fill are never touched.
    out.reserve(range);
  }
  for (uint64_t b = row_begin_; b < row_end_; b += kPollRows) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    Scan(b, std::min(row_end_, b + kPollRows), &out);
  }
  return out;
}

}  // namespace plcscope::query
