// The WebSocket plumbing of the transport (http/websocket.h), through a real
// HttpServer on loopback with an echo route registered only here.
#include "http/websocket.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <filesystem>
#include <thread>

#include "http/api.h"
#include "http/server.h"

namespace plcscope::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("plcscope_ws_test_" + std::to_string(::getpid())))
               .string();
    std::filesystem::create_directories(dir_);
    cfg_.data_dir = dir_;
    cfg_.port = 0;
    cfg_.quiet = true;
    auto api = Api::Create(cfg_);
    ASSERT_TRUE(api.ok()) << api.status().message();
    api_ = std::move(*api);
    server_ = std::make_unique<HttpServer>(api_.get(), cfg_);
    server_->AddWebSocket("/api/ws/echo/:tag", [](Request& req, WebSocket& ws) {
      WebSocket::Message m;
      while (ws.ReadMessage(&m)) {
        if (m.binary) {
          if (!ws.WriteBinary(m.data)) return;
        } else if (m.data == "bye") {
          ws.Close("done");
          return;
        } else if (!ws.WriteText(req.Param("tag") + ":" + m.data)) {
          return;
        }
      }
    });
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    if (api_) api_->BeginShutdown();
    server_.reset();
    api_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A connected, handshaken client; `origin` empty: none sent.
  bool Open(websocket::stream<tcp::socket>* ws, const std::string& path,
            const std::string& origin = "") {
    beast::error_code ec;
    ws->next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    if (ec) return false;
    ws->set_option(websocket::stream_base::decorator([origin](websocket::request_type& r) {
      if (!origin.empty()) r.set(beast::http::field::origin, origin);
    }));
    ws->handshake("127.0.0.1:" + std::to_string(port_), path, ec);
    return !ec;
  }

  std::string dir_;
  ServerConfig cfg_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  unsigned short port_ = 0;
};

TEST_F(WebSocketTest, EchoesTextAndBinaryAndCloses) {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ASSERT_TRUE(Open(&ws, "/api/ws/echo/t1"));
  ws.text(true);
  ws.write(net::buffer(std::string("hello")));
  beast::flat_buffer b;
  ws.read(b);
  EXPECT_TRUE(ws.got_text());
  EXPECT_EQ(beast::buffers_to_string(b.data()), "t1:hello");
  b.consume(b.size());
  const std::string blob(200000, '\x01');
  ws.binary(true);
  ws.write(net::buffer(blob));
  ws.read(b);
  EXPECT_TRUE(ws.got_binary());
  EXPECT_EQ(beast::buffers_to_string(b.data()), blob);
  b.consume(b.size());
  ws.text(true);
  ws.write(net::buffer(std::string("bye")));
  beast::error_code ec;
  ws.read(b, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().reason, "done");
}

TEST_F(WebSocketTest, CrossOriginAndUnknownRoutesAreRefused) {
  net::io_context ioc;
  {
    websocket::stream<tcp::socket> ws(ioc);
    EXPECT_FALSE(Open(&ws, "/api/ws/echo/x", "http://evil.example"));
  }
  {
    websocket::stream<tcp::socket> ws(ioc);
    EXPECT_FALSE(Open(&ws, "/api/ws/nothing"));
  }
  {
    websocket::stream<tcp::socket> ws(ioc);
    EXPECT_TRUE(Open(&ws, "/api/ws/echo/x", "http://127.0.0.1:" + std::to_string(port_)));
  }
}

}  // namespace
}  // namespace plcscope::http
