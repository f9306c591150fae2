// The transport-free shape of an HTTP exchange. Handlers take a Request (a
// small view: method, path parameters, query parameters, headers, body or a
// body reader) and return a Response (status, headers, body or a streaming
// producer). server.cc (Boost.Beast) adapts the wire to these; tests and the fuzzer call
// handlers directly, without sockets. Plain value types, not thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plcscope::http {

// Receives a piece of a streamed request body; returns false to stop reading.
using BodyReceiver = std::function<bool(const char* data, size_t size)>;
// Streams the whole request body through a receiver; false when the client
// went away or the receiver stopped.
using BodyReader = std::function<bool(const BodyReceiver& receiver)>;
// Multipart: `on_part(name, filename)` is called at each part's start and
// returns false to stop; the part's bytes then go to `receiver`.
using PartHeader = std::function<bool(const std::string& name, const std::string& filename)>;
using MultipartReader =
    std::function<bool(const PartHeader& on_part, const BodyReceiver& receiver)>;

struct Request {
  std::string method;                               // "GET", "POST", ...
  std::string path;                                 // "/api/parse/abc/entries", decoded
  std::map<std::string, std::string> path_params;   // ":id" -> "abc"
  std::multimap<std::string, std::string> query;    // decoded query parameters
  std::multimap<std::string, std::string> headers;  // lower-case names

  // Bodies: for ordinary endpoints `body` holds the whole body (bounded by
  // the server's JSON body limit). Streaming endpoints (raw uploads) get
  // `read_body` / `read_multipart` instead and an empty `body`.
  std::string body;
  BodyReader read_body;
  MultipartReader read_multipart;

  // Set to true by the transport when the client has gone away (closed its
  // connection) while the request runs; long handlers, queries and streams
  // poll it and stop. Null when the caller cannot tell (tests, the fuzzer).
  // Shared so that a streamed response, which outlives the handler call,
  // can keep watching it.
  std::shared_ptr<const std::atomic<bool>> client_gone;
  // The router route that matched (its index, Router::Find), -1 when none
  // did; the metrics count requests by it.
  int route = -1;
  // The peer's address ("127.0.0.1", "::1"), for per-client limits and logs.
  std::string remote_addr;

  // True once the client has gone away (false when nobody can tell).
  bool ClientGone() const { return client_gone && client_gone->load(std::memory_order_relaxed); }

  // The first value of a query parameter, or nullptr when absent.
  const std::string* Query(std::string_view name) const;
  // The header's first value (name in lower case), or "".
  std::string Header(std::string_view lower_name) const;
  const std::string& Param(const std::string& name) const;
};

// Writes pieces of a streamed response. Write returns false once the client
// is gone; producers must stop then.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual bool Write(std::string_view data) = 0;
};

// Produces a streamed body piece by piece. Called repeatedly from one
// transport thread until it returns false (done or client gone); `*done` set
// true marks a normal end.
using StreamProducer = std::function<bool(StreamSink& sink)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is streamed (chunked) by calling this once; it writes
  // everything through the sink and returns when finished or the client left.
  StreamProducer stream;
  // A file to send as the body (static UI files); empty when unused.
  std::string file_path;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace plcscope::http
