// libFuzzer target: the API's query-parameter and JSON-body handling, without
// sockets. A real Api over a temporary data directory holds one parsed
// session; each input picks an endpoint (first byte), then carries a query
// string up to the first '\n' and a request body after it. Every response
// must be a well-formed status with a JSON body for JSON content types, and
// errors must carry {"error", "code"}.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/api.h"

namespace {

using plcscope::http::Api;
using plcscope::http::Request;
using plcscope::http::Response;

struct Endpoint {
  const char* method;
  const char* path;  // "{s}" is the session id, "{f}" the file id
};
constexpr Endpoint kEndpoints[] = {
    {"GET", "/api/parse/{s}/entries"},
    {"GET", "/api/parse/{s}/at-time"},
    {"GET", "/api/parse/{s}/index-of-time"},
    {"GET", "/api/parse/{s}/time-tree"},
    {"GET", "/api/parse/{s}/errors"},
    {"POST", "/api/parse/{s}/chunk"},
    {"POST", "/api/parse/{s}/chunk-boundaries"},
    {"POST", "/api/parse/{s}/waveform"},
    {"POST", "/api/parse/{s}/transitions"},
    {"GET", "/api/parse/{s}/signals"},
    {"POST", "/api/parse"},
    {"PUT", "/api/files/{f}"},
    {"POST", "/api/files/upload/chunk"},
    {"POST", "/api/files/upload/complete"},
    {"GET", "/api/parse/{s}/status"},
    {"GET", "/api/files/recent"},
};

std::unique_ptr<Api> g_api;
std::string g_session, g_file;

std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(s[i + 1]) && std::isxdigit(s[i + 2])) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

void Setup() {
  namespace fs = std::filesystem;
  const std::string dir = fs::temp_directory_path() / ("plcscope_fuzz_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string log = dir + "/input.log";
  {
    std::ofstream out(log);
    for (int i = 0; i < 300; ++i) {
      char line[256];
      std::snprintf(
          line, sizeof line,
          "2025-09-22 13:00:%02d.%03d [Info] [SYSTEM/LINE1/DEV-%d] [CAT%d:SIG%d] (%s) : %d\n",
          i / 100, (i * 7) % 1000, 100 + i % 3, i % 2, i % 5, i % 2 ? "Integer" : "Boolean",
          i % 2 ? i : (i / 3) % 2);
      out << line;
    }
  }
  plcscope::http::ServerConfig cfg;
  cfg.data_dir = dir + "/data";
  cfg.files = {log};
  cfg.quiet = true;
  cfg.max_upload_bytes = 1 << 20;
  cfg.chunk_entry_cap = 100;
  auto api = Api::Create(cfg);
  if (!api.ok()) std::abort();
  g_api = std::move(*api);
  g_session = g_api->OpenStartupFiles();
  g_file = g_api->files().Recent(1).at(0).id;
  for (int i = 0; i < 3000; ++i) {
    auto s = g_api->sessions().Find(g_session);
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->status == "complete") return;
    if (s->status == "error") std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!g_api) Setup();
  if (size == 0) return 0;
  const Endpoint& ep = kEndpoints[data[0] % (sizeof kEndpoints / sizeof kEndpoints[0])];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t nl = rest.find('\n');
  std::string_view query = rest.substr(0, nl);
  Request req;
  req.method = ep.method;
  req.path = ep.path;
  if (auto p = req.path.find("{s}"); p != std::string::npos) req.path.replace(p, 3, g_session);
  if (auto p = req.path.find("{f}"); p != std::string::npos) req.path.replace(p, 3, g_file);
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view kv = query.substr(i, amp - i);
    size_t eq = kv.find('=');
    if (!kv.empty()) {
      req.query.emplace(Decode(kv.substr(0, eq)),
                        eq == std::string_view::npos ? "" : Decode(kv.substr(eq + 1)));
    }
    i = amp + 1;
  }
  if (nl != std::string_view::npos) req.body.assign(rest.substr(nl + 1));
  Response res = g_api->router().Dispatch(req);
  if (res.status < 100 || res.status > 599) std::abort();
  if (res.status >= 400) {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j["error"].is_string() || !j["code"].is_string()) std::abort();
  } else if (!res.stream && res.content_type.rfind("application/json", 0) == 0 &&
             !res.body.empty()) {
    if (nlohmann::json::parse(res.body, nullptr, false).is_discarded()) std::abort();
  }
  return 0;
}
