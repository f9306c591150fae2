// Static UI files: resolves a URL path to a file inside the UI build folder,
// never outside it (no "..", no symlink escape), with the SPA fallback to
// index.html. Pure functions over the file system; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace plcscope::http {

// A response for GET `url_path` (not under /api): the file, index.html for
// unknown paths, 400 BAD_PATH for traversal attempts, 404 when there is no UI
// folder.
Response ServeStatic(const std::string& ui_dir, std::string_view url_path);

// The MIME type for a file name's extension.
const char* MimeTypeFor(std::string_view name);

// True when a decoded URL path tries to leave its root ("..", NUL, "\").
bool IsTraversal(std::string_view url_path);

}  // namespace plcscope::http
