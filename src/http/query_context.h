// QueryContext: what a query handler holds while it runs — the session's
// query engine (kept alive even if the session is closed meanwhile), the
// source file ids of a merged view, and a QueryGate ticket. One per request;
// not shared between threads.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "http/handler_util.h"
#include "http/session_manager.h"
#include "query/query.h"

namespace plcscope::http {

class QueryContext {
 public:
  // 404 / 409 / 422 from the session manager, 503 BUSY from the gate.
  bool Open(SessionManager& sessions, QueryGate& gate, const std::string& id, ApiError* err) {
    std::vector<std::string> files;
    view_ = sessions.Acquire(id, err, &files);
    if (!view_) return false;
    if (files.size() > 1) source_ids_ = std::move(files);
    QueryGate::Ticket t = gate.Enter(err);
    if (!t) return false;
    ticket_.emplace(std::move(t));
    return true;
  }

  const query::Session& view() const { return *view_; }
  const std::shared_ptr<const query::Session>& shared_view() const { return view_; }
  const store::Store& store() const { return view_->store(); }
  // File ids by source index in a merged view; empty for a single file.
  std::span<const std::string> source_ids() const { return source_ids_; }

 private:
  std::shared_ptr<const query::Session> view_;
  std::vector<std::string> source_ids_;
  std::optional<QueryGate::Ticket> ticket_;
};

}  // namespace plcscope::http
