#include "http/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>

#include "base/mapped_file.h"
#include "http/api_error.h"
#include "http/static_files.h"

namespace plcscope::http {

namespace {

thread_local std::chrono::steady_clock::time_point t_request_start;

constexpr const char* kCookieName = "plcscope_token";

bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string CookieValue(const std::string& header, std::string_view name) {
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ';')) ++i;
    size_t eq = header.find('=', i);
    size_t end = header.find(';', i);
    if (end == std::string::npos) end = header.size();
    if (eq != std::string::npos && eq < end && std::string_view(header).substr(i, eq - i) == name) {
      return header.substr(eq + 1, end - eq - 1);
    }
    i = end + 1;
  }
  return "";
}

class SinkAdapter : public StreamSink {
 public:
  explicit SinkAdapter(httplib::DataSink& sink) : sink_(sink) {}
  bool Write(std::string_view data) override {
    if (data.empty()) return true;
    return sink_.write(data.data(), data.size());
  }

 private:
  httplib::DataSink& sink_;
};

void ToHttplib(Response&& r, httplib::Response& res) {
  res.status = r.status;
  for (auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.stream) {
    auto producer = std::make_shared<StreamProducer>(std::move(r.stream));
    res.set_chunked_content_provider(r.content_type, [producer](size_t, httplib::DataSink& sink) {
      SinkAdapter a(sink);
      const bool ok = (*producer)(a);
      if (ok) sink.done();
      return ok;
    });
    return;
  }
  if (!r.file_path.empty()) {
    auto text = base::ReadFileToString(r.file_path);
    if (!text.ok()) {
      Response e = ErrorResponse(500, "IO_ERROR", "A UI file cannot be read.");
      res.status = e.status;
      res.set_content(e.body, e.content_type);
      return;
    }
    res.set_content(std::move(*text), r.content_type);
    return;
  }
  if (r.content_type.empty()) {
    res.body.clear();
    return;
  }
  res.set_content(std::move(r.body), r.content_type);
}

const char* DefaultCode(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 414:
      return "URI_TOO_LONG";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 416:
      return "RANGE_NOT_SATISFIABLE";
    case 503:
      return "BUSY";
    default:
      return status >= 500 ? "INTERNAL" : "BAD_REQUEST";
  }
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

HttpServer::HttpServer(Api* api, const ServerConfig& config)
    : api_(api),
      config_(config),
      require_token_(!config.no_auth && !IsLoopbackHost(config.host)),
      server_(std::make_unique<httplib::Server>()) {
  Install();
}

HttpServer::~HttpServer() = default;

