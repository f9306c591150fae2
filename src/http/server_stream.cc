#include "http/server_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>

namespace plcscope::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

size_t FdStream::Read(void* data, size_t size, beast::error_code& ec) {
  ec = {};
  while (true) {
    const ssize_t n = ::recv(fd_, data, size, 0);
    if (n > 0) return static_cast<size_t>(n);
    if (n == 0) {
      ec = net::error::eof;
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      ec = beast::error_code(errno, beast::system_category());
      return 0;
    }
    if (!Wait(POLLIN, read_ms_, ec)) return 0;
  }
}

bool FdStream::WriteAll(const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      beast::error_code ec;
      if (!Wait(POLLOUT, write_ms_, ec)) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool FdStream::Wait(short events, int timeout_ms, beast::error_code& ec) {
  pollfd p{fd_, events, 0};
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ec = beast::error::timeout;
      return false;
    }
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) {
      ec = beast::error_code(errno, beast::system_category());
      return false;
    }
  }
}

bool ChunkSink::Write(std::string_view data) {
  if (!ok_ || gone_.load(std::memory_order_relaxed)) return ok_ = false;
  if (data.empty()) return true;
  char head[24];
  const int n = std::snprintf(head, sizeof head, "%zx\r\n", data.size());
  if (data.size() <= (16 << 10)) {
    std::string piece(head, static_cast<size_t>(n));
    piece.append(data);
    piece += "\r\n";
    ok_ = out_.WriteAll(piece);
  } else {
    ok_ = out_.WriteAll(head, static_cast<size_t>(n)) && out_.WriteAll(data) &&
          out_.WriteAll("\r\n", 2);
  }
  if (ok_) bytes_ += data.size();
  return ok_;
}

}  // namespace plcscope::http
