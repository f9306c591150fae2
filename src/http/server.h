// HttpServer: the transport. Adapts cpp-httplib 0.11 to the Api's Router:
// access control (token for non-loopback hosts), request bodies (bounded or
// streamed), streamed responses, static UI files, one log line per request,
// and JSON errors for everything httplib rejects itself. Handlers never see
// httplib. Start() binds, Run() serves until Stop() (any thread).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/api.h"
#include "http/config.h"

namespace httplib {
class Server;
}

namespace plcscope::http {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

class HttpServer {
 public:
  HttpServer(Api* api, const ServerConfig& config);
  ~HttpServer();

  // Binds the socket; returns the port (useful with port 0).
  base::Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  void Run();
  void Stop();

 private:
  void Install();

  Api* const api_;
  const ServerConfig config_;
  const bool require_token_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace plcscope::http
