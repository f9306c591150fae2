// ServerProcess: starts a real `plcscope serve` on a free loopback port with
// a temporary data directory, for the API tests, and stops it (SIGTERM, then
// SIGKILL) at the end. Helpers to build test logs and read JSON responses.
// Not thread-safe; one per test fixture.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/test_compress.h"

namespace plcscope::apitest {

class ServerProcess {
 public:
  // `args` are extra `serve` arguments (files, --host, --token, limits...).
  // `data_dir` empty: a fresh temporary directory (removed by the destructor).
  explicit ServerProcess(std::vector<std::string> args = {}, std::string data_dir = "");
  ~ServerProcess();

  // Starts and waits until /api/health answers; false on failure.
  bool Start();
  // SIGTERM and wait; returns the exit status (-1 when it had to be killed).
  int Stop();

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& host() const { return connect_host_; }
  int pid() const { return pid_; }
  // The printed access token, when the server printed one.
  const std::string& token() const { return token_; }
  std::unique_ptr<httplib::Client> Client() const;
  // Before Start(): the server's stderr goes to this file (else the test's stderr).
  void SetStderrPath(std::string path) { stderr_path_ = std::move(path); }

 private:
  std::vector<std::string> args_;
  std::string data_dir_;
  bool own_dir_ = false;
  std::string connect_host_ = "127.0.0.1";
  int pid_ = -1;
  int port_ = 0;
  std::string token_;
  std::string stderr_path_;
};

// A plc_debug log with `lines` lines over a few devices, signals, types and
// categories, 10 ms apart from 2025-09-22 13:00:00.000, plus one bad line
// at line 3 when `with_error`.
std::string MakePlcDebugLog(int lines, bool with_error = true);
// Writes `text` to a new temporary file; returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);
// gzip of a string (http/test_compress.h, shared with the decoders' unit tests).
using http::test_util::Compress;

// Sends `packed` (gzip bytes) as `chunks` base64 pieces to
// POST /api/files/upload/chunk under `upload_id`, as the old client does;
// fails the test unless every piece is accepted (202).
void PostGzipChunks(httplib::Client& cli, const std::string& upload_id, const std::string& packed,
                    int chunks);
// The JSON of every `data:` event of a server-sent event stream.
std::vector<nlohmann::json> SseEvents(const std::string& sse);

// Parses a response body as JSON (a failed parse fails the test and yields null).
nlohmann::json Json(const httplib::Result& r);
// Polls /api/parse/:id/status until complete or error (or the timeout).
nlohmann::json WaitParsed(httplib::Client& cli, const std::string& session_id,
                          int timeout_ms = 60000);
// Uploads `body` raw with ?name=; returns the FileInfo.
nlohmann::json UploadRaw(httplib::Client& cli, const std::string& name, const std::string& body);
// Number of regular files in a directory (0 when absent).
int CountFiles(const std::string& dir);
// True for "2025-09-22T13:00:00.199Z".
bool IsRfc3339Millis(const std::string& s);

}  // namespace plcscope::apitest
