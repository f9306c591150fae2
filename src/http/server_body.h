// The transport's request-body reader (internal to server.cc): reads the body
// of one request whose header Beast's parser has read, for the worker thread
// that serves it. It answers "Expect: 100-continue" once, reads through the
// parser in kBodyPiece pieces under the FdStream's read deadline, counts the
// bytes against the route's limit (too_big()) and, for buffered JSON bodies
// sent in gzip or deflate, decodes them completely or not at all. Used by one
// thread; not thread-safe.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "http/request.h"
#include "http/server_stream.h"
#include "http/upload_writer.h"

namespace plcscope::http {

inline constexpr size_t kBodyPiece = 64 << 10;

class RequestBodyReader {
 public:
  using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

  // `inflate`: the Content-Encoding that ReadDecoded undoes (none: as sent).
  RequestBodyReader(FdStream& io, boost::beast::flat_buffer& buffer, Parser& parser,
                    const Request& req, uint64_t limit, std::optional<Inflater::Format> inflate);

  // Streams the body as sent through `receiver`; false on a cut, a timeout,
  // a malformed chunk, the limit (too_big()), or the receiver stopping.
  bool Read(const BodyReceiver& receiver);
  // Read, with the Content-Encoding undone; false also on corrupt or
  // truncated compressed data.
  bool ReadDecoded(const BodyReceiver& receiver);

  // The body went past the limit.
  bool too_big() const { return too_big_; }

 private:
  FdStream& io_;
  boost::beast::flat_buffer& buffer_;
  Parser& parser_;
  const bool expect_continue_;
  const uint64_t limit_;
  const std::optional<Inflater::Format> inflate_;
  bool continue_sent_ = false;
  uint64_t received_ = 0;
  bool too_big_ = false;
};

}  // namespace plcscope::http
