#include "app/dump_writer.h"

#include <charconv>
#include <cmath>

#include "base/json_writer.h"
#include "query/value_format.h"

namespace plcscope::app {

void AppendMillis(std::string* out, int64_t ns) {
  const bool neg = ns < 0;
  const uint64_t a = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const uint64_t ms = a / 1'000'000, frac = a % 1'000'000;
  if (neg && a != 0) out->push_back('-');
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, ms);
  out->append(buf, res.ptr);
  if (frac != 0) {
    char digits[7];
    uint64_t f = frac;
    for (int k = 5; k >= 0; --k) {
      digits[k] = static_cast<char>('0' + f % 10);
      f /= 10;
    }
    int len = 6;
    while (digits[len - 1] == '0') --len;
    out->push_back('.');
    out->append(digits, static_cast<size_t>(len));
  }
}

void AppendRowJson(std::string* out, const store::Store& s, uint64_t row, bool with_source) {
  const store::StreamRecord& st = s.streams()[s.row_stream()[row]];
  const store::SignalRecord& sig = s.signals()[st.signal];
  *out += "{\"ts\":";
  AppendMillis(out, s.row_time()[row]);
  *out += ",\"device\":";
  base::AppendJsonString(s.str(s.devices()[sig.device].name), out);
  *out += ",\"signal\":";
  base::AppendJsonString(s.str(sig.name), out);
  if (st.category != store::kNoCategory && !s.str(st.category).empty()) {
    *out += ",\"category\":";
    base::AppendJsonString(s.str(st.category), out);
  }
  const store::ShownValue v = s.Shown(st.signal, s.row_value()[row]);
  *out += ",\"type\":\"";
  *out += base::ValueTypeName(v.type);
  *out += "\",\"value\":";
  query::AppendShownJson(v, out);
  if (with_source) {
    *out += ",\"source\":";
    base::AppendJsonUint(st.source, out);
  }
  *out += "}\n";
}

void AppendErrorJson(std::string* out, const store::ParseErrorRecord& e, bool with_source) {
  out->push_back('{');
  if (with_source) {
    *out += "\"source\":";
    base::AppendJsonUint(e.source, out);
    out->push_back(',');
  }
  *out += "\"line\":";
  base::AppendJsonUint(e.line, out);
  *out += ",\"reason\":";
  base::AppendJsonString(e.reason, out);
  *out += ",\"content\":";
  base::AppendJsonString(e.content, out);
  *out += "}\n";
}

}  // namespace plcscope::app
