#include "http/server.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <future>
#include <limits>
#include <list>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/log.h"
#include "base/mapped_file.h"
#include "http/api_error.h"
#include "http/header_values.h"
#include "http/multipart_parser.h"
#include "http/server_body.h"
#include "http/server_stream.h"
#include "http/server_websocket.h"
#include "http/server_worker_pool.h"
#include "http/static_files.h"
#include "http/upload_writer.h"

namespace plcscope::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kCookieName = "plcscope_token";
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'";

bool HasBody(int status) { return status >= 200 && status != 204 && status != 304; }

// The status line and the headers every response carries; `extra` holds
// the response's own headers (Connection / Content-Length / TE are ours).
std::string HeadText(int status, const std::string& content_type,
                     const std::vector<std::pair<std::string, std::string>>& extra,
                     std::string_view framing, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  auto add = [&out](std::string_view k, std::string_view v) {
    out.append(k);
    out += ": ";
    for (char c : v) {
      if (c != '\r' && c != '\n') out.push_back(c);
    }
    out += "\r\n";
  };
  if (!content_type.empty() && HasBody(status)) add("Content-Type", content_type);
  for (const auto& [k, v] : extra) {
    const std::string lk = Lower(k);
    if (lk == "connection" || lk == "content-length" || lk == "transfer-encoding") continue;
    add(k, v);
  }
  add("X-Content-Type-Options", "nosniff");
  add("Referrer-Policy", "no-referrer");
  add("X-Frame-Options", "DENY");
  if (MediaType(content_type) == "text/html") add("Content-Security-Policy", kCsp);
  out.append(framing);
  add("Connection", keep_alive ? "keep-alive" : "close");
  out += "\r\n";
  return out;
}

// A whole small response (errors answered by the io thread).
std::string ErrorText(int status, std::string_view code, std::string_view message) {
  Response e = ErrorResponse(status, code, message);
  return HeadText(status, e.content_type, {},
                  "Content-Length: " + std::to_string(e.body.size()) + "\r\n", false) +
         e.body;
}

// A WebSocket waits this long at least for its next message: the old
// client pings every 30 s (and may be silent longer while it compresses a
// file before upload:init), so --idle-timeout's 30 s would race it.
constexpr int kMinWebSocketIdleS = 90;

void RaiseFdLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

size_t FdLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return static_cast<size_t>(rl.rlim_cur);
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string BaseUrl(const std::string& host, int port) {
  std::string h = host == "0.0.0.0" ? std::string("127.0.0.1") : host == "::" ? "::1" : host;
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return "http://" + h + ":" + std::to_string(port);
}

class Session;

// Everything behind HttpServer. The io thread owns the acceptor, the
// connection registry and every Session that is not busy; a busy Session
// (its request handed to a worker) belongs to that worker until it posts the
// Session back.
class Transport {
 public:
  Transport(Api* api, const ServerConfig& config);

