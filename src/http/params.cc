#include "http/params.h"

#include <charconv>
#include <cmath>

namespace plcscope::http {

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto r = std::from_chars(b, s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseFiniteDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto r = std::from_chars(b, s.data() + s.size(), *out, std::chars_format::general);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(*out);
}

bool ParseBoolText(std::string_view s, bool* out) {
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if ((s[i] | 0x20) != w[i]) return false;
    }
    return true;
  };
  if (eq("true") || s == "1") {
    *out = true;
    return true;
  }
  if (eq("false") || s == "0") {
    *out = false;
    return true;
  }
  return false;
}

bool IntParam(const Request& req, std::string_view name, int64_t* out, ApiError* err) {
  const std::string* v = req.Query(name);
  if (v == nullptr || v->empty()) return true;
  if (!ParseInt64(*v, out)) {
    *err = BadParameter(name, "must be an integer, got '" + v->substr(0, 64) + "'");
    return false;
  }
  return true;
}

bool DoubleParam(const Request& req, std::string_view name, std::optional<double>* out,
                 ApiError* err) {
  const std::string* v = req.Query(name);
  if (v == nullptr || v->empty()) return true;
  double d;
  if (!ParseFiniteDouble(*v, &d)) {
    *err = BadParameter(name, "must be a number, got '" + v->substr(0, 64) + "'");
    return false;
  }
  *out = d;
  return true;
}

bool BoolParam(const Request& req, std::string_view name, bool* out, ApiError* err) {
  const std::string* v = req.Query(name);
  if (v == nullptr || v->empty()) return true;
  if (!ParseBoolText(*v, out)) {
    *err = BadParameter(name, "must be true or false, got '" + v->substr(0, 64) + "'");
    return false;
  }
  return true;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(',', i);
    if (j == std::string_view::npos) {
      out.emplace_back(s.substr(i));
      break;
    }
    out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

namespace {
int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}
}  // namespace

bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (unsigned char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return false;  // data after padding
    const int v = Base64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return bits < 6;  // a single leftover sextet is not valid base64
}

std::string EncodeBase64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace plcscope::http
