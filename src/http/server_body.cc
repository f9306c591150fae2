#include "http/server_body.h"

#include <vector>

#include "http/header_values.h"

namespace plcscope::http {

namespace bhttp = boost::beast::http;

RequestBodyReader::RequestBodyReader(FdStream& io, boost::beast::flat_buffer& buffer,
                                     Parser& parser, const Request& req, uint64_t limit,
                                     std::optional<Inflater::Format> inflate)
    : io_(io),
      buffer_(buffer),
      parser_(parser),
      expect_continue_(parser.get().version() >= 11 &&
                       Lower(req.Header("expect")) == "100-continue"),
      limit_(limit),
      inflate_(inflate) {}

bool RequestBodyReader::Read(const BodyReceiver& receiver) {
  if (parser_.is_done()) return true;
  if (!continue_sent_ && expect_continue_) {
    continue_sent_ = true;
    if (!io_.WriteAll("HTTP/1.1 100 Continue\r\n\r\n")) return false;
  }
  std::vector<char> piece(kBodyPiece);
  while (!parser_.is_done()) {
    parser_.get().body().data = piece.data();
    parser_.get().body().size = piece.size();
    boost::beast::error_code ec;
    bhttp::read_some(io_, buffer_, parser_, ec);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) return false;
    const size_t n = piece.size() - parser_.get().body().size;
    if (n == 0) continue;
    received_ += n;
    if (received_ > limit_) {
      too_big_ = true;
      return false;
    }
    if (!receiver(piece.data(), n)) return false;
  }
  return true;
}

bool RequestBodyReader::ReadDecoded(const BodyReceiver& receiver) {
  if (!inflate_) return Read(receiver);
  Inflater inflater(*inflate_);
  bool fed = true;
  const bool ok = Read([&](const char* d, size_t n) {
    fed = inflater.Feed(d, n, receiver);
    return fed;
  });
  return ok && fed && inflater.Finish();
}

}  // namespace plcscope::http
