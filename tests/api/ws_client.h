// WsClient: a blocking WebSocket client of GET /api/ws/uploads (Boost.Beast)
// for the API and attack tests: sends the old client's JSON messages and
// reads the server's, every read bounded by a watchdog. Header-only; one
// client per thread.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/base64.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

class WsClient {
 public:
  using json = nlohmann::json;

  // Connects and handshakes; `origin` non-empty: sent as the Origin header.
  explicit WsClient(int port, const std::string& origin = "") : ws_(ioc_) {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
    if (ec) return;
    if (!origin.empty()) {
      ws_.set_option(websocket::stream_base::decorator(
          [origin](websocket::request_type& r) { r.set(beast::http::field::origin, origin); }));
    }
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/api/ws/uploads", ec);
    open_ = !ec;
  }
  bool open() const { return open_; }

  void Send(const std::string& type, json payload = nullptr) {
    json m = {{"type", type}, {"timestamp", 1}};
    if (!payload.is_null()) m["payload"] = std::move(payload);
    ws_.text(true);
    beast::error_code ec;
    ws_.write(net::buffer(m.dump()), ec);
    ASSERT_FALSE(ec) << ec.message();
  }

  // The next message (null when the connection ended). A watchdog closes
  // the socket after 20 s, so that a silent server fails the test.
  json Read() {
    beast::flat_buffer b;
    beast::error_code ec;
    std::atomic<bool> done{false};
    std::thread watchdog([&] {
      for (int i = 0; i < 200 && !done; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (!done) beast::get_lowest_layer(ws_).close();
    });
    ws_.read(b, ec);
    done = true;
    watchdog.join();
    if (ec) return nullptr;
    EXPECT_TRUE(ws_.got_text());
    return json::parse(beast::buffers_to_string(b.data()));
  }

  // Reads until a message of type `type` or "error" (collecting the others).
  json ReadUntil(const std::string& type, std::vector<json>* seen = nullptr) {
    for (int i = 0; i < 1000; ++i) {
      json m = Read();
      if (m.is_null() || m["type"] == type || m["type"] == "error") return m;
      if (seen) seen->push_back(m);
    }
    return nullptr;
  }

  // Starts an upload; returns its id ("" on failure, the error in *error).
  std::string Init(const std::string& name, int chunks, uint64_t size, const std::string& encoding,
                   json* error = nullptr) {
    Send(
        "upload:init",
        {{"fileName", name}, {"totalChunks", chunks}, {"totalSize", size}, {"encoding", encoding}});
    json ack = ReadUntil("ack");
    if (ack.is_null() || ack["type"] != "ack") {
      if (error) *error = ack;
      return "";
    }
    EXPECT_TRUE(ack["id"].is_string()) << ack;
    return ack["id"];
  }

  void Chunk(const std::string& id, int index, const std::string& bytes, bool last) {
    Send("upload:chunk", {{"uploadId", id},
                          {"chunkIndex", index},
                          {"data", base::EncodeBase64(bytes)},
                          {"isLast", last}});
  }

  // Sends a raw frame (text or binary) as is.
  void SendRaw(const std::string& data, bool binary = false) {
    ws_.binary(binary);
    beast::error_code ec;
    ws_.write(net::buffer(data), ec);
    ASSERT_FALSE(ec) << ec.message();
  }

  void Drop() { beast::get_lowest_layer(ws_).close(); }

 private:
  using tcp = boost::asio::ip::tcp;
  net::io_context ioc_;
  websocket::stream<tcp::socket> ws_;
  bool open_ = false;
};

}  // namespace plcscope::apitest
