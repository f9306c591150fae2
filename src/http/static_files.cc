#include "http/static_files.h"

#include <filesystem>

#include "http/api_error.h"
#include "http/router.h"

namespace plcscope::http {

namespace fs = std::filesystem;

namespace {
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

const char* MimeTypeFor(std::string_view name) {
  if (EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(name, ".js") || EndsWith(name, ".mjs")) return "text/javascript; charset=utf-8";
  if (EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(name, ".json") || EndsWith(name, ".map")) return "application/json; charset=utf-8";
  if (EndsWith(name, ".svg")) return "image/svg+xml";
  if (EndsWith(name, ".png")) return "image/png";
  if (EndsWith(name, ".ico")) return "image/x-icon";
  if (EndsWith(name, ".woff2")) return "font/woff2";
  if (EndsWith(name, ".wasm")) return "application/wasm";
  if (EndsWith(name, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool IsTraversal(std::string_view url_path) {
  if (url_path.find('\0') != std::string_view::npos) return true;
  if (url_path.find('\\') != std::string_view::npos) return true;
  for (std::string_view seg : SplitPath(url_path)) {
    if (seg == ".." || seg == ".") return true;
  }
  return false;
}

Response ServeStatic(const std::string& ui_dir, std::string_view url_path) {
  if (IsTraversal(url_path)) {
    return ErrorResponse(400, "BAD_PATH",
                         "The path must not contain '..', '.' or '\\\\' segments.");
  }
  std::error_code ec;
  if (ui_dir.empty() || !fs::is_directory(ui_dir, ec)) {
    return ErrorResponse(404, "NOT_FOUND",
                         "The web UI is not built (no UI folder); the API is under /api.");
  }
  const fs::path root = fs::canonical(ui_dir, ec);
  if (ec) return ErrorResponse(404, "NOT_FOUND", "The web UI folder cannot be read.");
  std::string rel;
  for (std::string_view seg : SplitPath(url_path)) {
    if (!rel.empty()) rel.push_back('/');
    rel.append(seg);
  }
  fs::path file = rel.empty() ? root / "index.html" : root / rel;
  fs::path real = fs::weakly_canonical(file, ec);
  const std::string root_s = root.string() + "/";
  const bool inside = !ec && real.string().rfind(root_s, 0) == 0;
  if (!inside || !fs::is_regular_file(real, ec)) {
    real = root / "index.html";  // SPA fallback: the UI routes the path itself
    if (!fs::is_regular_file(real, ec)) {
      return ErrorResponse(404, "NOT_FOUND", "The web UI has no index.html.");
    }
  }
  Response r;
  r.file_path = real.string();
  r.content_type = MimeTypeFor(r.file_path);
  if (EndsWith(r.file_path, "index.html")) {
    r.SetHeader("Cache-Control", "no-cache");
  } else if (rel.rfind("assets/", 0) == 0) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  }
  return r;
}

}  // namespace plcscope::http
