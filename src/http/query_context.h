// QueryContext: what a query handler holds while it runs — the session's
// query engine (kept alive even if the session is closed meanwhile), the
// source file ids of a merged view, a light QueryGate ticket, and the
// query's Deadline (the --query-timeout-ms budget plus the request's
// client_gone flag). Run() moves heavy work to the gate's heavy pool. One
// per request; not shared between threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "http/handler_util.h"
#include "http/query_gate.h"
#include "http/session_manager.h"
#include "query/deadline.h"
#include "query/query.h"

namespace plcscope::http {

// The API error of a failed engine call: a query stopped by its deadline is
// 503 QUERY_TIMEOUT naming the budget (--query-timeout-ms); one stopped
// because its client left is 503 CANCELLED (nobody reads it); the rest as
// FromStatus.
inline ApiError QueryError(const base::Status& s) {
  if (query::IsCancelled(s)) return {503, "CANCELLED", s.message()};
  if (query::IsStopped(s)) {
    return {503, "QUERY_TIMEOUT",
            "The server stopped this query: " + s.message() +
                " (--query-timeout-ms); narrow it or try again."};
  }
  return FromStatus(s);
}

class QueryContext {
 public:
  // 404 / 409 / 422 from the session manager, 503 BUSY from the gate.
  bool Open(SessionManager& sessions, QueryGate& gate, const Request& req, int timeout_ms,
            ApiError* err) {
    std::vector<std::string> files;
    view_ = sessions.Acquire(req.Param("id"), err, &files);
    if (!view_) return false;
    if (files.size() > 1) source_ids_ = std::move(files);
    QueryGate::Ticket t = gate.Enter(err);
    if (!t) return false;
    ticket_.emplace(std::move(t));
    gate_ = &gate;
    if (!FloatsAsStringsParam(req, &floats_as_strings_, err)) return false;
    client_gone_ = req.client_gone;
    deadline_ = query::Deadline::After(timeout_ms, req.client_gone);
    return true;
  }

  // Runs `work` here when light; when heavy, gives up the light ticket and
  // runs it in the heavy pool (false + 503 BUSY when it could not start).
  bool Run(bool heavy, const std::function<void()>& work, ApiError* err) {
    if (!heavy) {
      work();
      return true;
    }
    ticket_.reset();
    return gate_->RunHeavy(work, client_gone_.get(), err);
  }

  const query::Session& view() const { return *view_; }
  const std::shared_ptr<const query::Session>& shared_view() const { return view_; }
  const store::Store& store() const { return view_->store(); }
  // File ids by source index in a merged view; empty for a single file.
  std::span<const std::string> source_ids() const { return source_ids_; }
  const query::Deadline& deadline() const { return deadline_; }
  // Float values reported as strings (FloatsAsStringsParam).
  bool floats_as_strings() const { return floats_as_strings_; }
  const std::shared_ptr<const std::atomic<bool>>& client_gone() const { return client_gone_; }

 private:
  std::shared_ptr<const query::Session> view_;
  std::vector<std::string> source_ids_;
  std::optional<QueryGate::Ticket> ticket_;
  QueryGate* gate_ = nullptr;
  std::shared_ptr<const std::atomic<bool>> client_gone_;
  query::Deadline deadline_;
  bool floats_as_strings_ = false;
};

}  // namespace plcscope::http
