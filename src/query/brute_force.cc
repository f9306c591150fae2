#include "query/brute_force.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "base/time_util.h"
#include "base/value_text.h"

namespace plcscope::query::testing {
namespace {

using base::ValueType;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Hit(const Filter& f, const std::string& pattern, const std::string& text) {
  if (f.regex) {
    // One compiled regex per (pattern, case) per thread.
    thread_local std::map<std::pair<std::string, bool>, std::unique_ptr<RE2>> cache;
    auto& re = cache[{pattern, f.case_sensitive}];
    if (!re) {
      RE2::Options o;
      o.set_case_sensitive(f.case_sensitive);
      o.set_log_errors(false);
      re = std::make_unique<RE2>(pattern, o);
    }
    return RE2::PartialMatch(text, *re);
  }
  if (f.case_sensitive) return text.find(pattern) != std::string::npos;
  return Lower(text).find(Lower(pattern)) != std::string::npos;
}

}  // namespace

BruteForce::BruteForce(const store::Store& store) : store_(store), changed_(store.row_count()) {
  std::map<uint32_t, std::string> last;  // signal -> shown text of its previous sample
  for (RowId r = 0; r < store.row_count(); ++r) {
    const uint32_t sig = store.row_signal(r);
    const std::string shown = Shown(r);
    auto it = last.find(sig);
    changed_[r] = it == last.end() || it->second != shown;
    last[sig] = shown;
  }
}

std::string BruteForce::Shown(RowId r) const {
  const store::ShownValue v = store_.RowValue(r);
  char buf[64];
  switch (v.type) {
    case ValueType::kBoolean:
      return v.b ? "true" : "false";
    case ValueType::kInteger:
      return std::to_string(v.i);
    case ValueType::kFloat:
      return std::string(buf, std::to_chars(buf, buf + 64, v.d).ptr);
    case ValueType::kString:
      return std::string(v.s);
  }
  return "";
}

std::vector<uint32_t> BruteForce::Resolve(const std::vector<std::string>& names) const {
  std::vector<uint32_t> out;
  for (const std::string& n : names) {
    bool key_found = false;
    for (uint32_t s = 0; s < store_.signals().size(); ++s) {
      if (store_.str(store_.signals()[s].key) == n) {
        key_found = true;
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
      }
    }
    if (key_found) continue;
    for (uint32_t s = 0; s < store_.signals().size(); ++s) {
      if (store_.str(store_.signals()[s].name) == n &&
          std::find(out.begin(), out.end(), s) == out.end()) {
        out.push_back(s);
      }
    }
  }
  return out;
}

bool BruteForce::Rows(const Filter& f, const Sort& s, std::vector<RowId>* out) const {
  out->clear();
  if (f.regex) {
    for (const std::string* p : {&f.search, &f.exclude}) {
      if (!p->empty() && !RE2(*p, RE2::Quiet).ok()) return false;
    }
  }
  const std::vector<uint32_t> signals = Resolve(f.signals);
  for (RowId r = 0; r < store_.row_count(); ++r) {
    const int64_t t = store_.row_time()[r];
    if (f.start_ns && t < *f.start_ns) continue;
    if (f.end_ns && t > *f.end_ns) continue;
    const store::StreamRecord& st = store_.streams()[store_.row_stream()[r]];
    const store::SignalRecord& sig = store_.signals()[st.signal];
    const std::string device(store_.str(store_.devices()[sig.device].name));
    const std::string name(store_.str(sig.name));
    const std::string category(store_.str(st.category));
    if (!f.categories.empty() &&
        std::find(f.categories.begin(), f.categories.end(), category) == f.categories.end()) {
      continue;
    }
    if (!f.types.empty() && std::find(f.types.begin(), f.types.end(),
                                      static_cast<ValueType>(sig.type)) == f.types.end()) {
      continue;
    }
    if (!f.signals.empty() &&
        std::find(signals.begin(), signals.end(), st.signal) == signals.end()) {
      continue;
    }
    if (!f.devices.empty() &&
        std::find(f.devices.begin(), f.devices.end(), device) == f.devices.end()) {
      continue;
    }
    if (f.changed_only && !changed_[r]) continue;
    const store::ValueRecord& v = store_.values()[store_.row_value()[r]];
    const std::string written(store_.str(v.text));
    const std::string shown = Shown(r);
    auto any = [&](const std::string& p) {
      return Hit(f, p, device) || Hit(f, p, name) || (!category.empty() && Hit(f, p, category)) ||
             Hit(f, p, written) || Hit(f, p, shown);
    };
    if (!f.search.empty() && !any(f.search)) continue;
    if (!f.exclude.empty() && any(f.exclude)) continue;
    out->push_back(r);
  }
  if (s.field != SortField::kTimestamp) {
    auto key = [&](RowId r) -> std::tuple<int, double, std::string> {
      const store::StreamRecord& st = store_.streams()[store_.row_stream()[r]];
      const store::SignalRecord& sig = store_.signals()[st.signal];
      switch (s.field) {
        case SortField::kDeviceId:
          return {0, 0, std::string(store_.str(store_.devices()[sig.device].name))};
        case SortField::kSignalName:
          return {0, 0, std::string(store_.str(sig.name))};
        case SortField::kCategory:
          return {0, 0, std::string(store_.str(st.category))};
        case SortField::kType:
          return {0, 0, base::ValueTypeName(static_cast<ValueType>(sig.type))};
        default: {
          const store::ShownValue v = store_.RowValue(r);
          switch (v.type) {
            case ValueType::kBoolean:
              return {0, v.b ? 1.0 : 0.0, ""};
            case ValueType::kInteger:
              return {1, static_cast<double>(v.i), ""};
            case ValueType::kFloat:
              return {1, v.d, ""};
            case ValueType::kString:
              return {2, 0, std::string(v.s)};
          }
        }
      }
      return {};
    };
    std::stable_sort(out->begin(), out->end(), [&](RowId a, RowId b) { return key(a) < key(b); });
  }
  if (s.descending) std::reverse(out->begin(), out->end());
  return true;
}

int64_t BruteForce::IndexOfTime(const std::vector<RowId>& order, int64_t ts) const {
  for (size_t i = 0; i < order.size(); ++i) {
    if (store_.row_time()[order[i]] >= ts) return static_cast<int64_t>(i);
  }
  return -1;
}

std::vector<TimeTreeItem> BruteForce::TimeTree(const std::vector<RowId>& rows) const {
  std::vector<TimeTreeItem> out;
  std::string last;
  for (RowId r : rows) {
    const int64_t t = store_.row_time()[r];
    const std::string shown = base::FormatDisplayMillis(t);  // "YYYY-MM-DD HH:MM:SS.mmm"
    const std::string minute = shown.substr(0, 16);
    if (minute == last) continue;
    last = minute;
    TimeTreeItem item;
    item.date = shown.substr(0, 10);
    item.hour = std::stoi(shown.substr(11, 2));
    item.minute = std::stoi(shown.substr(14, 2));
    item.ts_ns = t;
    out.push_back(item);
  }
  return out;
}

std::vector<RowId> BruteForce::AtTime(const std::vector<std::string>& names, int64_t ts) const {
  std::set<uint32_t> wanted;
  for (uint32_t s : Resolve(names)) wanted.insert(s);
  std::map<uint32_t, RowId> latest;
  for (RowId r = 0; r < store_.row_count() && store_.row_time()[r] <= ts; ++r) {
    const uint32_t s = store_.row_signal(r);
    if (names.empty() || wanted.count(s)) latest[s] = r;
  }
  std::vector<RowId> out;
  out.reserve(latest.size());
  for (auto [s, r] : latest) out.push_back(r);
  return out;
}

std::vector<RowId> BruteForce::Chunk(const std::vector<std::string>& names, int64_t start,
                                     int64_t end) const {
  const std::vector<uint32_t> signals = Resolve(names);
  std::vector<RowId> out;
  for (RowId r = 0; r < store_.row_count(); ++r) {
    const int64_t t = store_.row_time()[r];
    if (t >= start && t <= end &&
        std::find(signals.begin(), signals.end(), store_.row_signal(r)) != signals.end()) {
      out.push_back(r);
    }
  }
  return out;
}

SignalBoundary BruteForce::Boundary(uint32_t signal, int64_t start, int64_t end) const {
  SignalBoundary b;
  b.signal = signal;
  for (RowId r = 0; r < store_.row_count(); ++r) {
    if (store_.row_signal(r) != signal) continue;
    const int64_t t = store_.row_time()[r];
    if (t < start) b.before = r;
    if (t > end && b.after == kNoRow) b.after = r;
  }
  return b;
}

std::string BruteForce::CheckWaveform(const WaveformQuery& q, const SignalWaveform& w) const {
  std::vector<RowId> rows;  // the signal's rows
  for (RowId r = 0; r < store_.row_count(); ++r) {
    if (store_.row_signal(r) == w.signal) rows.push_back(r);
  }
  RowId initial = kNoRow;
  std::vector<RowId> changes;
  for (RowId r : rows) {
    const int64_t t = store_.row_time()[r];
    if (t <= q.start_ns) initial = r;
    if (t > q.start_ns && t <= q.end_ns && changed_[r]) changes.push_back(r);
  }
  if (initial != w.initial) return "initial";
  if (changes.size() != w.changes_in_range) return "changes_in_range";
  const bool few = static_cast<double>(changes.size()) <= q.changes_per_pixel * q.width;
  if (few != (w.mode == SignalWaveform::Mode::kChanges)) return "mode";
  if (few) return changes == w.change_rows ? "" : "change_rows";
  const __int128 span = static_cast<__int128>(q.end_ns) - q.start_ns;
  const bool numeric = w.type == ValueType::kInteger || w.type == ValueType::kFloat;
  for (uint32_t i = 0; i < q.width; ++i) {
    const int64_t lo = static_cast<int64_t>(q.start_ns + span * i / q.width);
    const int64_t hi = static_cast<int64_t>(q.start_ns + span * (i + 1) / q.width);
    RowId first = kNoRow, last = kNoRow;
    uint32_t n = 0, ch = 0;
    double mn = INFINITY, mx = -INFINITY;
    for (RowId r : rows) {
      const int64_t t = store_.row_time()[r];
      if (t < lo || (i + 1 < q.width ? t >= hi : t > q.end_ns)) continue;
      if (first == kNoRow) first = r;
      last = r;
      ++n;
      ch += changed_[r];
      if (numeric) {
        const store::ShownValue v = store_.RowValue(r);
        const double d = v.type == ValueType::kInteger ? static_cast<double>(v.i) : v.d;
        mn = std::min(mn, d);
        mx = std::max(mx, d);
      }
    }
    const std::string col = " at column " + std::to_string(i);
    if (first != w.first_row[i] || last != w.last_row[i]) return "first/last" + col;
    if (n != w.samples[i]) return "samples" + col;
    if (ch != w.changes[i]) return "changes" + col;
    if (numeric && n > 0 && (mn != w.min[i] || mx != w.max[i])) return "min/max" + col;
    if ((!numeric || n == 0) && !(std::isnan(w.min[i]) && std::isnan(w.max[i]))) {
      return "NaN" + col;
    }
  }
  return "";
}

bool BruteForce::Holds(const Condition& c, RowId r) const {
  const store::ShownValue v = store_.RowValue(r);
  const std::string want(base::Trim(c.value));
  double num = 0;
  int64_t i;
  const bool want_num = base::ParseInteger(want, &i) ? (num = static_cast<double>(i), true)
                                                     : base::ParseFloat(want, &num);
  bool b;
  bool want_bool = base::ParseBooleanWord(want, &b);
  if (!want_bool && want_num && (num == 0 || num == 1)) {
    want_bool = true;
    b = num == 1;
  }
  double x = 0;
  bool have_x = true;
  switch (v.type) {
    case ValueType::kBoolean:
      x = v.b;
      break;
    case ValueType::kInteger:
      x = static_cast<double>(v.i);
      break;
    case ValueType::kFloat:
      x = v.d;
      break;
    case ValueType::kString:
      have_x = base::ParseInteger(v.s, &i) ? (x = static_cast<double>(i), true)
                                           : base::ParseFloat(v.s, &x);
      break;
  }
  bool eq = false;
  switch (v.type) {
    case ValueType::kBoolean:
      eq = want_bool && v.b == b;
      break;
    case ValueType::kInteger:
    case ValueType::kFloat:
      eq = want_num && x == num;
      break;
    case ValueType::kString:
      eq = v.s == want;
      break;
  }
  switch (c.op) {
    case ConditionOp::kNotEmpty:
      return !Shown(r).empty();
    case ConditionOp::kEquals:
      return eq;
    case ConditionOp::kNotEquals:
      return !eq;
    case ConditionOp::kGreater:
      return have_x && x > num;
    case ConditionOp::kLess:
      return have_x && x < num;
  }
  return false;
}

std::vector<TransitionInterval> BruteForce::Transitions(const TransitionRule& rule) const {
  std::vector<std::pair<RowId, RowId>> pairs;
  const std::vector<uint32_t> a_sigs = Resolve({rule.start.signal});
  const std::vector<uint32_t> b_sigs = Resolve({rule.end.signal});
  auto in = [](const std::vector<uint32_t>& v, uint32_t s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  auto device_of = [&](uint32_t sig) { return store_.signals()[sig].device; };
  // Each device is its own series; an A->B start on a device that the end's
  // signal is also on waits for that device's end, any other for any end.
  std::set<uint32_t> b_devices;
  for (uint32_t s : b_sigs) b_devices.insert(device_of(s));
  std::map<uint32_t, bool> prev_a, prev_b, prev_empty;
  std::map<uint32_t, RowId> opened_empty, open, last_a;  // open, last_a: by device
  for (RowId r = 0; r < store_.row_count(); ++r) {
    const uint32_t s = store_.row_signal(r);
    const uint32_t d = device_of(s);
    bool a_event = false, b_event = false;
    if (in(a_sigs, s)) {
      const bool h = Holds(rule.start, r);
      a_event = h && !prev_a[s];
      prev_a[s] = h;
    }
    if (rule.type == RuleType::kAToB && in(b_sigs, s)) {
      const bool h = Holds(rule.end, r);
      b_event = h && !prev_b[s];
      prev_b[s] = h;
    }
    switch (rule.type) {
      case RuleType::kCycle:
        if (a_event) {
          if (last_a.count(d)) pairs.emplace_back(last_a[d], r);
          last_a[d] = r;
        }
        break;
      case RuleType::kAToB:
        if (b_event) {
          for (auto it = open.begin(); it != open.end();) {
            const bool closes = b_devices.count(it->first) ? it->first == d : true;
            if (closes && r > it->second) {
              pairs.emplace_back(it->second, r);
              it = open.erase(it);
            } else {
              ++it;
            }
          }
        }
        if (a_event && !open.count(d)) open[d] = r;
        break;
      case RuleType::kValuePopulated:
        if (in(a_sigs, s)) {
          const bool empty = Shown(r).empty();
          if (empty && !prev_empty[s]) opened_empty[s] = r;
          if (!empty && prev_empty[s] && opened_empty.count(s)) {
            pairs.emplace_back(opened_empty[s], r);
            opened_empty.erase(s);
          }
          prev_empty[s] = empty;
        }
        break;
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<TransitionInterval> out;
  for (auto [a, b] : pairs) {
    TransitionInterval iv;
    iv.start_row = a;
    iv.end_row = b;
    iv.start_ns = store_.row_time()[a];
    iv.end_ns = store_.row_time()[b];
    iv.duration_ms = static_cast<double>(iv.end_ns - iv.start_ns) / 1e6;
    out.push_back(iv);
  }
  return out;
}

}  // namespace plcscope::query::testing
