#include "query/transitions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "base/value_text.h"

namespace plcscope::query {
namespace {

using base::ValueType;

// A condition bound to one store: its signals and a predicate over shown values.
class BoundCondition {
 public:
  static base::Result<BoundCondition> Bind(const store::Store& store, const SignalNames& names,
                                           const Condition& c, const std::string& rule) {
    BoundCondition b(store, c);
    names.Resolve(c.signal, &b.signals_);
    if (b.signals_.empty()) {
      return base::InvalidArgument("rule \"" + rule + "\": unknown signal \"" + c.signal + "\"");
    }
    const std::string_view v = base::Trim(c.value);
    int64_t i;
    double d;
    if (base::ParseInteger(v, &i)) {
      b.number_ok_ = true;
      b.number_ = static_cast<double>(i);
    } else if (base::ParseFloat(v, &d)) {
      b.number_ok_ = true;
      b.number_ = d;
    }
    bool flag;
    if (base::ParseBooleanWord(v, &flag)) {
      b.bool_ok_ = true;
      b.bool_ = flag;
    } else if (b.number_ok_ && (b.number_ == 0 || b.number_ == 1)) {
      b.bool_ok_ = true;
      b.bool_ = b.number_ == 1;
    }
    if ((c.op == ConditionOp::kGreater || c.op == ConditionOp::kLess) && !b.number_ok_) {
      return base::InvalidArgument("rule \"" + rule + "\": \"" + c.value +
                                   "\" is not a number to compare with");
    }
    return b;
  }

  const std::vector<uint32_t>& signals() const { return signals_; }

  bool Holds(uint32_t signal, uint32_t value_id) const {
    const store::ValueRecord& rec = store_.values()[value_id];
    const std::string_view text = store_.str(rec.text);
    const ValueType type = store_.signal_type(signal);
    const store::ShownValue v = store::ShowValue(type, rec, text);
    switch (c_.op) {
      case ConditionOp::kNotEmpty:
        return type != ValueType::kString || !text.empty();
      case ConditionOp::kEquals:
        return Equals(type, v);
      case ConditionOp::kNotEquals:
        return !Equals(type, v);
      case ConditionOp::kGreater:
      case ConditionOp::kLess: {
        double x;
        if (!Number(type, v, &x)) return false;
        return c_.op == ConditionOp::kGreater ? x > number_ : x < number_;
      }
    }
    return false;
  }

 private:
  BoundCondition(const store::Store& store, const Condition& c) : store_(store), c_(c) {}

  bool Equals(ValueType type, const store::ShownValue& v) const {
    switch (type) {
      case ValueType::kBoolean:
        return bool_ok_ && v.b == bool_;
      case ValueType::kInteger:
        return number_ok_ && static_cast<double>(v.i) == number_;
      case ValueType::kFloat:
        return number_ok_ && v.d == number_;
      case ValueType::kString:
        return v.s == base::Trim(c_.value);
    }
    return false;
  }
  static bool Number(ValueType type, const store::ShownValue& v, double* x) {
    switch (type) {
      case ValueType::kBoolean:
        *x = v.b ? 1 : 0;
        return true;
      case ValueType::kInteger:
        *x = static_cast<double>(v.i);
        return true;
      case ValueType::kFloat:
        *x = v.d;
        return true;
      case ValueType::kString: {
        int64_t i;
        if (base::ParseInteger(v.s, &i)) {
          *x = static_cast<double>(i);
          return true;
        }
        return base::ParseFloat(v.s, x);
      }
    }
    return false;
  }

