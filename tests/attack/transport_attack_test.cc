// Attacks on the transport (docs/http.md "Connections and limits", "Access"):
// connection floods, slow and huge headers, range and length tricks, DNS
// rebinding, cross-origin posts, and a second server on the same port or
// data directory. Each runs against a real `plcscope serve` on loopback.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

void RaiseFdLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// Reads one response (Content-Length framing, or up to EOF) within `timeout`.
RawResponse ReadResponse(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  RawResponse r;
  std::string in;
  const auto deadline = Clock::now() + timeout;
  size_t need = std::string::npos;
  char buf[16384];
  while (Clock::now() < deadline) {
    if (need == std::string::npos) {
      const size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        r.head = in.substr(0, end + 2);
        std::string lower = r.head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t cl = lower.find("content-length:");
        if (cl != std::string::npos) need = end + 4 + std::stoull(lower.substr(cl + 15));
        r.status = std::atoi(r.head.c_str() + 9);
        if (cl == std::string::npos && r.status == 100) {
          in.erase(0, end + 4);
          continue;
        }
      }
    }
    if (need != std::string::npos && in.size() >= need) break;
    pollfd p{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(1, left))) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  if (!r.head.empty()) r.body = in.substr(std::min(in.size(), r.head.size() + 2));
  return r;
}

RawResponse Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  SendAll(fd, request);
  RawResponse r = ReadResponse(fd);
  ::close(fd);
  return r;
}

std::string Get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

long VmRssKb(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::string Code(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  return j.is_object() && j["code"].is_string() ? j["code"].get<std::string>() : "";
}

class TransportAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RaiseFdLimit();
    ui_dir_ = new std::string(
        (fs::temp_directory_path() / ("plcscope_transport_ui_" + std::to_string(::getpid())))
            .string());
    fs::create_directories(*ui_dir_ + "/assets");
    std::ofstream(*ui_dir_ + "/index.html") << "<!doctype html><title>plcscope</title>";
    std::ofstream(*ui_dir_ + "/assets/app.js") << "console.log('0123456789')";
    server_ = new ServerProcess({"--ui-dir", *ui_dir_});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    std::error_code ec;
    fs::remove_all(*ui_dir_, ec);
    delete ui_dir_;
  }
  int port() const { return server_->port(); }

  static ServerProcess* server_;
  static std::string* ui_dir_;
};
ServerProcess* TransportAttack::server_ = nullptr;
std::string* TransportAttack::ui_dir_ = nullptr;

// Today: 300 slow headers hold every worker thread and 1,000 idle
// connections queue the probe behind them.
TEST_F(TransportAttack, IdleAndSlowHeaderConnectionsDoNotDelayHealth) {
  std::vector<int> fds;
  for (int i = 0; i < 1000; ++i) {
    const int fd = Connect(port());
    ASSERT_GE(fd, 0) << "connection " << i;
    fds.push_back(fd);
  }
  for (int i = 0; i < 300; ++i) {
    const int fd = Connect(port());
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    fds.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto t0 = Clock::now();
  RawResponse r = Exchange(port(), Get("/api/health", "Connection: close\r\n"));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::printf("health with 1000 idle + 300 slow-header connections: %.1f ms\n", ms);
  EXPECT_EQ(r.status, 200) << r.head;
  EXPECT_LT(ms, 1000.0);
  for (int fd : fds) ::close(fd);
}

TEST_F(TransportAttack, KeepAliveClientsDoNotBlockANewClient) {
  std::vector<int> fds;
  for (int i = 0; i < 256; ++i) {
    const int fd = Connect(port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, Get("/api/health")));
    ASSERT_EQ(ReadResponse(fd).status, 200) << "client " << i;
    fds.push_back(fd);  // kept open, idle, keep-alive
  }
  const auto t0 = Clock::now();
  RawResponse r = Exchange(port(), Get("/api/health", "Connection: close\r\n"));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::printf("health with 256 keep-alive clients: %.1f ms\n", ms);
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(ms, 1000.0);
  // The kept connections still serve their next request.
  ASSERT_TRUE(SendAll(fds.back(), Get("/api/health")));
  EXPECT_EQ(ReadResponse(fds.back()).status, 200);
  for (int fd : fds) ::close(fd);
}

