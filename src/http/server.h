// HttpServer: the transport (Boost.Beast/Asio, docs/http.md "Transport").
// One io thread accepts connections, reads request headers and waits on idle
// keep-alive connections, all asynchronously and under deadlines; a bounded
// pool of worker threads runs each request whose header is complete: access
// checks (Host, token, cross-origin), the request body (bounded or streamed),
// the handler, and the response (buffered, file or streamed). Handlers see
// only the transport-free Request/Response (http/request.h). Connection,
// header, body and queue limits come from ServerConfig ("transport limits").
// Bind() then Run() on one thread; Stop() from any thread.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "http/api.h"
#include "http/config.h"
#include "http/websocket.h"

namespace plcscope::http {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// "http://127.0.0.1:8080" / "http://[::1]:8080" (no trailing slash).
std::string BaseUrl(const std::string& host, int port);

class Transport;

class HttpServer {
 public:
  // Serves `api`'s router and its WebSocket routes (Api::websocket_routes).
  HttpServer(Api* api, const ServerConfig& config);
  ~HttpServer();

  // Binds the socket (no port sharing: a port in use fails naming it);
  // returns the port (useful with port 0).
  base::Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  void Run();
  // Thread-safe; Run() returns soon after.
  void Stop();
  // Registers a WebSocket route (`:name` segments as in Router). An upgrade
  // request to it passes the same access checks as any request (and the
  // cross-origin check whatever its method), then `handler` runs on a
  // worker for the connection's life. REQUIRES: before Run().
  void AddWebSocket(std::string_view pattern, WebSocketHandler handler);

 private:
  std::unique_ptr<Transport> transport_;
};

}  // namespace plcscope::http
