#include "base/value_text.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace plcscope::base {
namespace {

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != b[i]) return false;
  }
  return true;
}

inline int DigitValue(char c, int base) {
  int v;
  if (c >= '0' && c <= '9') {
    v = c - '0';
  } else if (c >= 'a' && c <= 'f') {
    v = c - 'a' + 10;
  } else if (c >= 'A' && c <= 'F') {
    v = c - 'A' + 10;
  } else {
    return -1;
  }
  return v < base ? v : -1;
}

}  // namespace

const char* ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kBoolean:
      return "boolean";
    case ValueType::kInteger:
      return "integer";
    case ValueType::kFloat:
      return "float";
    case ValueType::kString:
      return "string";
  }
  return "string";
}

bool ParseValueTypeName(std::string_view name, ValueType* out) {
  for (ValueType t :
       {ValueType::kBoolean, ValueType::kInteger, ValueType::kFloat, ValueType::kString}) {
    if (EqualsNoCase(name, ValueTypeName(t))) {
      *out = t;
      return true;
    }
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool ParseInteger(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  bool neg = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  int base = 10;
  if (s.size() >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    base = 16;
    i += 2;
  } else if (s.size() >= i + 2 && s[i] == '0' && (s[i + 1] == 'b' || s[i + 1] == 'B')) {
    base = 2;
    i += 2;
  }
  if (i >= s.size()) return false;
  // Magnitude accumulated as unsigned to allow INT64_MIN.
  uint64_t mag = 0;
  bool prev_digit = false;
  int digits = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_' || (c == ',' && base == 10)) {
      // A separator must sit between two digits.
      if (!prev_digit || i + 1 >= s.size() || DigitValue(s[i + 1], base) < 0) return false;
      prev_digit = false;
      continue;
    }
    int d = DigitValue(c, base);
    if (d < 0) return false;
    if (mag > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    mag = mag * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    prev_digit = true;
    ++digits;
  }
  if (digits == 0) return false;
  if (neg) {
    if (mag > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - mag);
  } else {
    if (mag > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

bool ParseFloat(std::string_view s, double* out) {
  // Grammar: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]
  size_t i = 0, n = s.size();
  if (n == 0) return false;
  if (s[i] == '+' || s[i] == '-') ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  bool dot = false;
  if (i < n && s[i] == '.') {
    dot = true;
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  bool exp = false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    exp = true;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e_digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++e_digits;
    if (e_digits == 0) return false;
  }
  if (i != n || (!dot && !exp)) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto res = std::from_chars(b, s.data() + n, *out);
  if (res.ec == std::errc::result_out_of_range) {
    // Keep overflow as infinity rather than losing the sample's type.
    std::string tmp(s);
    *out = std::strtod(tmp.c_str(), nullptr);
    return true;
  }
  return res.ec == std::errc() && res.ptr == s.data() + n;
}

bool ParseBooleanWord(std::string_view s, bool* out) {
  if (s.size() < 2 || s.size() > 5) return false;
  if (EqualsNoCase(s, "on") || EqualsNoCase(s, "true") || EqualsNoCase(s, "yes")) {
    *out = true;
    return true;
  }
  if (EqualsNoCase(s, "off") || EqualsNoCase(s, "false") || EqualsNoCase(s, "no")) {
    *out = false;
    return true;
  }
  return false;
}

ParsedValue InferValue(std::string_view s, DeclaredType declared) {
  ParsedValue v;
  bool b;
  int64_t i;
  double d;
  switch (declared) {
    case DeclaredType::kString:
      return v;
    case DeclaredType::kFlag:
      v.kind = ValueType::kBoolean;
      v.bits =
          (EqualsNoCase(s, "true") || s == "1" || EqualsNoCase(s, "yes") || EqualsNoCase(s, "on"))
              ? 1
              : 0;
      return v;
    case DeclaredType::kBoolean:
      if (ParseBooleanWord(s, &b)) {
        v.kind = ValueType::kBoolean;
        v.bits = b;
      } else if (s == "1" || s == "0") {
        v.kind = ValueType::kBoolean;
        v.bits = s == "1";
      }
      return v;
    case DeclaredType::kInteger:
      if (ParseInteger(s, &i)) {
        v.kind = ValueType::kInteger;
        v.bits = i;
      }
      return v;
    case DeclaredType::kInfer:
      break;
  }
  if (s.empty()) return v;
  if (ParseBooleanWord(s, &b)) {
    v.kind = ValueType::kBoolean;
    v.bits = b;
  } else if (ParseInteger(s, &i)) {
    v.kind = ValueType::kInteger;
    v.bits = i;
  } else if (ParseFloat(s, &d)) {
    v = ParsedValue::Float(d);
  }
  return v;
}

}  // namespace plcscope::base