  base::Result<int> Bind();
  void Run();
  void Stop();
  void AddWebSocket(std::string_view pattern, WebSocketHandler handler) {
    std::vector<std::string> segments;
    for (std::string_view seg : SplitPath(pattern)) segments.emplace_back(seg);
    ws_routes_.emplace_back(std::move(segments), std::move(handler));
  }
  const WebSocketHandler* FindWebSocket(const std::string& path, Request* req) const {
    const std::vector<std::string_view> parts = SplitPath(path);
    for (const auto& [segments, handler] : ws_routes_) {
      if (segments.size() != parts.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < parts.size() && ok; ++i) {
        ok = (!segments[i].empty() && segments[i][0] == ':') || segments[i] == parts[i];
      }
      if (!ok) continue;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (segments[i][0] == ':') req->path_params[segments[i].substr(1)] = parts[i];
      }
      return &handler;
    }
    return nullptr;
  }

  // io thread
  void Register(Session* s);
  void Unregister(Session* s);
  // A request was answered: the connection moves to the back of the
  // eviction order (least recently active first).
  void Touch(Session* s);
  // worker thread: serves one request whose header is complete.
  void Handle(const std::shared_ptr<Session>& s);

  Api* const api_;
  const ServerConfig config_;
  const bool require_token_;
  std::vector<std::string> allowed_hosts_;  // lower case, "[::1]" for IPv6
  bool check_host_ = true;
  net::io_context ioc_{1};
  tcp::acceptor acceptor_{ioc_};
  WorkerPool pool_;
  std::atomic<bool> stopping_{false};
  size_t max_connections_ = 0;

 private:
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  // Closes one connection that is not running a handler to make room: one
  // that never completed a request (a slow or silent client) before one
  // that did, then the one idle longest. False if every one is busy.
  bool EvictOne(std::list<Session*>& list);
  // Counts the request in the metrics and writes its log line (unless quiet).
  void Log(const std::string& method, const std::string& path, int status, Clock::time_point start,
           int route = Metrics::kUnmatched, size_t bytes = 0, const std::string& client = "") const;
  // `*upgraded` set: the request was a WebSocket served to its end.
  Response Serve(Session& s, Request& req, bool* keep_alive, bool* upgraded);

  std::vector<std::pair<std::vector<std::string>, WebSocketHandler>> ws_routes_;
  std::list<Session*> all_;  // accept order, io thread only
  std::unordered_map<std::string, std::list<Session*>> by_addr_;
  net::steady_timer accept_retry_{ioc_};
  friend class Session;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Transport* t, tcp::socket socket, std::string addr)
      : t_(t), stream_(std::move(socket)), addr_(std::move(addr)) {}

  const std::string& addr() const { return addr_; }
  bool busy() const { return busy_; }
  int fd() { return stream_.socket().native_handle(); }
  bhttp::request_parser<bhttp::buffer_body>& parser() { return *parser_; }
  beast::flat_buffer& buffer() { return buffer_; }

  // io thread
  void Start() {
    const int flags = ::fcntl(fd(), F_GETFL, 0);
    if (flags >= 0) ::fcntl(fd(), F_SETFL, flags | O_NONBLOCK);  // FdStream polls
    ReadIdle();
  }
  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    t_->Unregister(this);
  }
  // Stop(): idle connections close; busy ones are shut down so that their
  // worker's reads and writes fail at once.
  void Shutdown() {
    if (busy_) {
      ::shutdown(fd(), SHUT_RDWR);
    } else {
      Close();
    }
  }

  // worker thread: gives the connection back to the io thread.
  void Resume(bool keep_alive) {
    net::post(t_->ioc_, [self = shared_from_this(), keep_alive] {
      self->busy_ = false;
      if (self->closed_) return;
      if (self->t_->stopping_) {
        self->Close();
      } else if (keep_alive) {
        ++self->served;
        self->t_->Touch(self.get());
        self->parser_.reset();
        self->ReadIdle();
      } else {
        self->Linger();
      }
    });
  }

  // worker thread: watches for the client leaving while a handler runs.
  void StartWatch(const std::shared_ptr<std::atomic<bool>>& gone) {
    char c;
    const ssize_t r = ::recv(fd(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      gone->store(true);
      return;
    }
    if (r > 0) return;  // a pipelined request follows: the client is there
    auto done = std::make_shared<std::promise<void>>();
    watch_done_ = done->get_future();
    watching_ = true;
    net::post(t_->ioc_, [self = shared_from_this(), gone, done] { self->Arm(gone, done); });
  }
  void StopWatch() {
    if (!watching_) return;
    watching_ = false;
    net::post(t_->ioc_, [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().cancel(ec);
    });
    watch_done_.wait_for(std::chrono::seconds(2));
  }

  // io thread: answers with a small error and closes (lingering).
  void Reject(int status, std::string_view code, const std::string& message) {
    // The request line may be known (a header too large, a full pool).
    std::string method = "-", path = "-";
    if (parser_ && parser_->get().method() != bhttp::verb::unknown) {
      method = std::string(parser_->get().method_string());
      const auto target = parser_->get().target();
      path = std::string(target.substr(0, std::min<size_t>(target.find('?'), 200)));
    }
    t_->Log(method, path, status, Clock::now());
    out_ = ErrorText(status, code, message);
    stream_.expires_after(std::chrono::seconds(10));
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->Linger();
                     });
  }

 private:
  void Arm(const std::shared_ptr<std::atomic<bool>>& gone,
           const std::shared_ptr<std::promise<void>>& done) {
    if (closed_) return done->set_value();
    stream_.socket().async_wait(
        tcp::socket::wait_read, [self = shared_from_this(), gone, done](beast::error_code ec) {
          if (ec) return done->set_value();
          char c;
          const ssize_t r = ::recv(self->fd(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
          if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return self->Arm(gone, done);
          }
          if (r <= 0) gone->store(true);
          done->set_value();
        });
  }

  void ReadIdle() {
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(std::chrono::seconds(t_->config_.idle_timeout_s));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(t_->config_.max_header_bytes);
    // Per route, counted by the worker. (Not boost::none: Beast 1.74 then
    // compares a Content-Length against an empty optional and refuses it.)
    parser_->body_limit((std::numeric_limits<std::uint64_t>::max)());
    stream_.expires_after(std::chrono::seconds(t_->config_.header_timeout_s));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      buffer_.consume(buffer_.size());
      return Reject(431, "HEADERS_TOO_LARGE",
                    "The request header is larger than " +
                        std::to_string(t_->config_.max_header_bytes) + " bytes.");
    }
    if (ec == beast::error::timeout || ec == net::error::eof || ec == bhttp::error::end_of_stream ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return Close();
    }
    if (ec) {
      buffer_.consume(buffer_.size());
      return Reject(400, "BAD_REQUEST", "The request is malformed (" + ec.message() + ").");
    }
    int count = 0;
    for (auto it = parser_->get().begin(); it != parser_->get().end(); ++it) ++count;
    if (count > t_->config_.max_header_count) {
      buffer_.consume(buffer_.size());
      return Reject(431, "HEADERS_TOO_LARGE",
                    "The request has more than " + std::to_string(t_->config_.max_header_count) +
                        " header fields.");
    }
    stream_.expires_never();
    busy_ = true;
    auto self = shared_from_this();
    if (!t_->pool_.TrySubmit([self] { self->t_->Handle(self); })) {
      busy_ = false;
      buffer_.consume(buffer_.size());
      Reject(503, "BUSY", "The server is busy; retry in a moment.");
    }
  }

  // Half-closes and discards what the client still sends for a while, so
  // that it can read the answer instead of seeing a reset.
  void Linger() {
    ::shutdown(fd(), SHUT_WR);
    linger_until_ = Clock::now() + std::chrono::seconds(5);
    Drain();
  }
  void Drain() {
    static thread_local char sink[16 << 10];
    const auto left = linger_until_ - Clock::now();
    if (left <= Clock::duration::zero()) return Close();
    stream_.expires_after(std::min<Clock::duration>(left, std::chrono::seconds(2)));
    stream_.async_read_some(net::buffer(sink),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  Transport* const t_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> parser_;
  const std::string addr_;
  std::string out_;
  Clock::time_point linger_until_;
  bool busy_ = false;
  bool closed_ = false;
  // Owned by the worker while busy.
  bool watching_ = false;
  std::future<void> watch_done_;

 public:
  // Registry links (io thread).
  std::list<Session*>::iterator all_it;
  std::list<Session*>::iterator addr_it;
  bool registered = false;
  // Requests answered on this connection (io thread): one that never
  // finished a header is the first to go when a cap is reached.
  uint64_t served = 0;
};

Transport::Transport(Api* api, const ServerConfig& config)
    : api_(api), config_(config), require_token_(!config.no_auth && !IsLoopbackHost(config.host)) {
  for (const auto& h : config_.allowed_hosts) allowed_hosts_.push_back(HostName(h));
  const bool loopback = IsLoopbackHost(config_.host);
  check_host_ = loopback || !config_.allowed_hosts.empty();
  if (check_host_) {
    for (const char* h : {"localhost", "127.0.0.1", "[::1]"}) allowed_hosts_.emplace_back(h);
    std::string bound = Lower(config_.host);
    if (bound.find(':') != std::string::npos) bound = "[" + bound + "]";
    allowed_hosts_.push_back(bound);
  }
}

base::Result<int> Transport::Bind() {
  RaiseFdLimit();
  max_connections_ = std::min<size_t>(static_cast<size_t>(std::max(1, config_.max_connections)),
                                      FdLimit() > 512 ? FdLimit() - 256 : FdLimit() / 2);
  const std::string where = config_.host + ":" + std::to_string(config_.port);
  beast::error_code ec;
  tcp::endpoint ep;
  auto addr = net::ip::make_address(config_.host, ec);
  if (!ec) {
    ep = tcp::endpoint(addr, static_cast<unsigned short>(config_.port));
  } else {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(config_.host, std::to_string(config_.port), ec);
    if (ec || results.empty()) {
      return base::IoError("cannot listen on " + where + ": not an address of this machine");
    }
    ep = results.begin()->endpoint();
  }
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);  // TIME_WAIT only
  if (!ec) acceptor_.bind(ep, ec);
  if (ec) {
    if (ec == net::error::address_in_use) {
      return base::ResourceExhausted("cannot listen on " + where + ": port " +
                                     std::to_string(config_.port) +
                                     " is already in use (is another plcscope serve running?)");
    }
    return base::IoError("cannot listen on " + where + ": " + ec.message());
  }
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return base::IoError("cannot listen on " + where + ": " + ec.message());
  return static_cast<int>(acceptor_.local_endpoint().port());
}

