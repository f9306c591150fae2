// The transport's WebSocket session (internal to server.cc): BeastWebSocket
// is the http::WebSocket (websocket.h) that a WebSocket route's handler
// gets, Beast's websocket stream over the connection's FdStream: handshake,
// framing, ping/pong and close, messages up to kMaxWebSocketMessage bytes.
// Used by the one worker thread that serves the connection; not thread-safe.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cstddef>
#include <string_view>

#include "http/server_stream.h"
#include "http/websocket.h"

namespace plcscope::http {

// The WebSocket closing handshake's last step on an FdStream (found by
// Beast through argument-dependent lookup).
void teardown(boost::beast::role_type, FdStream& s, boost::beast::error_code& ec);

inline constexpr size_t kMaxWebSocketMessage = 64 << 20;

class BeastWebSocket : public WebSocket {
 public:
  explicit BeastWebSocket(FdStream& io);
  boost::beast::websocket::stream<FdStream&>& stream() { return ws_; }

  // The server's side of the handshake for an upgrade request whose header
  // has been read; the response carries the security headers of every answer.
  template <class Body>
  void Accept(const boost::beast::http::request<Body>& upgrade, boost::beast::error_code& ec) {
    ws_.set_option(boost::beast::websocket::stream_base::decorator(&DecorateResponse));
    ws_.accept(upgrade, ec);
  }

  bool ReadMessage(Message* out) override;
  bool WriteText(std::string_view text) override { return Write(text, false); }
  bool WriteBinary(std::string_view data) override { return Write(data, true); }
  void Close(std::string_view reason) override;

 private:
  static void DecorateResponse(boost::beast::websocket::response_type& r);
  bool Write(std::string_view data, bool binary);

  boost::beast::websocket::stream<FdStream&> ws_;
};

}  // namespace plcscope::http
