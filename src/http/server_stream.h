// The transport's blocking socket I/O for worker threads (internal to
// server.cc and its server_*.cc parts; handlers never see it). FdStream reads
// and writes a connection's non-blocking socket, each operation under its own
// deadline (poll), and satisfies Beast's SyncReadStream / SyncWriteStream, so
// the HTTP parser reads bodies and the WebSocket stream runs through it.
// ChunkSink writes a streamed response in HTTP/1.1 chunked framing. Each is
// used by one worker thread at a time; not thread-safe.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/beast/core/error.hpp>
#include <cstddef>
#include <string_view>
#include <utility>

#include "http/request.h"

namespace plcscope::http {

class FdStream {
 public:
  FdStream(int fd, int read_timeout_ms, int write_timeout_ms,
           boost::asio::any_io_executor ex = boost::asio::system_executor())
      : fd_(fd), read_ms_(read_timeout_ms), write_ms_(write_timeout_ms), ex_(std::move(ex)) {}

  // Only for Beast's type requirements (websocket::stream); no async op
  // ever runs on an FdStream.
  using executor_type = boost::asio::any_io_executor;
  executor_type get_executor() { return ex_; }

  template <class Buffers>
  size_t write_some(const Buffers& buffers, boost::beast::error_code& ec) {
    ec = {};
    size_t total = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b = *it;
      if (b.size() == 0) continue;
      if (!WriteAll(static_cast<const char*>(b.data()), b.size())) {
        ec = boost::asio::error::broken_pipe;
        return total;
      }
      total += b.size();
    }
    return total;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers) {
    boost::beast::error_code ec;
    const size_t n = write_some(buffers, ec);
    if (ec) throw boost::beast::system_error(ec);
    return n;
  }
  int fd() const { return fd_; }

  template <class Buffers>
  size_t read_some(const Buffers& buffers, boost::beast::error_code& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      return Read(b.data(), b.size(), ec);
    }
    ec = {};
    return 0;
  }
  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    boost::beast::error_code ec;
    const size_t n = read_some(buffers, ec);
    if (ec) throw boost::beast::system_error(ec);
    return n;
  }

  size_t Read(void* data, size_t size, boost::beast::error_code& ec);
  bool WriteAll(const char* data, size_t size);
  bool WriteAll(std::string_view s) { return WriteAll(s.data(), s.size()); }

 private:
  bool Wait(short events, int timeout_ms, boost::beast::error_code& ec);

  int fd_;
  int read_ms_;
  int write_ms_;
  boost::asio::any_io_executor ex_;
};

// A streamed response's body in chunked framing; stops (Write false) once a
// write fails or the client is gone.
class ChunkSink : public StreamSink {
 public:
  ChunkSink(FdStream& out, const std::atomic<bool>& gone) : out_(out), gone_(gone) {}
  bool Write(std::string_view data) override;
  bool ok() const { return ok_; }
  // Body bytes written so far (without the chunk framing).
  size_t bytes() const { return bytes_; }

 private:
  FdStream& out_;
  const std::atomic<bool>& gone_;
  bool ok_ = true;
  size_t bytes_ = 0;
};

}  // namespace plcscope::http
