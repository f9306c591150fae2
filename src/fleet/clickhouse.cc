#include "fleet/clickhouse.h"

#include <httplib.h>
#include <zlib.h>

#include <charconv>

namespace plcscope::fleet {

base::Result<NodeAddress> ParseNodeUrl(std::string_view url) {
  NodeAddress a;
  a.url = std::string(url);
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return base::InvalidArgument("ClickHouse URL '" + a.url +
                                 "' must start with http:// (its HTTP interface)");
  }
  std::string_view rest = url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos || rest.find('?') != std::string_view::npos ||
      rest.find('@') != std::string_view::npos) {
    return base::InvalidArgument("ClickHouse URL '" + a.url +
                                 "' must be http://host[:port] (no path, query or user)");
  }
  const size_t colon = rest.rfind(':');
  std::string_view host = rest;
  if (colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    host = rest.substr(0, colon);
    const std::string_view port = rest.substr(colon + 1);
    int p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) {
      return base::InvalidArgument("ClickHouse URL '" + a.url + "' has a bad port");
    }
    a.port = p;
  }
  if (host.empty()) return base::InvalidArgument("ClickHouse URL '" + a.url + "' has no host");
  a.host = std::string(host);
  return a;
}

base::Result<std::vector<NodeAddress>> ParseNodeList(std::string_view urls) {
  std::vector<NodeAddress> out;
  size_t i = 0;
  while (i <= urls.size()) {
    size_t comma = urls.find(',', i);
    if (comma == std::string_view::npos) comma = urls.size();
    auto a = ParseNodeUrl(urls.substr(i, comma - i));
    if (!a.ok()) return a.status();
    out.push_back(std::move(*a));
    i = comma + 1;
  }
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string SqlString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

base::Result<std::string> ClickHouseNode::Post(const std::string& target, const std::string& body,
                                               bool gzip) const {
  httplib::Client cli(address_.host, address_.port);
  cli.set_connection_timeout(10);
  cli.set_read_timeout(timeout_s_);
  cli.set_write_timeout(timeout_s_);
  httplib::Headers headers;
  if (gzip) headers.emplace("Content-Encoding", "gzip");
  auto r = cli.Post(target, headers, body, "text/plain");
  if (!r) {
    return base::IoError("ClickHouse at " + address_.url +
                         " cannot be reached: " + httplib::to_string(r.error()));
  }
  if (r->status != 200) {
    std::string msg = r->body.substr(0, 2000);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return base::IoError("ClickHouse at " + address_.url + " answered " +
                         std::to_string(r->status) + ": " + msg);
  }
  return std::move(r->body);
}

base::Result<std::string> ClickHouseNode::Query(const std::string& sql) const {
  return Post("/", sql, false);
}

base::Status ClickHouseNode::Insert(const std::string& insert_sql, std::string_view data,
                                    bool gzip) const {
  auto r = Post("/?query=" + UrlEncode(insert_sql), gzip ? Gzip(data) : std::string(data), gzip);
  return r.ok() ? base::Status::Ok() : r.status();
}

base::Status ClickHouseNode::Ping() const {
  httplib::Client cli(address_.host, address_.port);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(5);
  auto r = cli.Get("/ping");
  if (!r) {
    return base::IoError("ClickHouse at " + address_.url +
                         " cannot be reached: " + httplib::to_string(r.error()));
  }
  if (r->status != 200 || r->body.rfind("Ok.", 0) != 0) {
    return base::IoError("ClickHouse at " + address_.url +
                         " is not ready (/ping: " + std::to_string(r->status) + ")");
  }
  return base::Status::Ok();
}

}  // namespace plcscope::fleet
