// ClickHouseNode: one ClickHouse server's HTTP interface (docs/clickhouse.md),
// the only way plcscope talks to ClickHouse. A statement goes in the request
// body, or, for an INSERT with data, in the `query` parameter with the data
// (gzip-compressed) as the body. Every error names the node and carries
// ClickHouse's own message ("Code: 60, e.displayText() = ...").
//
// Thread safety: one node object may be used from many threads at once (each
// call opens its own connection).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace plcscope::fleet {

struct NodeAddress {
  std::string host;
  int port = 8123;
  std::string url;  // as given, for messages
};

// "http://host[:port][/]" -> the address; other schemes, paths or a missing
// host are kInvalidArgument errors that say what is wrong.
base::Result<NodeAddress> ParseNodeUrl(std::string_view url);
// "URL[,URL...]" -> the addresses, in order.
base::Result<std::vector<NodeAddress>> ParseNodeList(std::string_view urls);

class ClickHouseNode {
 public:
  explicit ClickHouseNode(NodeAddress address, int timeout_s = 300)
      : address_(std::move(address)), timeout_s_(timeout_s) {}

  const std::string& url() const { return address_.url; }

  // Runs one statement; returns the response body (a SELECT's rows in the
  // format the statement names; empty for DDL).
  base::Result<std::string> Query(const std::string& sql) const;
  // "INSERT INTO t FORMAT RowBinary" with `data`, gzip-compressed here
  // when `gzip` (a network's bandwidth over a CPU's time).
  base::Status Insert(const std::string& insert_sql, std::string_view data, bool gzip = true) const;
  // GET /ping answers "Ok.".
  base::Status Ping() const;

 private:
  base::Result<std::string> Post(const std::string& target, const std::string& body,
                                 bool gzip) const;
  NodeAddress address_;
  int timeout_s_;
};

// gzip of `data` at level 1 (the batches are large; speed over ratio:
// ClickHouse compresses the columns again on disk).
std::string Gzip(std::string_view data);
// Percent-encoding for a URL query parameter.
std::string UrlEncode(std::string_view s);
// A SQL string literal: 'it''s' with backslashes and quotes escaped.
std::string SqlString(std::string_view s);

}  // namespace plcscope::fleet
