#include "query/vcd_export.h"

#include <algorithm>
#include <charconv>
#include <queue>

#include "base/time_util.h"

namespace plcscope::query {

std::string VcdIdentifier(uint64_t i) {
  std::string id;
  do {
    id.push_back(static_cast<char>('!' + i % 94));
    i /= 94;
  } while (i > 0);
  return id;
}

namespace {

using base::ValueType;

constexpr size_t kChunkBytes = 64 * 1024;

// A VCD reference name: no whitespace, no brackets (bit selects), printable.
std::string VcdName(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u <= ' ' || u > '~' || c == '[' || c == ']' || c == '$' ? '_' : c);
  }
  if (out.empty()) out = "_";
  return out;
}

void AppendEscaped(std::string_view s, std::string* out) {
  static const char* kHex = "0123456789abcdef";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u > '~' || c == '\\') {
      out->append("\\x");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
}

// The value part of a change record (without the identifier).
void AppendValue(const store::ShownValue& v, std::string* out) {
  switch (v.type) {
    case ValueType::kBoolean:
      out->push_back(v.b ? '1' : '0');
      return;
    case ValueType::kInteger: {
      out->push_back('b');
      const auto u = static_cast<uint64_t>(v.i);
      if (u == 0) {
        out->push_back('0');
        return;
      }
      // Negative numbers in all 64 bits: VCD extends a leading 1 with 0s.
      int top = 63;
      while (top > 0 && !((u >> top) & 1)) --top;
      for (int b = top; b >= 0; --b) out->push_back(((u >> b) & 1) ? '1' : '0');
      return;
    }
    case ValueType::kFloat: {
      out->push_back('r');
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof buf, v.d);
      out->append(buf, res.ptr);
      return;
    }
    case ValueType::kString:
      out->push_back('s');
      AppendEscaped(v.s, out);
      return;
  }
}

struct Var {
  uint32_t signal;
  ValueType type;
  std::string id;
  std::span<const uint32_t> rows;
  size_t pos = 0, end = 0;  // rows[pos, end): samples with start < t <= end
  std::string last;         // the value last written
  bool written = false;
};

}  // namespace