  const store::Store& store_;
  Condition c_;
  std::vector<uint32_t> signals_;
  bool number_ok_ = false, bool_ok_ = false, bool_ = false;
  double number_ = 0;
};

// Rows where the condition becomes true on any of `signals`, ascending.
base::Result<std::vector<RowId>> Matches(const store::Store& store, const BoundCondition& c,
                                         std::span<const uint32_t> signals,
                                         const Deadline& deadline) {
  std::vector<RowId> out;
  const uint32_t* value = store.row_value().data();
  for (uint32_t sig : signals) {
    bool prev = false;
    const auto rows = store.signal_rows(sig);
    for (uint64_t b = 0; b < rows.size(); b += kPollRows) {
      PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
      const uint64_t e = std::min<uint64_t>(rows.size(), b + kPollRows);
      for (uint64_t i = b; i < e; ++i) {
        const uint32_t row = rows[i];
        const bool cur = c.Holds(sig, value[row]);
        if (cur && !prev) out.push_back(row);
        prev = cur;
      }
    }
  }
  if (signals.size() > 1) std::sort(out.begin(), out.end());
  return out;
}

// A condition's signals grouped by device (a bare name resolves to one
// signal per device that has it; a key to one signal), by device index.
std::map<uint32_t, std::vector<uint32_t>> ByDevice(const store::Store& store,
                                                   const std::vector<uint32_t>& signals) {
  std::map<uint32_t, std::vector<uint32_t>> out;
  for (uint32_t sig : signals) out[store.signals()[sig].device].push_back(sig);
  return out;
}

void AddInterval(const store::Store& store, const TransitionRule& rule, uint32_t device, RowId a,
                 RowId b, std::vector<TransitionInterval>* out) {
  TransitionInterval iv;
  iv.device = device;
  iv.start_row = a;
  iv.end_row = b;
  iv.start_ns = store.row_time()[a];
  iv.end_ns = store.row_time()[b];
  iv.duration_ms = static_cast<double>(iv.end_ns - iv.start_ns) / 1e6;
  if (!rule.target_ms) {
    iv.status = IntervalStatus::kNoTarget;
  } else if (iv.duration_ms > *rule.target_ms + rule.tolerance_ms) {
    iv.status = IntervalStatus::kAbove;
  } else if (iv.duration_ms < *rule.target_ms - rule.tolerance_ms) {
    iv.status = IntervalStatus::kBelow;
  } else {
    iv.status = IntervalStatus::kOk;
  }
  out->push_back(iv);
}

TransitionStats Stats(const std::vector<TransitionInterval>& intervals) {
  TransitionStats s;
  s.count = intervals.size();
  if (intervals.empty()) return s;
  s.min_ms = s.max_ms = intervals[0].duration_ms;
  double sum = 0;
  for (const auto& iv : intervals) {
    s.min_ms = std::min(s.min_ms, iv.duration_ms);
    s.max_ms = std::max(s.max_ms, iv.duration_ms);
    sum += iv.duration_ms;
    if (iv.status == IntervalStatus::kOk) ++s.within;
    if (iv.status == IntervalStatus::kAbove) ++s.above;
    if (iv.status == IntervalStatus::kBelow) ++s.below;
  }
  s.mean_ms = sum / static_cast<double>(s.count);
  double sq = 0;
  for (const auto& iv : intervals)
    sq += (iv.duration_ms - s.mean_ms) * (iv.duration_ms - s.mean_ms);
  s.stddev_ms = std::sqrt(sq / static_cast<double>(s.count));
  return s;
}

}  // namespace

base::Result<std::vector<TransitionResult>> ComputeTransitions(
    const store::Store& store, const SignalNames& names, std::span<const TransitionRule> rules,
    const Deadline& deadline, uint64_t max_intervals) {
  std::vector<TransitionResult> results;
  uint64_t intervals = 0;
  for (const TransitionRule& rule : rules) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    TransitionResult res;
    res.name = rule.name;
    auto start = BoundCondition::Bind(store, names, rule.start, rule.name);
    if (!start.ok()) return start.status();
    switch (rule.type) {
      case RuleType::kCycle: {
        // Each device's signal is its own series: a cycle never spans two devices.
        for (const auto& [device, sigs] : ByDevice(store, start->signals())) {
          auto matches = Matches(store, *start, sigs, deadline);
          if (!matches.ok()) return matches.status();
          const std::vector<RowId>& m = *matches;
          for (size_t i = 1; i < m.size(); ++i)
            AddInterval(store, rule, device, m[i - 1], m[i], &res.intervals);
        }
        break;
      }
      case RuleType::kAToB: {
        auto end = BoundCondition::Bind(store, names, rule.end, rule.name);
        if (!end.ok()) return end.status();
        const auto end_by_device = ByDevice(store, end->signals());
        // A start on a device pairs with the end on the same device when the
        // end's signal is there too (a bare name on both sides), else with
        // the end wherever it is (a handshake between two devices).
        for (const auto& [device, sigs] : ByDevice(store, start->signals())) {
          auto a_matches = Matches(store, *start, sigs, deadline);
          if (!a_matches.ok()) return a_matches.status();
          const auto same = end_by_device.find(device);
          auto b_matches = Matches(
              store, *end, same != end_by_device.end() ? same->second : end->signals(), deadline);
          if (!b_matches.ok()) return b_matches.status();
          const std::vector<RowId>& a = *a_matches;
          const std::vector<RowId>& b = *b_matches;
          size_t j = 0;
          for (size_t i = 0; i < a.size();) {
            // The next end match strictly after this start.
            while (j < b.size() && b[j] <= a[i]) ++j;
            if (j == b.size()) break;
            AddInterval(store, rule, device, a[i], b[j], &res.intervals);
            // Starts before that end are ignored; one at the end's row opens the next.
            while (i < a.size() && a[i] < b[j]) ++i;
          }
        }
        break;
      }
      case RuleType::kValuePopulated: {
        const uint32_t* value = store.row_value().data();
        for (uint32_t sig : start->signals()) {
          PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
          const bool is_string = store.signal_type(sig) == ValueType::kString;
          bool prev_empty = false;
          RowId opened = kNoRow;
          for (uint32_t row : store.signal_rows(sig)) {
            const bool empty = is_string && store.str(store.values()[value[row]].text).empty();
            if (empty && !prev_empty) opened = row;
            if (!empty && prev_empty && opened != kNoRow) {
              AddInterval(store, rule, store.signals()[sig].device, opened, row, &res.intervals);
              opened = kNoRow;
            }
            prev_empty = empty;
          }
        }
        break;
      }
    }
    // The devices' series merged in time order (ties: the earlier end first).
    std::sort(res.intervals.begin(), res.intervals.end(),
              [](const TransitionInterval& x, const TransitionInterval& y) {
                return x.start_row != y.start_row ? x.start_row < y.start_row
                                                  : x.end_row < y.end_row;
              });
    intervals += res.intervals.size();
    if (intervals > max_intervals) {
      return base::InvalidArgument("The rules give more than " + std::to_string(max_intervals) +
                                   " intervals in all (the limit); narrow them");
    }
    res.stats = Stats(res.intervals);
    results.push_back(std::move(res));
  }
  return results;
}

}  // namespace plcscope::query
