// WebSocket routes, transport-free: a handler gets the upgrade Request and a
// WebSocket with blocking message I/O; the transport (server.cc, Beast's
// websocket) does the handshake, framing, ping/pong and close. The handler
// runs on a worker thread for the connection's whole life and returns when
// it is done (the transport then closes). One WebSocket is used by one
// thread at a time; not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace plcscope::http {

class WebSocket {
 public:
  struct Message {
    bool binary = false;
    std::string data;
  };

  virtual ~WebSocket() = default;
  // Blocks for the next whole message (bounded by the transport's message
  // size limit and idle timeout); false once the peer closed, timed out or
  // broke the protocol.
  virtual bool ReadMessage(Message* out) = 0;
  // False once the peer is gone.
  virtual bool WriteText(std::string_view text) = 0;
  virtual bool WriteBinary(std::string_view data) = 0;
  // Sends a close frame (normal closure, optional reason).
  virtual void Close(std::string_view reason = "") = 0;
};

using WebSocketHandler = std::function<void(Request& req, WebSocket& ws)>;

}  // namespace plcscope::http
