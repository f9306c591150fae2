#include "app/dump_writer.h"

#include <charconv>
#include <cmath>

namespace plcscope::app {
namespace {

// Length of a valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  uint32_t cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        *out += "\\\"";
        ++i;
        continue;
      case '\\':
        *out += "\\\\";
        ++i;
        continue;
      case '\n':
        *out += "\\n";
        ++i;
        continue;
      case '\r':
        *out += "\\r";
        ++i;
        continue;
      case '\t':
        *out += "\\t";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      *out += "\\u00";
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
      ++i;
      continue;
    }
    const size_t len = Utf8Length(s, i);
    if (len == 0) {
      *out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out->append(s.data() + i, len);
      i += len;
    }
  }
  out->push_back('"');
}

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

void AppendShownValue(std::string* out, const store::ShownValue& v) {
  char buf[64];
  switch (v.type) {
    case base::ValueType::kBoolean:
      *out += v.b ? "true" : "false";
      return;
    case base::ValueType::kInteger: {
      auto res = std::to_chars(buf, buf + sizeof buf, v.i);
      out->append(buf, res.ptr);
      return;
    }
    case base::ValueType::kFloat: {
      if (!std::isfinite(v.d)) {
        *out += "null";
        return;
      }
      auto res = std::to_chars(buf, buf + sizeof buf, v.d);
      out->append(buf, res.ptr);
      return;
    }
    case base::ValueType::kString:
      AppendJsonString(out, v.s);
      return;
  }
}

void AppendRowJson(std::string* out, const store::Store& s, uint64_t row, bool with_source) {
  const store::StreamRecord& st = s.streams()[s.row_stream()[row]];
  const store::SignalRecord& sig = s.signals()[st.signal];
  *out += "{\"ts\":";
  AppendMillis(out, s.row_time()[row]);
  *out += ",\"device\":";
  AppendJsonString(out, s.str(s.devices()[sig.device].name));
  *out += ",\"signal\":";
  AppendJsonString(out, s.str(sig.name));
  if (st.category != store::kNoCategory && !s.str(st.category).empty()) {
    *out += ",\"category\":";
    AppendJsonString(out, s.str(st.category));
  }
  const store::ShownValue v = s.Shown(st.signal, s.row_value()[row]);
  *out += ",\"type\":\"";
  *out += base::ValueTypeName(v.type);
  *out += "\",\"value\":";
  AppendShownValue(out, v);
  if (with_source) {
    *out += ",\"source\":";
    *out += std::to_string(st.source);
  }
  *out += "}\n";
}

void AppendErrorJson(std::string* out, const store::ParseErrorRecord& e, bool with_source) {
  out->push_back('{');
  if (with_source) {
    *out += "\"source\":";
    *out += std::to_string(e.source);
    out->push_back(',');
  }
  *out += "\"line\":";
  *out += std::to_string(e.line);
  *out += ",\"reason\":";
  AppendJsonString(out, e.reason);
  *out += ",\"content\":";
  AppendJsonString(out, e.content);
  *out += "}\n";
}

}  // namespace plcscope::app
