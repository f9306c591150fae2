// Handlers: queries on a session (entries, stream, chunk, chunk-boundaries,
// signals, signal-types, categories, devices, at-time, index-of-time,
// time-tree, errors). Waveform, transitions and export are in
// handlers_views.cc. Hot JSON is written with base::JsonWriter / AppendEntryJson.
#include "base/json_writer.h"
#include "base/time_util.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "http/query_context.h"

namespace plcscope::http {

namespace {

constexpr int64_t kMaxPage = int64_t{1} << 40;
constexpr size_t kStreamBatch = 5000;

void AppendEntries(const QueryContext& c, std::span<const query::RowId> rows, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out->push_back(',');
    query::AppendEntryJson(c.store(), rows[i], c.source_ids(), out, c.floats_as_strings());
  }
  out->push_back(']');
}

bool PageParams(const Request& req, int64_t* page, int64_t* page_size, ApiError* err) {
  if (!IntParam(req, "page", page, err) || !IntParam(req, "pageSize", page_size, err)) return false;
  if (*page < 1) {
    *err = BadParameter("page", "must be 1 or more");
    return false;
  }
  if (*page > kMaxPage) {
    *err = BadParameter("page", "is too large");
    return false;
  }
  if (*page_size < 1) {
    *err = BadParameter("pageSize", "must be between 1 and 1000");
    return false;
  }
  *page_size = std::min(*page_size, query::kMaxPageSize);
  return true;
}

bool TimeParam(const Request& req, int64_t* ns, ApiError* err) {
  std::optional<double> ts;
  if (!DoubleParam(req, "timestamp", &ts, err)) return false;
  if (!ts && !DoubleParam(req, "ts", &ts, err)) return false;
  if (!ts) {
    *err = BadParameter("timestamp", "is required (milliseconds since the epoch; 'ts' works too)");
    return false;
  }
  *ns = MsToNs(*ts);
  return true;
}

// Signals from the JSON body ("signals": [..]) or the query (signals=a,b).
bool SignalsParam(const Request& req, const nlohmann::json* body, std::vector<std::string>* out,
                  ApiError* err) {
  if (body != nullptr && !JsonStringList(*body, "signals", out, err)) return false;
  if (out->empty()) {
    if (const auto* v = req.Query("signals"); v != nullptr && !v->empty()) *out = SplitList(*v);
  }
  return true;
}

// An optional JSON object body (empty body is fine).
bool OptionalJsonBody(const Request& req, nlohmann::json* j, ApiError* err) {
  if (req.body.empty()) {
    *j = nlohmann::json::object();
    return true;
  }
  return ParseJsonObject(req, j, err);
}

}  // namespace