// Keep-alive clients and a flood of slow connections from one address (a
// reverse proxy, or a soak run on loopback) beyond the per-address cap. Before:
// the cap closed the oldest idle connection, which was the working clients'.
TEST_F(TransportAttack, ActiveKeepAliveClientsOutliveSlowConnectionsAtTheCap) {
  ServerProcess server({"--max-client-connections", "32"});
  ASSERT_TRUE(server.Start());
  std::vector<int> clients;
  for (int i = 0; i < 8; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, Get("/api/health")));
    ASSERT_EQ(ReadResponse(fd).status, 200) << "client " << i;
    clients.push_back(fd);
  }
  std::vector<int> slow;
  for (int i = 0; i < 64; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    SendAll(fd, i % 2 ? "GET /api/health HTTP/1.1\r\nX-Slow: " : "");
    slow.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (size_t i = 0; i < clients.size(); ++i) {
    ASSERT_TRUE(SendAll(clients[i], Get("/api/health")));
    EXPECT_EQ(ReadResponse(clients[i], std::chrono::seconds(3)).status, 200) << "client " << i;
  }
  // With only served connections left, the one idle longest goes first.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (size_t i = 1; i < clients.size(); ++i) {
    ASSERT_TRUE(SendAll(clients[i], Get("/api/health")));
    ASSERT_EQ(ReadResponse(clients[i]).status, 200);
  }
  // 24 fresh clients take the slow connections' places; the 25th finds only
  // served ones, and the one idle longest (clients[0]) goes.
  std::vector<int> fresh;
  for (int i = 0; i < 25; ++i) {
    if (i == 24) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, Get("/api/health")));
    ASSERT_EQ(ReadResponse(fd).status, 200) << "fresh " << i;
    fresh.push_back(fd);
  }
  pollfd p{clients[0], POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 2000), 1) << "the connection idle longest is closed";
  char c;
  EXPECT_LE(::recv(clients[0], &c, 1, MSG_DONTWAIT), 0);
  for (size_t i = 1; i < clients.size(); ++i) {
    ASSERT_TRUE(SendAll(clients[i], Get("/api/health")));
    EXPECT_EQ(ReadResponse(clients[i], std::chrono::seconds(3)).status, 200) << "client " << i;
  }
  for (int fd : clients) ::close(fd);
  for (int fd : slow) ::close(fd);
  for (int fd : fresh) ::close(fd);
}

