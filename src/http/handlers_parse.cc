// Handlers: parse sessions (start single or merged, status, SSE progress,
// keepalive, delete).
#include "http/api.h"
#include "http/handler_util.h"

namespace plcscope::http {

void Api::AddParseRoutes() {
  router_.Add("POST", "/api/parse", [this](Request& req) {
    nlohmann::json j;
    ApiError err;
    if (!ParseJsonObject(req, &j, &err)) return ErrorResponse(err);
    std::string file_id, format;
    std::vector<std::string> file_ids;
    if (!JsonString(j, "fileId", &file_id, &err) ||
        !JsonStringList(j, "fileIds", &file_ids, &err) || !JsonString(j, "format", &format, &err)) {
      return ErrorResponse(err);
    }
    if (file_ids.empty() && !file_id.empty()) file_ids.push_back(file_id);
    auto s = sessions_->Start(file_ids, format, &err);
    if (!s) return ErrorResponse(err);
    std::lock_guard<std::mutex> lock(s->mu);
    return JsonResponse(202, s->ToJsonLocked());
  });

  router_.Add("GET", "/api/parse/:id/status", [this](Request& req) {
    auto s = sessions_->Find(req.Param("id"));
    if (!s) {
      return ErrorResponse(NotFoundError("No parse session with id '" + req.Param("id") + "'."));
    }
    std::lock_guard<std::mutex> lock(s->mu);
    return JsonResponse(200, s->ToJsonLocked());
  });

  router_.Add("GET", "/api/parse/:id/progress", [this](Request& req) {
    auto s = sessions_->Find(req.Param("id"));
    if (!s) {
      return ErrorResponse(NotFoundError("No parse session with id '" + req.Param("id") + "'."));
    }
    return SseResponse(WatchAsSse(s, &stopping_, [s] { s->last_access_ns = NowNs(); }));
  });

  router_.Add("POST", "/api/parse/:id/keepalive", [this](Request& req) {
    if (!sessions_->Find(req.Param("id"))) {
      return ErrorResponse(NotFoundError("No parse session with id '" + req.Param("id") + "'."));
    }
    return JsonResponse(200, R"({"status":"ok"})");
  });

  router_.Add("DELETE", "/api/parse/:id", [this](Request& req) {
    if (!sessions_->Delete(req.Param("id"))) {
      return ErrorResponse(NotFoundError("No parse session with id '" + req.Param("id") + "'."));
    }
    layouts_->DeleteAll(req.Param("id"));
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  });
}

}  // namespace plcscope::http
