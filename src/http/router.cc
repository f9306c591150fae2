#include "http/router.h"

#include "http/api_error.h"

namespace plcscope::http {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void Router::Add(std::string method, std::string_view pattern, Handler handler, BodyMode body) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::string(pattern);
  for (std::string_view s : SplitPath(pattern)) r.segments.emplace_back(s);
  r.handler = std::move(handler);
  r.body = body;
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path, Request* req) const {
  const std::vector<std::string_view> parts = SplitPath(path);
  Match m;
  for (size_t ri = 0; ri < routes_.size(); ++ri) {
    const Route& r = routes_[ri];
    if (r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      ok = (!seg.empty() && seg[0] == ':') || seg == parts[i];
    }
    if (!ok) continue;
    if (r.method != method) {
      m.result = MatchResult::kWrongMethod;
      continue;
    }
    if (req != nullptr) {
      for (size_t i = 0; i < parts.size(); ++i) {
        if (r.segments[i][0] == ':') req->path_params[r.segments[i].substr(1)] = parts[i];
      }
      req->route = static_cast<int>(ri);
    }
    m.result = MatchResult::kFound;
    m.handler = &r.handler;
    m.body = r.body;
    m.index = static_cast<int>(ri);
    return m;
  }
  return m;
}

Response Router::Dispatch(Request& req) const {
  Match m = Find(req.method, req.path, &req);
  switch (m.result) {
    case MatchResult::kFound:
      return (*m.handler)(req);
    case MatchResult::kWrongMethod:
      return ErrorResponse(405, "METHOD_NOT_ALLOWED",
                           "Method " + req.method + " is not allowed on " + req.path);
    case MatchResult::kNoPath:
      break;
  }
  return ErrorResponse(404, "NOT_FOUND", "No API endpoint at " + req.path);
}

}  // namespace plcscope::http
