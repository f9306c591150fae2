// Handlers: a session's named lane layouts (list, get, save, delete), shared
// by everyone who opens the session (docs/api.md "Layouts").
#include "http/api.h"
#include "http/handler_util.h"
#include "http/header_values.h"

namespace plcscope::http {

void Api::AddLayoutRoutes() {
  // The session must exist (parsed or not); its layouts are kept apart from
  // its store, so a re-parse keeps them.
  auto known = [this](const Request& req, ApiError* err) {
    if (sessions_->Find(req.Param("id"))) return true;
    *err = NotFoundError("No parse session with id '" + req.Param("id") + "'.");
    return false;
  };
  // A name is one path segment, percent-encoded by the client.
  auto name_of = [](const Request& req) { return UrlDecode(req.Param("name"), false); };

  router_.Add("GET", "/api/parse/:id/layouts", [this, known](Request& req) {
    ApiError err;
    if (!known(req, &err)) return ErrorResponse(err);
    return JsonResponse(200, layouts_->ListJson(req.Param("id")));
  });

  router_.Add("GET", "/api/parse/:id/layouts/:name", [this, known, name_of](Request& req) {
    ApiError err;
    std::string json;
    if (!known(req, &err) || !layouts_->Get(req.Param("id"), name_of(req), &json, &err)) {
      return ErrorResponse(err);
    }
    return JsonResponse(200, std::move(json));
  });

  router_.Add("PUT", "/api/parse/:id/layouts/:name", [this, known, name_of](Request& req) {
    ApiError err;
    nlohmann::json body;
    std::string json;
    if (!known(req, &err) || !ParseJsonObject(req, &body, &err) ||
        !layouts_->Put(req.Param("id"), name_of(req), body, &json, &err)) {
      return ErrorResponse(err);
    }
    return JsonResponse(200, std::move(json));
  });

  router_.Add("DELETE", "/api/parse/:id/layouts/:name", [this, known, name_of](Request& req) {
    ApiError err;
    if (!known(req, &err) || !layouts_->Delete(req.Param("id"), name_of(req), &err)) {
      return ErrorResponse(err);
    }
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  });
}

}  // namespace plcscope::http