base::Status ExportVcd(const store::Store& store, const VcdQuery& q, const ExportSink& sink,
                       const Deadline& deadline) {
  if (q.end_ns < q.start_ns) return base::InvalidArgument("end must not be before start");
  const auto time = store.row_time();
  // Rows with time <= start are before r0; rows with time <= end before r1.
  const auto r0 =
      static_cast<uint32_t>(std::upper_bound(time.begin(), time.end(), q.start_ns) - time.begin());
  const auto r1 =
      static_cast<uint32_t>(std::upper_bound(time.begin(), time.end(), q.end_ns) - time.begin());
  std::vector<Var> vars;
  vars.reserve(q.signals.size());
  for (size_t i = 0; i < q.signals.size(); ++i) {
    Var v;
    v.signal = q.signals[i];
    v.type = store.signal_type(v.signal);
    v.id = VcdIdentifier(i);
    v.rows = store.signal_rows(v.signal);
    v.pos = std::lower_bound(v.rows.begin(), v.rows.end(), r0) - v.rows.begin();
    v.end = std::lower_bound(v.rows.begin(), v.rows.end(), r1) - v.rows.begin();
    vars.push_back(std::move(v));
  }

  int64_t unit = 1000;
  if (q.timescale == VcdTimescale::kNs) unit = 1;
  if (q.timescale == VcdTimescale::kAuto) {
    uint64_t n = 0;
    for (const Var& v : vars) {
      for (size_t i = v.pos; i < v.end && unit != 1; ++i) {
        if ((time[v.rows[i]] - q.start_ns) % 1000 != 0) unit = 1;
        if (++n % kPollRows == 0) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
      }
    }
  }

  std::string out;
  out.reserve(kChunkBytes + 4096);
  auto flush = [&](bool force) -> base::Status {
    if (out.empty() || (!force && out.size() < kChunkBytes)) return base::Status::Ok();
    if (!sink(out)) return base::IoError("the VCD export was stopped by its receiver");
    out.clear();
    return base::Status::Ok();
  };

  out.append("$date\n  ").append(base::FormatRfc3339Millis(q.start_ns)).append("\n$end\n");
  out.append("$version\n  plcscope ").append(q.version).append("\n$end\n");
  out.append("$comment\n  time 0 = ").append(base::FormatRfc3339Millis(q.start_ns));
  out.append(" start_ns=").append(std::to_string(q.start_ns));
  out.append(" end_ns=").append(std::to_string(q.end_ns)).append("\n$end\n");
  out.append(unit == 1 ? "$timescale 1 ns $end\n" : "$timescale 1 us $end\n");

  // Declarations grouped by device, devices in first-seen order.
  std::vector<uint32_t> devices;
  for (const Var& v : vars) {
    const uint32_t d = store.signals()[v.signal].device;
    if (std::find(devices.begin(), devices.end(), d) == devices.end()) devices.push_back(d);
  }
  for (uint32_t d : devices) {
    out.append("$scope module ")
        .append(VcdName(store.str(store.devices()[d].name)))
        .append(" $end\n");
    for (const Var& v : vars) {
      const store::SignalRecord& s = store.signals()[v.signal];
      if (s.device != d) continue;
      switch (v.type) {
        case ValueType::kBoolean:
          out.append("$var wire 1 ");
          break;
        case ValueType::kInteger:
          out.append("$var integer 64 ");
          break;
        case ValueType::kFloat:
          out.append("$var real 64 ");
          break;
        case ValueType::kString:
          out.append("$var string 1 ");
          break;
      }
      out.append(v.id).push_back(' ');
      out.append(VcdName(store.str(s.name))).append(" $end\n");
    }
    out.append("$upscope $end\n");
  }
  out.append("$enddefinitions $end\n#0\n$dumpvars\n");

  auto write = [&](Var& v, uint32_t row) {
    std::string value;
    AppendValue(store.Shown(v.signal, store.row_value()[row]), &value);
    if (v.written && value == v.last) return false;
    out.append(value);
    if (v.type != ValueType::kBoolean) out.push_back(' ');
    out.append(v.id).push_back('\n');
    v.last = std::move(value);
    v.written = true;
    return true;
  };
  for (Var& v : vars) {
    if (v.pos > 0) {
      write(v, v.rows[v.pos - 1]);
    } else if (v.type == ValueType::kBoolean) {
      out.append("x").append(v.id).push_back('\n');
    } else if (v.type == ValueType::kInteger) {
      out.append("bx ").append(v.id).push_back('\n');
    }
  }
  out.append("$end\n");

  // Every sample in (start, end], merged in row (= time) order.
  using Item = std::pair<uint32_t, uint32_t>;  // row, var
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  for (uint32_t i = 0; i < vars.size(); ++i) {
    if (vars[i].pos < vars[i].end) heap.emplace(vars[i].rows[vars[i].pos], i);
  }
  int64_t written_time = 0;
  uint64_t n = 0;
  while (!heap.empty()) {
    const auto [row, i] = heap.top();
    heap.pop();
    Var& v = vars[i];
    const size_t p = v.pos++;
    if (v.pos < v.end) heap.emplace(v.rows[v.pos], i);
    if (++n % kPollRows == 0) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    const int64_t t = time[row];
    // Of several samples at one instant, the last is the value.
    if (p + 1 < v.end && time[v.rows[p + 1]] == t) continue;
    const int64_t rel = (t - q.start_ns) / unit;
    if (rel != written_time) {
      // Written lazily: only when a value changes at this instant.
      std::string stamp = "#" + std::to_string(rel) + "\n";
      const size_t mark = out.size();
      out.append(stamp);
      if (!write(v, row)) {
        out.resize(mark);
        continue;
      }
      written_time = rel;
    } else {
      write(v, row);
    }
    PLCSCOPE_RETURN_IF_ERROR(flush(false));
  }
  const int64_t last = (q.end_ns - q.start_ns) / unit;
  if (last != written_time) out.append("#").append(std::to_string(last)).push_back('\n');
  return flush(true);
}

}  // namespace plcscope::query