void HttpServer::Install() {
  httplib::Server& svr = *server_;
  const int threads = std::max(4, config_.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_read_timeout(60, 0);
  svr.set_write_timeout(60, 0);
  svr.set_keep_alive_timeout(5);
  svr.set_keep_alive_max_count(100000);
  svr.set_tcp_nodelay(true);

  svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    if (!require_token_) return httplib::Server::HandlerResponse::Unhandled;
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0 && SameToken(auth.substr(7), config_.token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (SameToken(CookieValue(req.get_header_value("Cookie"), kCookieName), config_.token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (req.has_param("token") && SameToken(req.get_param_value("token"), config_.token)) {
      res.set_header("Set-Cookie", std::string(kCookieName) + "=" + config_.token +
                                       "; Path=/; HttpOnly; SameSite=Strict");
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Response e = ErrorResponse(401, "UNAUTHORIZED",
                               "An access token is required: send 'Authorization: Bearer <token>' "
                               "or open the link with ?token=<token> that the server printed.");
    res.status = 401;
    res.set_header("Connection", "close");
    res.set_content(e.body, e.content_type);
    return httplib::Server::HandlerResponse::Handled;
  });

  auto dispatch = [this](const httplib::Request& hreq, httplib::Response& hres,
                         const httplib::ContentReader* reader) {
    Request req;
    req.method = hreq.method == "HEAD" ? "GET" : hreq.method;
    req.path = hreq.path;
    for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
    for (const auto& [k, v] : hreq.headers) {
      std::string lower = k;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace(std::move(lower), v);
    }
    Response res;
    if (req.path.rfind("/api/", 0) != 0 && req.path != "/api") {
      if (req.method != "GET") {
        res = ErrorResponse(404, "NOT_FOUND", "No endpoint at " + req.path);
      } else {
        res = ServeStatic(config_.ui_dir, req.path);
      }
      ToHttplib(std::move(res), hres);
      return;
    }
    const Router& router = api_->router();
    Router::Match m = router.Find(req.method, req.path, nullptr);
    if (m.result == Router::MatchResult::kFound && reader != nullptr) {
      if (m.body == BodyMode::kStreamed) {
        // Streamed bodies reach the handler as sent: the upload handlers decode
        // Content-Encoding themselves and refuse a stream that does not end
        // cleanly, which cpp-httplib's own decoder cannot tell.
        const_cast<httplib::Request&>(hreq).headers.erase("Content-Encoding");
        req.read_body = [reader](const BodyReceiver& r) {
          return (*reader)([&r](const char* d, size_t n) { return r(d, n); });
        };
        req.read_multipart = [reader](const PartHeader& on_part, const BodyReceiver& r) {
          return (*reader)(
              [&on_part](const httplib::MultipartFormData& f) {
                return on_part(f.name, f.filename);
              },
              [&r](const char* d, size_t n) { return r(d, n); });
        };
      } else {
        bool too_big = false;
        const uint64_t limit = config_.max_json_body_bytes;
        const bool ok = (*reader)([&](const char* d, size_t n) {
          if (req.body.size() + n > limit) {
            too_big = true;
            return false;
          }
          req.body.append(d, n);
          return true;
        });
        if (too_big) {
          res =
              ErrorResponse(413, "PAYLOAD_TOO_LARGE",
                            "The request body is larger than " + std::to_string(limit) + " bytes.");
          res.SetHeader("Connection", "close");
          ToHttplib(std::move(res), hres);
          return;
        }
        if (!ok) {
          res = ErrorResponse(400, "BAD_REQUEST", "The request body could not be read.");
          res.SetHeader("Connection", "close");
          ToHttplib(std::move(res), hres);
          return;
        }
      }
    }
    try {
      res = router.Dispatch(req);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s %s: unexpected exception: %s\n", req.method.c_str(),
                   req.path.c_str(), e.what());
      res =
          ErrorResponse(500, "INTERNAL", std::string("An unexpected error occurred: ") + e.what());
    }
    ToHttplib(std::move(res), hres);
  };

  svr.Get(".*", [dispatch](const httplib::Request& req, httplib::Response& res) {
    dispatch(req, res, nullptr);
  });
  auto with_body = [dispatch](const httplib::Request& req, httplib::Response& res,
                              const httplib::ContentReader& reader) {
    dispatch(req, res, &reader);
  };
  svr.Post(".*", with_body);
  svr.Put(".*", with_body);
  svr.Delete(".*", with_body);
  svr.Patch(".*", with_body);

  svr.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.status == 401)
          return httplib::Server::HandlerResponse::Unhandled;
        Response e = ErrorResponse(res.status, DefaultCode(res.status),
                                   "The request was rejected (HTTP " + std::to_string(res.status) +
                                       ") for " + req.method + " " + req.path + ".");
        res.set_content(e.body, e.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));

  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "error: %s %s: unexpected exception: %s\n", req.method.c_str(),
                     req.path.c_str(), what.c_str());
        Response e = ErrorResponse(500, "INTERNAL", "An unexpected error occurred: " + what);
        res.status = 500;
        res.set_content(e.body, e.content_type);
      });

  if (!config_.quiet) {
    svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  t_request_start)
                            .count();
      std::fprintf(stderr, "%s %s %d %.1fms\n", req.method.c_str(), req.path.c_str(), res.status,
                   ms);
    });
  }
}

base::Result<int> HttpServer::Bind() {
  if (config_.port == 0) {
    const int port = server_->bind_to_any_port(config_.host);
    if (port <= 0) return base::IoError("cannot listen on " + config_.host);
    return port;
  }
  if (!server_->bind_to_port(config_.host, config_.port)) {
    return base::IoError("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                         " (in use, or not an address of this machine)");
  }
  return config_.port;
}

void HttpServer::Run() { server_->listen_after_bind(); }

void HttpServer::Stop() { server_->stop(); }

}  // namespace plcscope::http