void Api::AddQueryRoutes() {
  OnSession("GET", "/api/parse/:id/entries", [](Request& req, QueryContext& c) {
    query::EntriesQuery q;
    ApiError err;
    if (!ParseFilterParams(req, &q.filter, &err) || !ParseSortParams(req, &q.sort, &err) ||
        !PageParams(req, &q.page, &q.page_size, &err)) {
      return ErrorResponse(err);
    }
    Response resp;
    auto work = [&] {
      auto page = c.view().Entries(q, c.deadline());
      if (!page.ok()) {
        resp = ErrorResponse(QueryError(page.status()));
        return;
      }
      std::string out;
      out.reserve(64 + page->rows.size() * 180);
      out.append("{\"entries\":");
      AppendEntries(c, page->rows, &out);
      out.append(",\"page\":").append(std::to_string(page->page));
      out.append(",\"pageSize\":").append(std::to_string(page->page_size));
      out.append(",\"total\":").append(std::to_string(page->total));
      out.push_back('}');
      resp = JsonResponse(200, std::move(out));
    };
    if (!c.Run(!c.view().IsCached(q.filter, q.sort), work, &err)) return ErrorResponse(err);
    return resp;
  });

  OnSession("GET", "/api/parse/:id/stream", [this](Request& req, QueryContext& c) {
    query::EntriesQuery q;
    ApiError err;
    if (!ParseFilterParams(req, &q.filter, &err) || !ParseSortParams(req, &q.sort, &err)) {
      return ErrorResponse(err);
    }
    // The order is built (heavy when not cached) before the stream starts.
    base::Result<uint64_t> count = uint64_t{0};
    auto work = [&] {
      base::Status s = c.view().Prepare(q.filter, q.sort, c.deadline());
      count = s.ok() ? c.view().Count(q.filter, c.deadline()) : base::Result<uint64_t>(s);
    };
    if (!c.Run(!c.view().IsCached(q.filter, q.sort), work, &err)) return ErrorResponse(err);
    if (!count.ok()) return ErrorResponse(QueryError(count.status()));
    const uint64_t total = *count;
    auto view = c.shared_view();
    auto sources = std::vector<std::string>(c.source_ids().begin(), c.source_ids().end());
    const query::Deadline gone = query::Deadline::CancelledBy(c.client_gone());
    const bool floats_as_strings = c.floats_as_strings();
    return SseResponse([this, view, sources, q, total, gone,
                        floats_as_strings](StreamSink& sink) mutable {
      uint64_t sent = 0;
      q.page_size = query::kMaxPageSize;
      const int64_t pages_per_batch = kStreamBatch / query::kMaxPageSize;
      int64_t page = 1;
      std::string ev;
      while (sent < total && !stopping_) {
        ev.assign("data: {\"entries\":[");
        size_t in_batch = 0;
        for (int64_t k = 0; k < pages_per_batch && sent + in_batch < total; ++k, ++page) {
          q.page = page;
          auto p = view->Entries(q, gone);
          if (!p.ok() || p->rows.empty()) break;
          for (query::RowId row : p->rows) {
            if (in_batch > 0) ev.push_back(',');
            query::AppendEntryJson(view->store(), row, sources, &ev, floats_as_strings);
            ++in_batch;
          }
        }
        if (in_batch == 0) break;
        sent += in_batch;
        char tail[96];
        std::snprintf(tail, sizeof tail, "],\"progress\":%.2f,\"total\":%llu}\n\n",
                      total == 0 ? 100.0 : 100.0 * static_cast<double>(sent) / total,
                      static_cast<unsigned long long>(total));
        ev.append(tail);
        if (!sink.Write(ev)) return false;
      }
      char done[96];
      std::snprintf(done, sizeof done, "data: {\"done\":true,\"total\":%llu,\"progress\":100}\n\n",
                    static_cast<unsigned long long>(total));
      return sink.Write(done);
    });
  });

  OnSession("POST", "/api/parse/:id/chunk", [this](Request& req, QueryContext& c) {
    nlohmann::json body;
    ApiError err;
    query::ChunkQuery q;
    if (!OptionalJsonBody(req, &body, &err) || !SignalsParam(req, &body, &q.signals, &err)) {
      return ErrorResponse(err);
    }
    std::optional<double> start, end;
    if (!DoubleParam(req, "start", &start, &err) || !DoubleParam(req, "end", &end, &err)) {
      return ErrorResponse(err);
    }
    if (!start && !JsonNumber(body, "start", &start, &err)) return ErrorResponse(err);
    if (!end && !JsonNumber(body, "end", &end, &err)) return ErrorResponse(err);
    q.start_ns = start ? MsToNs(*start) : INT64_MIN;
    q.end_ns = end ? MsToNs(*end) : INT64_MAX;
    if (q.end_ns < q.start_ns)
      return ErrorResponse(BadParameter("end", "must not be before start"));
    if (q.signals.size() > config_.max_chunk_signals) {
      return ErrorResponse(BadParameter(
          "signals", "may name at most " + std::to_string(config_.max_chunk_signals) + " signals"));
    }
    q.limit = config_.chunk_entry_cap;
    auto r = c.view().Chunk(q);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    std::string out;
    out.reserve(r->rows.size() * 180 + 2);
    AppendEntries(c, r->rows, &out);
    Response resp = JsonResponse(200, std::move(out));
    if (r->truncated) resp.SetHeader("X-Truncated", "true");
    return resp;
  });

  OnSession("POST", "/api/parse/:id/chunk-boundaries", [this](Request& req, QueryContext& c) {
    nlohmann::json body;
    ApiError err;
    query::BoundariesQuery q;
    std::optional<double> start, end;
    if (!OptionalJsonBody(req, &body, &err) || !SignalsParam(req, &body, &q.signals, &err) ||
        !JsonNumber(body, "start", &start, &err) || !JsonNumber(body, "end", &end, &err)) {
      return ErrorResponse(err);
    }
    if (!start && !DoubleParam(req, "start", &start, &err)) return ErrorResponse(err);
    if (!end && !DoubleParam(req, "end", &end, &err)) return ErrorResponse(err);
    if (q.signals.size() > config_.max_chunk_signals) {
      return ErrorResponse(BadParameter(
          "signals", "may name at most " + std::to_string(config_.max_chunk_signals) + " signals"));
    }
    if (!start) return ErrorResponse(BadParameter("start", "is required"));
    if (!end) return ErrorResponse(BadParameter("end", "is required"));
    q.start_ns = MsToNs(*start);
    q.end_ns = MsToNs(*end);
    auto r = c.view().Boundaries(q);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    const store::Store& st = c.store();
    auto side = [&](query::RowId query::SignalBoundary::*row, std::string* out) {
      out->push_back('{');
      bool first = true;
      for (const auto& b : *r) {
        if (b.*row == query::kNoRow) continue;
        if (!first) out->push_back(',');
        first = false;
        base::AppendJsonString(st.str(st.signals()[b.signal].key), out);
        out->push_back(':');
        query::AppendEntryJson(st, b.*row, c.source_ids(), out, c.floats_as_strings());
      }
      out->push_back('}');
    };
    std::string out = "{\"before\":";
    side(&query::SignalBoundary::before, &out);
    out.append(",\"after\":");
    side(&query::SignalBoundary::after, &out);
    out.push_back('}');
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/signals", [](Request&, QueryContext& c) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginArray();
    for (std::string_view k : c.view().SignalKeys()) w.String(k);
    w.EndArray();
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/signal-types", [](Request&, QueryContext& c) {
    const store::Store& st = c.store();
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject();
    for (uint32_t i = 0; i < st.signals().size(); ++i) {
      const base::ValueType t = st.signal_type(i);
      w.Field(st.str(st.signals()[i].key), c.floats_as_strings() && t == base::ValueType::kFloat
                                               ? "string"
                                               : base::ValueTypeName(t));
    }
    w.EndObject();
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/categories", [](Request&, QueryContext& c) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginArray();
    for (std::string_view k : c.view().Categories()) w.String(k);
    w.EndArray();
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/devices", [](Request&, QueryContext& c) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginArray();
    for (const auto& d : c.view().Devices()) {
      w.BeginObject().Field("id", d.id).Field("path", d.path);
      w.Field("signalCount", static_cast<uint64_t>(d.signal_count)).EndObject();
    }
    w.EndArray();
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/at-time", [this](Request& req, QueryContext& c) {
    query::AtTimeQuery q;
    ApiError err;
    if (!TimeParam(req, &q.ts_ns, &err) || !SignalsParam(req, nullptr, &q.signals, &err)) {
      return ErrorResponse(err);
    }
    if (q.signals.size() > config_.max_at_time_signals) {
      return ErrorResponse(BadParameter("signals", "may name at most " +
                                                       std::to_string(config_.max_at_time_signals) +
                                                       " signals (none: all signals)"));
    }
    auto r = c.view().AtTime(q);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    std::string out;
    AppendEntries(c, *r, &out);
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/index-of-time", [](Request& req, QueryContext& c) {
    query::Filter f;
    query::Sort sort;
    int64_t ts;
    ApiError err;
    if (!TimeParam(req, &ts, &err) || !ParseFilterParams(req, &f, &err) ||
        !ParseSortParams(req, &sort, &err)) {
      return ErrorResponse(err);
    }
    base::Result<int64_t> r = int64_t{-1};
    auto work = [&] { r = c.view().IndexOfTime(f, sort, ts, c.deadline()); };
    // Other than time orders are searched linearly: heavy too.
    const bool heavy = !c.view().IsCached(f, sort) || sort.field != query::SortField::kTimestamp;
    if (!c.Run(heavy, work, &err)) return ErrorResponse(err);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    return JsonResponse(200, "{\"index\":" + std::to_string(*r) + "}");
  });

  OnSession("GET", "/api/parse/:id/time-tree", [this](Request& req, QueryContext& c) {
    query::Filter f;
    ApiError err;
    if (!ParseFilterParams(req, &f, &err)) return ErrorResponse(err);
    base::Result<std::vector<query::TimeTreeItem>> r = std::vector<query::TimeTreeItem>{};
    auto work = [&] { r = c.view().TimeTree(f, c.deadline(), config_.max_time_tree_items); };
    if (!c.Run(!c.view().IsCached(f, query::Sort{}), work, &err)) return ErrorResponse(err);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    std::string out;
    base::JsonWriter w(&out);
    w.BeginArray();
    for (const auto& t : *r) {
      w.BeginObject().Field("date", t.date).Field("hour", t.hour).Field("minute", t.minute);
      w.Field("ts", base::NanosToMillis(t.ts_ns)).EndObject();
    }
    w.EndArray();
    return JsonResponse(200, std::move(out));
  });

  OnSession("GET", "/api/parse/:id/errors", [](Request& req, QueryContext& c) {
    int64_t page = 1, page_size = 100;
    ApiError err;
    if (!PageParams(req, &page, &page_size, &err)) return ErrorResponse(err);
    auto r = c.view().Errors(page, page_size);
    if (!r.ok()) return ErrorResponse(QueryError(r.status()));
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Key("errors").BeginArray();
    for (const auto& e : r->errors) {
      w.BeginObject().Field("line", e.line).Field("content", e.content).Field("reason", e.reason);
      if (c.source_ids().size() > 1 && e.source < c.source_ids().size()) {
        w.Field("sourceId", c.source_ids()[e.source]);
      }
      w.EndObject();
    }
    w.EndArray();
    w.Field("page", r->page).Field("pageSize", r->page_size);
    w.Field("total", r->total_details).Field("errorCount", r->error_count);
    w.Key("countsByReason").BeginObject();
    for (const auto& [reason, n] : r->counts_by_reason) w.Field(reason, n);
    w.EndObject().EndObject();
    return JsonResponse(200, std::move(out));
  });
}

}  // namespace plcscope::http
