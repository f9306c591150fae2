// Handlers: the analyzer tools of the timing view — condition search (where
// a multi-signal condition holds, next / previous / count over the whole
// session) and the VCD export of chosen signals over a window (streamed).
#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/time_util.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "http/query_context.h"
#include "query/vcd_export.h"

namespace plcscope::http {

namespace {

constexpr int64_t kMaxWindowLimit = 10000;

double Ms(int64_t ns) { return base::NanosToMillis(ns); }

void IntervalJson(base::JsonWriter& w, const std::optional<query::ConditionInterval>& iv) {
  if (!iv) {
    w.Null();
    return;
  }
  w.BeginObject().Field("start", Ms(iv->start_ns)).Field("end", Ms(iv->end_ns));
  w.Field("open", iv->open).EndObject();
}

}  // namespace

void Api::AddToolRoutes() {
  OnSession("GET", "/api/parse/:id/condition", [](Request& req, QueryContext& c) {
    ApiError err;
    query::ConditionSearchQuery q;
    const std::string* cond = req.Query("condition");
    if (cond == nullptr || cond->empty()) {
      return ErrorResponse(
          BadParameter("condition", "is required, e.g. condition=DEV::RUN = ON && DEV::JAM = OFF"));
    }
    if (cond->size() > query::kMaxConditionLength) {
      return ErrorResponse(BadParameter(
          "condition", "is longer than " + std::to_string(query::kMaxConditionLength) + " bytes"));
    }
    q.condition = *cond;
    std::optional<double> at, ws, we;
    int64_t limit = 1000;
    if (!DoubleParam(req, "at", &at, &err) || !DoubleParam(req, "windowStart", &ws, &err) ||
        !DoubleParam(req, "windowEnd", &we, &err) || !IntParam(req, "windowLimit", &limit, &err)) {
      return ErrorResponse(err);
    }
    q.at_ns = at ? MsToNs(*at) : c.view().min_ts();
    if (ws.has_value() != we.has_value()) {
      return ErrorResponse(
          BadParameter(ws ? "windowEnd" : "windowStart", "is required with the other one"));
    }
    if (ws) {
      q.window_start_ns = MsToNs(*ws);
      q.window_end_ns = MsToNs(*we);
      if (*q.window_end_ns < *q.window_start_ns) {
        return ErrorResponse(BadParameter("windowEnd", "must not be before windowStart"));
      }
    }
    if (limit < 0 || limit > kMaxWindowLimit) {
      return ErrorResponse(
          BadParameter("windowLimit", "must be between 0 and " + std::to_string(kMaxWindowLimit)));
    }
    q.window_limit = static_cast<uint32_t>(limit);
    // It reads whole signals: always heavy, like transitions.
    Response resp;
    auto work = [&] {
      const int64_t t0 = base::MonotonicNs();
      auto r = c.view().SearchCondition(q, c.deadline());
      if (!r.ok()) {
        ApiError e = QueryError(r.status());
        if (r.status().code() == base::StatusCode::kInvalidArgument) {
          // "condition: at column 7: ..." reads "Parameter 'condition' at column 7: ...".
          std::string_view why = r.status().message();
          if (why.starts_with("condition: ")) why.remove_prefix(11);
          e = BadParameter("condition", why);
        }
        resp = ErrorResponse(e);
        return;
      }
      const store::Store& st = c.store();
      std::string out;
      base::JsonWriter w(&out);
      w.BeginObject().Field("condition", q.condition).Key("signals").BeginArray();
      for (uint32_t s : r->signals) w.String(st.str(st.signals()[s].key));
      w.EndArray().Field("at", Ms(q.at_ns)).Field("count", r->count).Field("before", r->before);
      w.Key("next");
      IntervalJson(w, r->next);
      w.Key("prev");
      IntervalJson(w, r->prev);
      w.Key("current");
      IntervalJson(w, r->current);
      if (q.window_start_ns) {
        w.Key("window").BeginArray();
        for (const auto& iv : r->window) IntervalJson(w, iv);
        w.EndArray().Field("windowTruncated", r->window_truncated);
      }
      w.Field("samplesRead", r->samples_read);
      w.Field("elapsedMs", static_cast<double>(base::MonotonicNs() - t0) / 1e6);
      w.EndObject();
      resp = JsonResponse(200, std::move(out));
    };
    if (!c.Run(true, work, &err)) return ErrorResponse(err);
    return resp;
  });

  // A download like /export: it holds no gate ticket once it streams and
  // stops when the client leaves.
  OnSession("GET", "/api/parse/:id/export.vcd", [this](Request& req, QueryContext& c) {
    ApiError err;
    const auto& view = c.shared_view();
    std::vector<std::string> names;
    if (const auto* v = req.Query("signals"); v != nullptr && !v->empty()) names = SplitList(*v);
    names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
    if (names.empty()) {
      return ErrorResponse(BadParameter("signals", "is required: signals=dev::sig,dev::sig2"));
    }
    if (names.size() > config_.max_waveform_signals) {
      return ErrorResponse(BadParameter(
          "signals",
          "may name at most " + std::to_string(config_.max_waveform_signals) + " signals"));
    }
    for (const auto& n : names) {
      if (view->ResolveSignals(std::span<const std::string>(&n, 1)).empty()) {
        return ErrorResponse(BadParameter("signals", "names an unknown signal '" + n + "'"));
      }
    }
    query::VcdQuery q;
    q.signals = view->ResolveSignals(names);
    if (q.signals.size() > config_.max_waveform_signals) {
      return ErrorResponse(
          BadParameter("signals", "resolve to " + std::to_string(q.signals.size()) +
                                      " signals, more than the limit of " +
                                      std::to_string(config_.max_waveform_signals)));
    }
    std::optional<double> start, end;
    if (!DoubleParam(req, "start", &start, &err) || !DoubleParam(req, "end", &end, &err)) {
      return ErrorResponse(err);
    }
    q.start_ns = start ? MsToNs(*start) : view->min_ts();
    q.end_ns = end ? MsToNs(*end) : view->max_ts();
    if (q.end_ns < q.start_ns)
      return ErrorResponse(BadParameter("end", "must not be before start"));
    if (const auto* v = req.Query("timescale"); v != nullptr && !v->empty()) {
      if (*v == "auto") {
        q.timescale = query::VcdTimescale::kAuto;
      } else if (*v == "1ns" || *v == "ns") {
        q.timescale = query::VcdTimescale::kNs;
      } else if (*v == "1us" || *v == "us") {
        q.timescale = query::VcdTimescale::kUs;
      } else {
        return ErrorResponse(BadParameter("timescale", "must be auto, 1ns or 1us"));
      }
    }
    q.version = PLCSCOPE_VERSION;
    Response r;
    r.content_type = "text/x-vcd; charset=utf-8";
    r.SetHeader("Content-Disposition", "attachment; filename=\"plcscope.vcd\"");
    const query::Deadline gone = query::Deadline::CancelledBy(c.client_gone());
    r.stream = [this, view, q, gone](StreamSink& sink) {
      base::Status s = query::ExportVcd(
          view->store(), q, [&](std::string_view chunk) { return !stopping_ && sink.Write(chunk); },
          gone);
      return s.ok();
    };
    return r;
  });
}

}  // namespace plcscope::http
