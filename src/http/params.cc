#include "http/params.h"

#include <algorithm>
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
    return std::equal(s.begin(), s.end(), w.begin(), w.end(),
                      [](char a, char b) { return (a | 0x20) == b; });
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

}  // namespace plcscope::http