TEST_F(TransportAttack, HeaderFloodGets431AndNoMemory) {
  const long before = VmRssKb(server_->pid());
  ASSERT_GT(before, 0);
  const int fd = Connect(port());
  ASSERT_GE(fd, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::thread flood([fd] {
    std::string chunk = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    std::string line = "X-Flood: " + std::string(200, 'a') + "\r\n";
    for (int i = 0; i < 5000; ++i) chunk += line;  // ~1 MB per send
    for (int i = 0; i < 32; ++i) {                 // 32 MB in all
      if (!SendAll(fd, chunk)) break;
    }
  });
  RawResponse r = ReadResponse(fd, std::chrono::seconds(15));
  flood.join();
  ::close(fd);
  EXPECT_EQ(r.status, 431) << r.head;
  EXPECT_EQ(Code(r.body), "HEADERS_TOO_LARGE") << r.body;
  const long after = VmRssKb(server_->pid());
  std::printf("VmRSS %ld kB -> %ld kB\n", before, after);
  EXPECT_LT(after - before, 8 * 1024);
  // Too many (small) header fields: 431 too.
  std::string many = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (int i = 0; i < 150; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(Exchange(port(), many + "\r\n").status, 431);
}

TEST_F(TransportAttack, ManyRangesOnAnApiRouteGetTheNormalAnswer) {
  RawResponse plain = Exchange(port(), Get("/api/health", "Connection: close\r\n"));
  ASSERT_EQ(plain.status, 200);
  std::string ranges = "bytes=0-0";
  for (int i = 1; i < 2700; ++i) ranges += ",0-0";
  RawResponse r =
      Exchange(port(), Get("/api/health", "Range: " + ranges + "\r\nConnection: close\r\n"));
  EXPECT_EQ(r.status, 200) << r.head;
  EXPECT_LT(r.body.size(), plain.body.size() + 64);
  // A static file honours one simple range, and only one.
  RawResponse one =
      Exchange(port(), Get("/assets/app.js", "Range: bytes=0-6\r\nConnection: close\r\n"));
  EXPECT_EQ(one.status, 206);
  EXPECT_EQ(one.body, "console");
  RawResponse multi =
      Exchange(port(), Get("/assets/app.js", "Range: bytes=0-1,3-4\r\nConnection: close\r\n"));
  EXPECT_EQ(multi.status, 200);
  EXPECT_EQ(multi.body, "console.log('0123456789')");
}

TEST_F(TransportAttack, BadContentLengthIsAnsweredAtOnce) {
  const std::string base =
      "POST /api/parse HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const auto& [length, status] :
       std::vector<std::pair<std::string, int>>{{"100000000000", 413}, {"-1", 400}, {"12x", 400}}) {
    const auto t0 = Clock::now();
    const int fd = Connect(port());
    ASSERT_GE(fd, 0);
    SendAll(fd, base + "Content-Length: " + length + "\r\n\r\n");  // and no body
    RawResponse r = ReadResponse(fd, std::chrono::seconds(10));
    ::close(fd);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    EXPECT_EQ(r.status, status) << length << ": " << r.head;
    EXPECT_FALSE(Code(r.body).empty()) << r.body;
    EXPECT_LT(ms, 5000.0) << length;
  }
}

TEST_F(TransportAttack, ForeignHostIsRefused) {
  auto cli = server_->Client();
  UploadRaw(*cli, "secret-name.log", MakePlcDebugLog(20, false));
  for (const std::string& host :
       std::vector<std::string>{"evil.example", "evil.example:" + std::to_string(port())}) {
    RawResponse r = Exchange(port(), "GET /api/files/recent HTTP/1.1\r\nHost: " + host +
                                         "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 403) << host;
    EXPECT_EQ(Code(r.body), "HOST_NOT_ALLOWED");
    EXPECT_NE(r.body.find("evil.example"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("secret-name"), std::string::npos);
  }
  for (const std::string host : {"localhost", "127.0.0.1", "[::1]"}) {
    RawResponse r = Exchange(port(), "GET /api/files/recent HTTP/1.1\r\nHost: " + host + ":" +
                                         std::to_string(port()) + "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 200) << host;
    EXPECT_NE(r.body.find("secret-name"), std::string::npos);
  }
}

TEST_F(TransportAttack, AllowedHostFlagAddsAName) {
  ServerProcess server({"--allowed-host", "plc.example"});
  ASSERT_TRUE(server.Start());
  EXPECT_EQ(Exchange(server.port(),
                     "GET /api/health HTTP/1.1\r\nHost: plc.example:8080\r\n"
                     "Connection: close\r\n\r\n")
                .status,
            200);
  EXPECT_EQ(Exchange(server.port(),
                     "GET /api/health HTTP/1.1\r\nHost: other.example\r\n"
                     "Connection: close\r\n\r\n")
                .status,
            403);
}

TEST_F(TransportAttack, CrossOriginPostsAreRefusedAndStoreNothing) {
  auto cli = server_->Client();
  const std::string before = cli->Get("/api/files/recent")->body;
  const std::string self = "127.0.0.1:" + std::to_string(port());
  const std::string log = MakePlcDebugLog(10, false);
  auto post = [&](const std::string& path, const std::string& headers, const std::string& body) {
    return Exchange(port(), "POST " + path + " HTTP/1.1\r\nHost: " + self + "\r\n" + headers +
                                "Content-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body);
  };
  // A form post of text/plain from another site.
  RawResponse text = post("/api/files/upload?name=evil.log",
                          "Origin: http://evil.example\r\nContent-Type: text/plain\r\n", log);
  EXPECT_EQ(text.status, 403) << text.head;
  EXPECT_EQ(Code(text.body), "CROSS_ORIGIN");
  // multipart/form-data, flagged by the browser only.
  const std::string mp =
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"evil2.log\"\r\n\r\n" +
      log + "\r\n--XyZ--\r\n";
  RawResponse multi = post("/api/files/upload",
                           "Sec-Fetch-Site: cross-site\r\n"
                           "Content-Type: multipart/form-data; boundary=XyZ\r\n",
                           mp);
  EXPECT_EQ(multi.status, 403) << multi.head;
  // Another port of the same host is another origin.
  RawResponse port_origin =
      post("/api/parse", "Origin: http://127.0.0.1:1\r\nContent-Type: application/json\r\n",
           "{\"fileId\":\"x\"}");
  EXPECT_EQ(port_origin.status, 403);
  EXPECT_EQ(Code(port_origin.body), "CROSS_ORIGIN");
  // A JSON route takes JSON only (a simple cross-site request cannot send it).
  RawResponse plain = post("/api/parse", "Content-Type: text/plain\r\n", "{\"fileId\":\"x\"}");
  EXPECT_EQ(plain.status, 415) << plain.head;
  EXPECT_EQ(cli->Get("/api/files/recent")->body, before);

  // Same-origin requests, as the UI makes them, keep working.
  RawResponse same = post("/api/files/upload",
                          "Origin: http://" + self +
                              "\r\nSec-Fetch-Site: same-origin\r\n"
                              "Content-Type: multipart/form-data; boundary=XyZ\r\n",
                          mp);
  EXPECT_EQ(same.status, 201) << same.head << same.body;
  json file = json::parse(same.body, nullptr, false);
  ASSERT_TRUE(file.is_object());
  EXPECT_EQ(file["name"], "evil2.log");
  RawResponse parse =
      post("/api/parse",
           "Origin: http://" + self + "\r\nContent-Type: application/json; charset=utf-8\r\n",
           json{{"fileId", file["id"]}}.dump());
  EXPECT_TRUE(parse.status == 200 || parse.status == 202) << parse.head << parse.body;
}

TEST_F(TransportAttack, SecurityHeadersOnEveryResponse) {
  for (const std::string path : {"/api/health", "/", "/api/nope", "/assets/app.js"}) {
    RawResponse r = Exchange(port(), Get(path, "Connection: close\r\n"));
    EXPECT_NE(r.head.find("X-Content-Type-Options: nosniff"), std::string::npos) << path;
    EXPECT_NE(r.head.find("Referrer-Policy: no-referrer"), std::string::npos) << path;
    EXPECT_NE(r.head.find("X-Frame-Options: DENY"), std::string::npos) << path;
  }
  RawResponse html = Exchange(port(), Get("/", "Connection: close\r\n"));
  EXPECT_NE(html.head.find("Content-Security-Policy: default-src 'self'"), std::string::npos);
  EXPECT_NE(html.head.find("frame-ancestors 'none'"), std::string::npos);
  // HEAD: the same headers, no body.
  RawResponse head = Exchange(port(),
                              "HEAD /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

// Runs `plcscope serve` expecting it to fail at start; returns its exit code
// and stderr (kills it after 15 s if it did start).
int RunExpectingFailure(std::vector<std::string> args, std::string* err) {
  int pipe_fd[2];
  if (::pipe(pipe_fd) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fd[1], 2);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::close(pipe_fd[0]);
    ::close(pipe_fd[1]);
    std::vector<std::string> argv = {PLCSCOPE_BIN, "serve", "--demo", "none", "--quiet"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(pipe_fd[1]);
  ::fcntl(pipe_fd[0], F_SETFL, O_NONBLOCK);
  int status = 0;
  bool exited = false;
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  char buf[4096];
  while (Clock::now() < deadline) {
    ssize_t n;
    while ((n = ::read(pipe_fd[0], buf, sizeof buf)) > 0) err->append(buf, static_cast<size_t>(n));
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ssize_t n;
  while ((n = ::read(pipe_fd[0], buf, sizeof buf)) > 0) err->append(buf, static_cast<size_t>(n));
  ::close(pipe_fd[0]);
  return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(TransportAttack, SecondServerOnTheSamePortFails) {
  const std::string dir =
      (fs::temp_directory_path() / ("plcscope_transport_second_" + std::to_string(::getpid())))
          .string();
  std::string err;
  const int code = RunExpectingFailure(
      {"--port", std::to_string(port()), "--host", "127.0.0.1", "--data-dir", dir}, &err);
  std::error_code ec;
  fs::remove_all(dir, ec);
  EXPECT_EQ(code, 4) << err;
  EXPECT_NE(err.find("port " + std::to_string(port()) + " is already in use"), std::string::npos)
      << err;
  EXPECT_EQ(Exchange(port(), Get("/api/health", "Connection: close\r\n")).status, 200);
}

TEST_F(TransportAttack, SecondServerOnTheSameDataDirFails) {
  std::string err;
  const int code = RunExpectingFailure({"--port", "0", "--data-dir", server_->data_dir()}, &err);
  EXPECT_EQ(code, 3) << err;
  EXPECT_NE(err.find(server_->data_dir()), std::string::npos) << err;
  EXPECT_NE(err.find("pid " + std::to_string(server_->pid())), std::string::npos) << err;
}

TEST_F(TransportAttack, BearerSchemeIsCaseInsensitive) {
  ServerProcess server({"--host", "0.0.0.0", "--token", "s3cret-token"});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  for (const char* scheme : {"Bearer", "bearer", "BEARER"}) {
    auto r = cli->Get("/api/health", {{"Authorization", std::string(scheme) + " s3cret-token"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << scheme;
  }
  auto wrong = cli->Get("/api/health", {{"Authorization", "bearer nope"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
}

TEST_F(TransportAttack, PostWithoutContentLengthIsAnEmptyBody) {
  auto cli = server_->Client();
  json file = UploadRaw(*cli, "keep.log", MakePlcDebugLog(20, false));
  auto r = cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json");
  ASSERT_TRUE(r);
  json session = Json(r);
  ASSERT_TRUE(session["id"].is_string()) << r->body;
  RawResponse k = Exchange(port(), "POST /api/parse/" + session["id"].get<std::string>() +
                                       "/keepalive HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                       "Connection: close\r\n\r\n");
  EXPECT_EQ(k.status, 200) << k.head << k.body;
  // Chunked request bodies keep working (uploads).
  const std::string log = MakePlcDebugLog(10, false);
  char size[16];
  std::snprintf(size, sizeof size, "%zx", log.size());
  RawResponse up =
      Exchange(port(),
               "POST /api/files/upload?name=chunked.log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Content-Type: application/octet-stream\r\n"
               "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                   std::string(size) + "\r\n" + log + "\r\n0\r\n\r\n");
  EXPECT_EQ(up.status, 201) << up.head << up.body;
}

}  // namespace
}  // namespace plcscope::apitest

namespace plcscope::apitest {
namespace {

TEST_F(TransportAttack, CompressedBodiesDecodeCompletelyOrAreRefused) {
  auto cli = server_->Client();
  const std::string before = cli->Get("/api/files/recent")->body;
  const std::string log = MakePlcDebugLog(200, false);
  const std::string gz = Compress(log);
  auto post = [&](const std::string& encoding, const std::string& body) {
    return Exchange(port(),
                    "POST /api/files/upload?name=z.log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/octet-stream\r\nContent-Encoding: " +
                        encoding + "\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\nConnection: close\r\n\r\n" + body);
  };
  RawResponse cut = post("gzip", gz.substr(0, gz.size() / 2));
  EXPECT_GE(cut.status, 400) << cut.head << cut.body;
  EXPECT_LT(cut.status, 500) << cut.body;
  RawResponse br = post("br", gz);
  EXPECT_EQ(br.status, 415) << br.head;
  EXPECT_EQ(Code(br.body), "UNSUPPORTED_ENCODING");
  EXPECT_EQ(cli->Get("/api/files/recent")->body, before);
  RawResponse whole = post("gzip", gz);
  EXPECT_EQ(whole.status, 201) << whole.body;
  json f = json::parse(whole.body, nullptr, false);
  ASSERT_TRUE(f.is_object());
  EXPECT_EQ(f["size"], log.size());
}

}  // namespace
}  // namespace plcscope::apitest

namespace plcscope::apitest {
namespace {

TEST_F(TransportAttack, SlowHeaderIsCutAtTheDeadline) {
  ServerProcess server({"--header-timeout", "1"});
  ASSERT_TRUE(server.Start());
  const int fd = Connect(server.port());
  ASSERT_GE(fd, 0);
  const auto t0 = Clock::now();
  SendAll(fd, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  bool closed = false;
  char c;
  while (Clock::now() - t0 < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    SendAll(fd, "X");  // a trickle: still not a complete header
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0 && ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0) {
      closed = true;
      break;
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  ::close(fd);
  EXPECT_TRUE(closed);
  EXPECT_GT(s, 0.8);
  EXPECT_LT(s, 3.0);
}

TEST_F(TransportAttack, PrintedUrlBracketsIPv6) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const std::string dir =
      (fs::temp_directory_path() / ("plcscope_transport_v6_" + std::to_string(::getpid())))
          .string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<std::string> argv = {PLCSCOPE_BIN, "serve", "--host",  "::1",        "--port", "0",
                                     "--demo",     "none",  "--quiet", "--data-dir", dir};
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* f = ::fdopen(out[0], "r");
  std::string url;
  char line[512];
  while (url.empty() && std::fgets(line, sizeof line, f) != nullptr) {
    std::string s(line);
    if (s.rfind("plcscope: open ", 0) == 0) url = s.substr(15);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::fclose(f);
  std::error_code ec;
  fs::remove_all(dir, ec);
  EXPECT_EQ(url.rfind("http://[::1]:", 0), 0u) << url;
}

}  // namespace
}  // namespace plcscope::apitest
