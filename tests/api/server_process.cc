#include "tests/api/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/base64.h"

namespace plcscope::apitest {

namespace fs = std::filesystem;

namespace {
std::string TempDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  char* p = ::mkdtemp(tmpl.data());
  return p ? std::string(p) : std::string();
}
}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> args, std::string data_dir)
    : args_(std::move(args)), data_dir_(std::move(data_dir)) {
  if (data_dir_.empty()) {
    data_dir_ = TempDir("plcscope_api_");
    own_dir_ = true;
  }
}

ServerProcess::~ServerProcess() {
  Stop();
  if (own_dir_) {
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }
}

bool ServerProcess::Start() {
  // A server that refuses a body closes the connection while the client may
  // still be sending: the client must see an error, not die of SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int out[2];
  if (::pipe(out) != 0) return false;
  std::vector<std::string> argv = {PLCSCOPE_BIN, "serve",   "--port", "0",
                                   "--data-dir", data_dir_, "--quiet"};
  bool has_host = false;
  for (size_t i = 0; i < args_.size(); ++i) {
    argv.push_back(args_[i]);
    if (args_[i] == "--host" && i + 1 < args_.size()) {
      has_host = true;
      const std::string& h = args_[i + 1];
      connect_host_ = (h == "0.0.0.0") ? "127.0.0.1" : h;
    }
  }
  if (!has_host) connect_host_ = "127.0.0.1";
  // Tests see only their own files: no demo log unless a test asks for one.
  if (std::find(args_.begin(), args_.end(), "--demo") == args_.end()) {
    argv.push_back("--demo");
    argv.push_back("none");
  }
  // Nor the machine's config file (/etc/plcscope/plcscope.toml) unless a test names one.
  if (std::find(args_.begin(), args_.end(), "--config") == args_.end()) {
    argv.push_back("--config");
    argv.push_back("none");
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    // The server must not outlive a test process that dies (crash, timeout).
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::dup2(out[1], 1);
    if (!stderr_path_.empty()) {
      const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, 2);
    }
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  // Read stdout until the "open http://..." line.
  FILE* f = ::fdopen(out[0], "r");
  char line[1024];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (port_ == 0 && std::chrono::steady_clock::now() < deadline &&
         std::fgets(line, sizeof line, f) != nullptr) {
    std::string s(line);
    if (auto i = s.find("listening on "); i != std::string::npos) {
      auto colon = s.rfind(':', s.find(" (data"));
      port_ = std::atoi(s.c_str() + colon + 1);
    }
  }
  // Keep reading the token line if any, without blocking forever.
  std::thread([f, this] {
    char l[1024];
    while (std::fgets(l, sizeof l, f) != nullptr) {
      std::string s(l);
      if (auto i = s.find("access token: "); i != std::string::npos) {
        token_ = s.substr(i + 14);
        while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
          token_.pop_back();
      }
    }
    std::fclose(f);
  }).detach();
  if (port_ == 0) return false;
  // The token line follows the listening line; give the reader a moment.
  for (int i = 0; i < 200; ++i) {
    auto cli = Client();
    httplib::Headers h;
    if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
    auto r = cli->Get("/api/health", h);
    if (r && (r->status == 200 || r->status == 401)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::unique_ptr<httplib::Client> ServerProcess::Client() const {
  auto cli = std::make_unique<httplib::Client>(connect_host_, port_);
  cli->set_read_timeout(120, 0);
  cli->set_write_timeout(120, 0);
  cli->set_connection_timeout(5, 0);
  return cli;
}

std::string MakePlcDebugLog(int lines, bool with_error) {
  static const char* kDevices[] = {"SYSTEM/LINE1/DEV-101", "SYSTEM/LINE1/DEV-102",
                                   "B1.Belts.B1ACNV13301-104@D19"};
  std::string out;
  char buf[512];
  for (int i = 0; i < lines; ++i) {
    if (with_error && i == 2) {
      out += "this line is not a log line\n";
      continue;
    }
    const int ms_total = i * 10;
    const int sec = ms_total / 1000, ms = ms_total % 1000;
    const char* dev = kDevices[i % 3];
    switch (i % 4) {
      case 0:
        std::snprintf(
            buf, sizeof buf,
            "2025-09-22 13:%02d:%02d.%03d [Debug] [%s] [INPUT2:I_MOVE_IN] (Boolean) : %s\n",
            sec / 60, sec % 60, ms, dev, (i / 4) % 2 ? "ON" : "OFF");
        break;
      case 1:
        std::snprintf(
            buf, sizeof buf,
            "2025-09-22 13:%02d:%02d.%03d [Info] [%s] [INPUT:Temperature] (Integer) : %d\n",
            sec / 60, sec % 60, ms, dev, 40 + (i % 7));
        break;
      case 2:
        std::snprintf(buf, sizeof buf,
                      "2025-09-22 13:%02d:%02d.%03d [Info] [%s] [OUTPUT:Speed] (float) : %d.5\n",
                      sec / 60, sec % 60, ms, dev, i % 5);
        break;
      default:
        std::snprintf(buf, sizeof buf,
                      "2025-09-22 13:%02d:%02d.%03d [Info] [%s] [STATE:Mode] (String) : %s\n",
                      sec / 60, sec % 60, ms, dev, (i / 4) % 3 == 0 ? "AUTO" : "MANUAL");
        break;
    }
    out += buf;
  }
  return out;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::string dir = TempDir("plcscope_in_");
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

void PostGzipChunks(httplib::Client& cli, const std::string& upload_id, const std::string& packed,
                    int chunks) {
  const size_t piece = packed.size() / chunks + 1;
  for (int i = 0; i < chunks; ++i) {
    auto r = cli.Post("/api/files/upload/chunk",
                      nlohmann::json{{"uploadId", upload_id},
                                     {"chunkIndex", i},
                                     {"totalChunks", chunks},
                                     {"compressed", true},
                                     {"data", base::EncodeBase64(packed.substr(i * piece, piece))}}
                          .dump(),
                      "application/json");
    ASSERT_TRUE(r) << "chunk " << i;
    ASSERT_EQ(r->status, 202) << r->body;
  }
}

std::vector<nlohmann::json> SseEvents(const std::string& sse) {
  std::vector<nlohmann::json> out;
  for (size_t i = 0; (i = sse.find("data: ", i)) != std::string::npos; i += 6) {
    out.push_back(nlohmann::json::parse(sse.substr(i + 6, sse.find("\n\n", i) - i - 6)));
  }
  return out;
}

nlohmann::json Json(const httplib::Result& r) {
  if (!r) {
    ADD_FAILURE() << "no response: " << httplib::to_string(r.error());
    return nullptr;
  }
  try {
    return nlohmann::json::parse(r->body);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON (" << e.what() << "): " << r->body.substr(0, 300);
    return nullptr;
  }
}

nlohmann::json WaitParsed(httplib::Client& cli, const std::string& id, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  nlohmann::json j;
  while (std::chrono::steady_clock::now() < deadline) {
    j = Json(cli.Get("/api/parse/" + id + "/status"));
    if (j.is_object() && (j["status"] == "complete" || j["status"] == "error")) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "session " << id << " did not finish: " << j.dump();
  return j;
}

nlohmann::json UploadRaw(httplib::Client& cli, const std::string& name, const std::string& body) {
  auto r = cli.Post(("/api/files/upload?name=" + name).c_str(), body, "application/octet-stream");
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : httplib::to_string(r.error()));
  return Json(r);
}

int CountFiles(const std::string& dir) {
  std::error_code ec;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) n += e.is_regular_file();
  return n;
}

bool IsRfc3339Millis(const std::string& s) {
  // 2025-09-22T13:00:00.199Z
  if (s.size() != 24) return false;
  const char* pat = "dddd-dd-ddTdd:dd:dd.dddZ";
  for (size_t i = 0; i < s.size(); ++i) {
    if (pat[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != pat[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace plcscope::apitest
