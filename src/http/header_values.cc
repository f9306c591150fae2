#include "http/header_values.h"

#include <cctype>
#include <map>

namespace plcscope::http {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string MediaType(const std::string& content_type) {
  std::string t = Lower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  size_t b = 0;
  while (b < t.size() && (t[b] == ' ' || t[b] == '\t')) ++b;
  return t.substr(b);
}

std::string HeaderParam(std::string_view value, std::string_view key) {
  size_t i = 0;
  while (i < value.size()) {
    size_t semi = value.find(';', i);
    if (semi == std::string_view::npos) semi = value.size();
    std::string_view item = value.substr(i, semi - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && Lower(item.substr(0, eq)) == key) {
      std::string_view v = item.substr(eq + 1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    i = semi + 1;
  }
  return "";
}

bool ParseRange(const std::string& header, size_t size, bool* use, size_t* first, size_t* last) {
  *use = false;
  if (header.rfind("bytes=", 0) != 0) return true;
  std::string_view spec(header);
  spec.remove_prefix(6);
  if (spec.find(',') != std::string_view::npos) return true;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return true;
  auto number = [](std::string_view s, size_t* out) {
    if (s.empty() || s.size() > 18) return false;
    size_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<size_t>(c - '0');
    }
    *out = v;
    return true;
  };
  size_t a = 0, b = 0;
  const bool has_a = number(spec.substr(0, dash), &a);
  const bool has_b = number(spec.substr(dash + 1), &b);
  if (!has_a && !has_b) return true;
  if (!has_a) {  // suffix
    if (b == 0 || size == 0) return false;
    *first = b >= size ? 0 : size - b;
    *last = size - 1;
  } else {
    if (a >= size) return false;
    *first = a;
    *last = has_b ? std::min(b, size - 1) : size - 1;
    if (has_b && b < a) return true;  // invalid: ignore
  }
  *use = true;
  return true;
}

bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string CookieValue(const std::string& header, std::string_view name) {
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ';')) ++i;
    size_t eq = header.find('=', i);
    size_t end = header.find(';', i);
    if (end == std::string::npos) end = header.size();
    if (eq != std::string::npos && eq < end && std::string_view(header).substr(i, eq - i) == name) {
      return header.substr(eq + 1, end - eq - 1);
    }
    i = end + 1;
  }
  return "";
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UrlDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void ParseQuery(std::string_view q, std::multimap<std::string, std::string>* out) {
  size_t i = 0;
  while (i <= q.size()) {
    size_t amp = q.find('&', i);
    if (amp == std::string_view::npos) amp = q.size();
    std::string_view kv = q.substr(i, amp - i);
    if (!kv.empty()) {
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) {
        out->emplace(UrlDecode(kv, true), "");
      } else {
        out->emplace(UrlDecode(kv.substr(0, eq), true), UrlDecode(kv.substr(eq + 1), true));
      }
    }
    i = amp + 1;
  }
}

std::string HostName(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    return Lower(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  size_t colon = host.find(':');
  return Lower(host.substr(0, colon));
}

std::string Authority(std::string_view authority, bool https) {
  std::string a = Lower(authority);
  const size_t bracket = a.rfind(']');
  const size_t colon = a.rfind(':');
  const bool has_port =
      colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  if (!has_port) a += https ? ":443" : ":80";
  return a;
}

}  // namespace plcscope::http
