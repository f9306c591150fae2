// Router: maps (method, path) to a handler. Patterns are slash-separated
// segments where ":name" captures one segment into Request::path_params.
// Routes are added at start-up; Match() is const and thread-safe afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace plcscope::http {

using Handler = std::function<Response(Request&)>;

// How a route wants its request body.
enum class BodyMode {
  kBuffered,  // the transport reads the body (bounded) into Request::body
  kStreamed,  // the handler reads it through Request::read_body / read_multipart
};

class Router {
 public:
  void Add(std::string method, std::string_view pattern, Handler handler,
           BodyMode body = BodyMode::kBuffered);

  enum class MatchResult { kFound, kNoPath, kWrongMethod };
  struct Match {
    MatchResult result = MatchResult::kNoPath;
    const Handler* handler = nullptr;
    BodyMode body = BodyMode::kBuffered;
    int index = -1;  // the route's position in registration order
  };
  // On kFound fills req->path_params from the pattern and req->route.
  Match Find(std::string_view method, std::string_view path, Request* req) const;

  // Dispatches: 404 NOT_FOUND / 405 METHOD_NOT_ALLOWED for misses, otherwise
  // the handler's response. Exceptions are the caller's to catch.
  Response Dispatch(Request& req) const;

  // The routes in registration order (index = Match::index = Request::route).
  size_t size() const { return routes_.size(); }
  const std::string& method(size_t i) const { return routes_[i].method; }
  const std::string& pattern(size_t i) const { return routes_[i].pattern; }

 private:
  struct Route {
    std::string method;
    std::string pattern;  // as registered: "/api/parse/:id/entries"
    std::vector<std::string> segments;
    Handler handler;
    BodyMode body;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b/c" into {"a", "b", "c"} (empty segments dropped).
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace plcscope::http
