#include "http/server_websocket.h"

#include <sys/socket.h>

#include <string>

namespace plcscope::http {

namespace net = boost::asio;
namespace beast = boost::beast;

void teardown(beast::role_type, FdStream& s, beast::error_code& ec) {
  ::shutdown(s.fd(), SHUT_WR);
  ec = {};
}

BeastWebSocket::BeastWebSocket(FdStream& io) : ws_(io) {
  ws_.read_message_max(kMaxWebSocketMessage);
  ws_.auto_fragment(false);
}

void BeastWebSocket::DecorateResponse(beast::websocket::response_type& r) {
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set("X-Frame-Options", "DENY");
}

bool BeastWebSocket::ReadMessage(Message* out) {
  beast::flat_buffer b;
  beast::error_code ec;
  ws_.read(b, ec);
  if (ec) return false;
  out->binary = ws_.got_binary();
  out->data = beast::buffers_to_string(b.data());
  return true;
}

void BeastWebSocket::Close(std::string_view reason) {
  if (!ws_.is_open()) return;
  beast::error_code ec;
  ws_.close(beast::websocket::close_reason(beast::websocket::close_code::normal,
                                           std::string(reason.substr(0, 120))),
            ec);
}

bool BeastWebSocket::Write(std::string_view data, bool binary) {
  beast::error_code ec;
  ws_.binary(binary);
  ws_.write(net::buffer(data.data(), data.size()), ec);
  return !ec;
}

}  // namespace plcscope::http