void Transport::Run() {
  pool_.Start(std::max(2, config_.threads),
              static_cast<size_t>(std::max(0, config_.max_queued_requests)));
  Accept();
  ioc_.run();
  pool_.Stop();
}

void Transport::Stop() {
  if (stopping_.exchange(true)) return;
  net::post(ioc_, [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    accept_retry_.cancel();
    std::vector<Session*> all(all_.begin(), all_.end());
    for (Session* s : all) s->Shutdown();
    // Give busy requests a moment to end, then stop the loop.
    auto timer = std::make_shared<net::steady_timer>(ioc_);
    auto deadline = Clock::now() + std::chrono::seconds(3);
    auto tick = std::make_shared<std::function<void()>>();
    *tick = [this, timer, deadline, tick] {
      if (all_.empty() || Clock::now() >= deadline) {
        ioc_.stop();
        *tick = nullptr;
        return;
      }
      timer->expires_after(std::chrono::milliseconds(20));
      timer->async_wait([tick](beast::error_code) {
        if (*tick) (*tick)();
      });
    };
    (*tick)();
  });
}

void Transport::Accept() {
  acceptor_.async_accept(
      [this](beast::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void Transport::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping_) return;
  if (ec) {
    if (ec == net::error::operation_aborted) return;
    // Out of descriptors (EMFILE) and the like: wait a little, then go on.
    accept_retry_.expires_after(std::chrono::milliseconds(50));
    accept_retry_.async_wait([this](beast::error_code e) {
      if (!e && !stopping_) Accept();
    });
    return;
  }
  beast::error_code aec;
  auto remote = socket.remote_endpoint(aec);
  if (aec) {
    Accept();
    return;
  }
  std::string addr = remote.address().to_string();
  socket.set_option(tcp::no_delay(true), aec);
  std::list<Session*>& mine = by_addr_[addr];
  bool room = true;
  if (mine.size() >= static_cast<size_t>(std::max(1, config_.max_client_connections))) {
    room = EvictOne(mine);
  }
  if (room && all_.size() >= max_connections_) room = EvictOne(all_);
  if (!room) {
    static const std::string kBusy =
        ErrorText(503, "TOO_MANY_CONNECTIONS",
                  "Too many connections are busy; close some or retry in a moment.");
    ::send(socket.native_handle(), kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    socket.close(aec);
    api_->metrics().ConnectionRefused();
    if (by_addr_[addr].empty()) by_addr_.erase(addr);
  } else {
    auto s = std::make_shared<Session>(this, std::move(socket), std::move(addr));
    Register(s.get());
    s->Start();
  }
  Accept();
}

bool Transport::EvictOne(std::list<Session*>& list) {
  Session* idle = nullptr;  // the least recently active one that served requests
  for (Session* s : list) {
    if (s->busy()) continue;
    if (s->served == 0) {
      s->Close();
      return true;
    }
    if (idle == nullptr) idle = s;
  }
  if (idle == nullptr) return false;
  idle->Close();
  return true;
}

void Transport::Touch(Session* s) {
  if (!s->registered) return;
  all_.splice(all_.end(), all_, s->all_it);
  auto it = by_addr_.find(s->addr());
  if (it != by_addr_.end()) it->second.splice(it->second.end(), it->second, s->addr_it);
}

void Transport::Register(Session* s) {
  s->all_it = all_.insert(all_.end(), s);
  auto& l = by_addr_[s->addr()];
  s->addr_it = l.insert(l.end(), s);
  s->registered = true;
  api_->metrics().ConnectionOpened();
}

void Transport::Unregister(Session* s) {
  if (!s->registered) return;
  s->registered = false;
  api_->metrics().ConnectionClosed();
  all_.erase(s->all_it);
  auto it = by_addr_.find(s->addr());
  if (it != by_addr_.end()) {
    it->second.erase(s->addr_it);
    if (it->second.empty()) by_addr_.erase(it);
  }
}

void Transport::Log(const std::string& method, const std::string& path, int status,
                    Clock::time_point start, int route, size_t bytes,
                    const std::string& client) const {
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  api_->metrics().ObserveRequest(route, status, seconds);
  if (config_.quiet) return;
  const Router& router = api_->router();
  const std::string pattern = route >= 0 && static_cast<size_t>(route) < router.size()
                                  ? router.pattern(static_cast<size_t>(route))
                              : route == Metrics::kStatic    ? "static"
                              : route == Metrics::kWebSocket ? "websocket"
                                                             : "-";
  base::Log(base::LogLevel::kInfo, "http", method + " " + path,
            {{"status", status},
             {"ms", seconds * 1e3},
             {"route", pattern},
             {"bytes", static_cast<uint64_t>(bytes)},
             {"client", client.empty() ? std::string("-") : client}});
}

namespace {

// Paths the router answers (the API and the metrics); the rest are UI files.
bool IsRouted(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/api" || path == "/metrics";
}

}  // namespace

// Access checks, body, handler. `*keep_alive` is cleared when the request's
// body was not read to its end (the connection closes after the answer).
Response Transport::Serve(Session& s, Request& req, bool* keep_alive, bool* upgraded) {
  auto& parser = s.parser();
  // Host: a loopback server answers only to its own names (DNS rebinding).
  const std::string host = req.Header("host");
  if (check_host_ && !host.empty()) {
    const std::string name = HostName(host);
    if (std::find(allowed_hosts_.begin(), allowed_hosts_.end(), name) == allowed_hosts_.end()) {
      *keep_alive = *keep_alive && parser.is_done();
      return ErrorResponse(403, "HOST_NOT_ALLOWED",
                           "Host '" + name.substr(0, 100) +
                               "' is not a name of this server; add it with --allowed-host.");
    }
  }
  std::string set_cookie;
  if (require_token_) {
    const std::string auth = req.Header("authorization");
    bool ok = auth.size() > 7 && Lower(auth.substr(0, 7)) == "bearer " &&
              SameToken(std::string_view(auth).substr(7), config_.token);
    ok = ok || SameToken(CookieValue(req.Header("cookie"), kCookieName), config_.token);
    if (!ok) {
      const std::string* t = req.Query("token");
      if (t != nullptr && SameToken(*t, config_.token)) {
        ok = true;
        set_cookie =
            std::string(kCookieName) + "=" + config_.token + "; Path=/; HttpOnly; SameSite=Strict";
      }
    }
    if (!ok) {
      *keep_alive = false;
      return ErrorResponse(401, "UNAUTHORIZED",
                           "An access token is required: send 'Authorization: Bearer <token>' "
                           "or open the link with ?token=<token> that the server printed.");
    }
  }
  auto with_cookie = [&set_cookie](Response r) {
    if (!set_cookie.empty()) r.SetHeader("Set-Cookie", set_cookie);
    return r;
  };
  // Cross-origin state changes (a web page posting to this server), and
  // every WebSocket (browsers do not apply CORS to it).
  const bool upgrade = beast::websocket::is_upgrade(parser.get());
  if ((req.method != "GET" && req.method != "OPTIONS") || upgrade) {
    const std::string site = Lower(req.Header("sec-fetch-site"));
    const std::string origin = req.Header("origin");
    bool cross = site == "cross-site" || site == "same-site";
    if (!cross && !origin.empty()) {
      const size_t sep = origin.find("://");
      if (sep == std::string::npos || host.empty()) {
        cross = true;  // "null" and the like
      } else {
        const bool https = Lower(origin.substr(0, sep)) == "https";
        cross =
            Authority(std::string_view(origin).substr(sep + 3), https) != Authority(host, false) &&
            Authority(std::string_view(origin).substr(sep + 3), https) != Authority(host, true);
      }
    }
    if (cross) {
      *keep_alive = *keep_alive && parser.is_done();
      return ErrorResponse(
          403, "CROSS_ORIGIN",
          "Cross-origin " + req.method + " requests are refused; use the server's own page.");
    }
  }
  if (upgrade) {
    if (const WebSocketHandler* h = FindWebSocket(req.path, &req)) {
      *keep_alive = false;
      FdStream io(s.fd(), std::max(config_.idle_timeout_s, kMinWebSocketIdleS) * 1000,
                  config_.write_timeout_s * 1000, ioc_.get_executor());
      BeastWebSocket ws(io);
      beast::error_code ec;
      ws.Accept(parser.get(), ec);
      *upgraded = true;
      if (ec) return Response();
      auto gone = std::make_shared<std::atomic<bool>>(false);
      req.client_gone = gone;
      (*h)(req, ws);
      ws.Close("");
      return Response();
    }
  }
  if (!IsRouted(req.path)) {
    *keep_alive = *keep_alive && parser.is_done();
    if (req.method != "GET") {
      return with_cookie(ErrorResponse(404, "NOT_FOUND", "No endpoint at " + req.path));
    }
    return with_cookie(ServeStatic(config_.ui_dir, req.path));
  }
  const Router& router = api_->router();
  Router::Match m = router.Find(req.method, req.path, nullptr);
  if (m.result != Router::MatchResult::kFound) {
    *keep_alive = *keep_alive && parser.is_done();
    return with_cookie(router.Dispatch(req));
  }
  const bool streamed = m.body == BodyMode::kStreamed;
  const uint64_t limit = streamed ? config_.max_upload_bytes : config_.max_json_body_bytes;
  const bool chunked = parser.chunked();
  const auto length = parser.content_length();
  if (length && *length > limit) {
    *keep_alive = false;
    return ErrorResponse(413, "PAYLOAD_TOO_LARGE",
                         "The request body (" + std::to_string(*length) +
                             " bytes) is larger than " + std::to_string(limit) + " bytes.");
  }
  const bool has_body = chunked || (length && *length > 0);
  if (!streamed && has_body && MediaType(req.Header("content-type")) != "application/json") {
    *keep_alive = false;
    return ErrorResponse(415, "UNSUPPORTED_MEDIA_TYPE",
                         "The request body must be JSON (Content-Type: application/json).");
  }

  // Streamed bodies (uploads) reach their handler exactly as sent: the upload
  // handlers decode Content-Encoding themselves and refuse a stream that does
  // not end cleanly (upload_writer.h). Buffered JSON bodies in gzip or
  // deflate are decoded here, completely or not at all.
  const std::string encoding = Lower(req.Header("content-encoding"));
  const bool inflate =
      !streamed && (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate");
  if (!streamed && has_body && !encoding.empty() && encoding != "identity" && !inflate) {
    *keep_alive = false;
    return ErrorResponse(
        415, "UNSUPPORTED_ENCODING",
        "Content-Encoding '" + encoding.substr(0, 32) + "' is not supported; use gzip.");
  }

  FdStream io(s.fd(), config_.body_timeout_s * 1000, config_.write_timeout_s * 1000);
  RequestBodyReader body(
      io, s.buffer(), parser, req, limit,
      inflate ? std::optional<Inflater::Format>(encoding == "deflate" ? Inflater::Format::kZlib
                                                                      : Inflater::Format::kGzip)
              : std::nullopt);
  auto read_body = [&body](const BodyReceiver& receiver) { return body.Read(receiver); };

  auto gone = std::make_shared<std::atomic<bool>>(false);
  req.client_gone = gone;
  Response res;
  if (streamed) {
    req.read_body = read_body;
    req.read_multipart = [&](const PartHeader& on_part, const BodyReceiver& receiver) {
      const std::string boundary = HeaderParam(req.Header("content-type"), "boundary");
      if (boundary.empty() || boundary.size() > 200) return false;
      MultipartParser mp(boundary, on_part, receiver);
      return read_body([&mp](const char* d, size_t n) { return mp.Feed(d, n); }) && mp.Complete();
    };
    res = router.Dispatch(req);
    if (parser.is_done()) s.StartWatch(gone);  // during a streamed answer
    if (body.too_big()) {
      res = ErrorResponse(413, "PAYLOAD_TOO_LARGE",
                          "The request body is larger than " + std::to_string(limit) + " bytes.");
    }
  } else {
    const bool ok = body.ReadDecoded([&req](const char* d, size_t n) {
      req.body.append(d, n);
      return true;
    });
    if (body.too_big()) {
      *keep_alive = false;
      return ErrorResponse(413, "PAYLOAD_TOO_LARGE",
                           "The request body is larger than " + std::to_string(limit) + " bytes.");
    }
    if (!ok) {
      *keep_alive = false;
      return ErrorResponse(400, "BAD_REQUEST",
                           "The request body could not be read (cut short, malformed or too "
                           "slow).");
    }
    s.StartWatch(gone);
    res = router.Dispatch(req);
  }
  if (!parser.is_done()) *keep_alive = false;
  return with_cookie(std::move(res));
}

void Transport::Handle(const std::shared_ptr<Session>& sp) {
  Session& s = *sp;
  const auto start = Clock::now();
  auto& hdr = s.parser().get();
  bool keep_alive = hdr.keep_alive() && !stopping_;
  std::string method(hdr.method_string());
  std::string log_path;
  int status = 500;
  int route = Metrics::kUnmatched;  // for the metrics: the router's route, or a synthetic one
  size_t body_bytes = 0;            // for the log: the response body sent (0 when streamed)
  FdStream io(s.fd(), config_.body_timeout_s * 1000, config_.write_timeout_s * 1000);
  bool written = false;
  try {
    Request req;
    const bool head = method == "HEAD";
    req.method = head ? "GET" : method;
    req.remote_addr = s.addr();
    std::string_view target(hdr.target().data(), hdr.target().size());
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
      const size_t slash = target.find('/', target.find("//") + 2);
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    const size_t q = target.find('?');
    req.path = UrlDecode(target.substr(0, q), false);
    log_path = req.path.substr(0, 200);
    if (q != std::string_view::npos) ParseQuery(target.substr(q + 1), &req.query);
    for (const auto& f : hdr) {
      req.headers.emplace(Lower(std::string_view(f.name_string().data(), f.name_string().size())),
                          std::string(f.value().data(), f.value().size()));
    }
    Response res;
    bool upgraded = false;
    if (req.path.empty() || req.path[0] != '/') {
      keep_alive = false;
      res = ErrorResponse(400, "BAD_REQUEST", "The request target must be a path.");
    } else {
      try {
        res = Serve(s, req, &keep_alive, &upgraded);
        route = upgraded             ? Metrics::kWebSocket
                : req.route >= 0     ? req.route
                : IsRouted(req.path) ? Metrics::kUnmatched
                                     : Metrics::kStatic;
      } catch (const std::exception& e) {
        base::Log(base::LogLevel::kError, "http", "unexpected exception",
                  {{"request", req.method + " " + log_path}, {"what", e.what()}});
        res = ErrorResponse(500, "INTERNAL",
                            std::string("An unexpected error occurred: ") + e.what());
      }
    }
    if (upgraded) {
      status = 101;
      written = true;
      keep_alive = false;
    } else if (!res.file_path.empty()) {
      auto text = base::ReadFileToString(res.file_path);
      if (!text.ok()) {
        res = ErrorResponse(500, "IO_ERROR", "A UI file cannot be read.");
      } else {
        res.body = std::move(*text);
        res.SetHeader("Accept-Ranges", "bytes");
        size_t first = 0, last = 0;
        bool use = false;
        const std::string range = req.Header("range");
        if (res.status == 200 && !range.empty()) {
          if (!ParseRange(range, res.body.size(), &use, &first, &last)) {
            const size_t size = res.body.size();
            res = ErrorResponse(
                416, "RANGE_NOT_SATISFIABLE",
                "The range is outside the file (" + std::to_string(size) + " bytes).");
            res.SetHeader("Content-Range", "bytes */" + std::to_string(size));
          } else if (use) {
            res.SetHeader("Content-Range", "bytes " + std::to_string(first) + "-" +
                                               std::to_string(last) + "/" +
                                               std::to_string(res.body.size()));
            res.body = res.body.substr(first, last - first + 1);
            res.status = 206;
          }
        }
      }
    }
    for (const auto& [k, v] : res.headers) {
      if (Lower(k) == "connection" && Lower(v) == "close") keep_alive = false;
    }
    if (!upgraded) status = res.status;
    body_bytes = head ? 0 : res.body.size();
    const bool body = HasBody(res.status) && !res.content_type.empty();
    if (upgraded) {
      // Served and closed by the WebSocket.
    } else if (res.stream && body) {
      const bool ok =
          io.WriteAll(HeadText(res.status, res.content_type, res.headers,
                               head ? "" : "Transfer-Encoding: chunked\r\n", keep_alive));
      written = true;
      if (!ok) {
        keep_alive = false;
      } else if (!head) {
        if (!req.client_gone) req.client_gone = std::make_shared<std::atomic<bool>>(false);
        ChunkSink sink(io, *req.client_gone);
        bool done = false;
        try {
          done = res.stream(sink) && sink.ok();
        } catch (const std::exception& e) {
          base::Log(base::LogLevel::kError, "http", "stream failed",
                    {{"request", method + " " + log_path}, {"what", e.what()}});
        }
        body_bytes = sink.bytes();
        if (!done || !io.WriteAll("0\r\n\r\n")) keep_alive = false;
      }
    } else {
      if (!body) res.body.clear();
      const std::string framing =
          HasBody(res.status) ? "Content-Length: " + std::to_string(res.body.size()) + "\r\n" : "";
      std::string out =
          HeadText(res.status, body ? res.content_type : "", res.headers, framing, keep_alive);
      written = true;
      bool ok;
      if (head) {
        ok = io.WriteAll(out);
      } else if (res.body.size() <= (64 << 10)) {
        out += res.body;
        ok = io.WriteAll(out);
      } else {
        ok = io.WriteAll(out) && io.WriteAll(res.body);
      }
      if (!ok) keep_alive = false;
    }
  } catch (const std::exception& e) {
    base::Log(base::LogLevel::kError, "http", "unexpected exception",
              {{"request", method + " " + log_path}, {"what", e.what()}});
    if (!written) {
      io.WriteAll(ErrorText(500, "INTERNAL", "An unexpected error occurred."));
      status = 500;
    }
    keep_alive = false;
  } catch (...) {
    keep_alive = false;
  }
  s.StopWatch();
  Log(method, log_path, status, start, route, body_bytes, s.addr());
  s.Resume(keep_alive && !stopping_);
}

HttpServer::HttpServer(Api* api, const ServerConfig& config)
    : transport_(std::make_unique<Transport>(api, config)) {
  for (const auto& [pattern, handler] : api->websocket_routes()) AddWebSocket(pattern, handler);
}

HttpServer::~HttpServer() = default;

base::Result<int> HttpServer::Bind() { return transport_->Bind(); }

void HttpServer::Run() { transport_->Run(); }

void HttpServer::Stop() { transport_->Stop(); }

void HttpServer::AddWebSocket(std::string_view pattern, WebSocketHandler handler) {
  transport_->AddWebSocket(pattern, std::move(handler));
}

}  // namespace plcscope::http
