// Handlers: waveform (columnar summaries for the timing diagram),
// transitions (tact-time rules over the whole session) and export (a
// streamed CSV / JSON-lines download).
#include <charconv>
#include <cmath>
#include <type_traits>

#include "base/json_writer.h"
#include "base/time_util.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "http/query_context.h"
#include "query/value_format.h"

namespace plcscope::http {

namespace {

double Ms(int64_t ns) { return base::NanosToMillis(ns); }

// [v, v, null, ...]: the shown values of one signal's rows. Rows are random
// accesses into 12 M-row columns, so this touches only row_value[row] (the
// signal is known) and formats each distinct value once in a row.
void ValueColumn(const store::Store& st, uint32_t signal, std::span<const query::RowId> rows,
                 std::string* out) {
  uint32_t last_value = UINT32_MAX;
  std::string last_text;
  base::AppendJsonArray(rows.size(), out, [&](size_t i, std::string* o) {
    if (rows[i] == query::kNoRow) {
      o->append("null");
      return;
    }
    const uint32_t value = st.row_value()[rows[i]];
    if (value != last_value) {
      last_value = value;
      last_text.clear();
      query::AppendShownJson(st.Shown(signal, value), &last_text);
    }
    o->append(last_text);
  });
}

// [ms, ms, null, ...]: the rows' times.
void TimeColumn(const store::Store& st, std::span<const query::RowId> rows, std::string* out) {
  base::AppendJsonArray(rows.size(), out, [&](size_t i, std::string* o) {
    if (rows[i] == query::kNoRow) {
      o->append("null");
    } else {
      base::AppendJsonDouble(Ms(st.row_time()[rows[i]]), o);
    }
  });
}

template <typename T>
void NumberColumn(const std::vector<T>& v, std::string* out) {
  base::AppendJsonArray(v.size(), out, [&](size_t i, std::string* o) {
    if constexpr (std::is_floating_point_v<T>) {
      base::AppendJsonDouble(v[i], o);
    } else {
      base::AppendJsonUint(v[i], o);
    }
  });
}

bool ParseCondition(const nlohmann::json& j, const char* key, query::Condition* c, bool required,
                    ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) *err = BadParameter(std::string("rules[].") + key, "is required");
    return !required;
  }
  if (!it->is_object()) {
    *err = BadParameter(std::string("rules[].") + key, "must be an object {signal, op, value}");
    return false;
  }
  std::string op = "equals";
  if (!JsonString(*it, "signal", &c->signal, err) || !JsonString(*it, "op", &op, err)) return false;
  auto v = it->find("value");
  if (v != it->end() && !v->is_null())
    c->value = v->is_string() ? v->get<std::string>() : v->dump();
  if (c->signal.empty()) {
    *err = BadParameter(std::string("rules[].") + key + ".signal", "is required");
    return false;
  }
  if (!query::ParseConditionOp(op, &c->op)) {
    *err = BadParameter(std::string("rules[].") + key + ".op",
                        "must be equals, notEquals, greater, less or notEmpty");
    return false;
  }
  return true;
}

// Computes one waveform request and writes its JSON.
Response WaveformResponse(const QueryContext& c, const query::WaveformQuery& q) {
  auto r = c.view().Waveform(q, c.deadline());
  if (!r.ok()) return ErrorResponse(QueryError(r.status()));
  const store::Store& st = c.store();
  std::string out;
  out.reserve(4096 + r->signals.size() * r->width * 24);
  base::JsonWriter w(&out);
  w.BeginObject().Field("start", Ms(r->start_ns)).Field("end", Ms(r->end_ns));
  w.Field("width", static_cast<uint64_t>(r->width)).Key("signals").BeginArray();
  for (const auto& s : r->signals) {
    w.BeginObject().Field("key", st.str(st.signals()[s.signal].key));
    w.Field("type", base::ValueTypeName(s.type));
    w.Key("initial");
    if (s.initial == query::kNoRow) {
      w.Null();
    } else {
      std::string v;
      query::AppendShownJson(st.Shown(s.signal, st.row_value()[s.initial]), &v);
      w.BeginObject().Field("t", Ms(st.row_time()[s.initial])).Key("v").Raw(v).EndObject();
    }
    w.Field("changesInRange", s.changes_in_range);
    if (s.mode == query::SignalWaveform::Mode::kChanges) {
      w.Field("mode", "changes");
      out.append(",\"t\":");
      TimeColumn(st, s.change_rows, &out);
      out.append(",\"v\":");
      ValueColumn(st, s.signal, s.change_rows, &out);
    } else {
      w.Field("mode", "columns");
      out.append(",\"first\":");
      ValueColumn(st, s.signal, s.first_row, &out);
      out.append(",\"last\":");
      ValueColumn(st, s.signal, s.last_row, &out);
      out.append(",\"changes\":");
      NumberColumn(s.changes, &out);
      out.append(",\"samples\":");
      NumberColumn(s.samples, &out);
      if (s.type == base::ValueType::kInteger || s.type == base::ValueType::kFloat) {
        out.append(",\"min\":");
        NumberColumn(s.min, &out);
        out.append(",\"max\":");
        NumberColumn(s.max, &out);
      }
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(200, std::move(out));
}

// Writes the JSON of a transitions result (or its error).
Response TransitionsResponse(const store::Store& store,
                             const base::Result<std::vector<query::TransitionResult>>& res) {
  if (!res.ok()) return ErrorResponse(QueryError(res.status()));
  std::string out;
  base::JsonWriter w(&out);
  w.BeginArray();
  for (const auto& tr : *res) {
    w.BeginObject().Field("name", tr.name).Key("intervals").BeginObject();
    const auto& iv = tr.intervals;
    out.append("\"start\":");
    base::AppendJsonArray(iv.size(), &out, [&](size_t i, std::string* o) {
      base::AppendJsonDouble(Ms(iv[i].start_ns), o);
    });
    out.append(",\"end\":");
    base::AppendJsonArray(iv.size(), &out, [&](size_t i, std::string* o) {
      base::AppendJsonDouble(Ms(iv[i].end_ns), o);
    });
    out.append(",\"durationMs\":");
    base::AppendJsonArray(iv.size(), &out, [&](size_t i, std::string* o) {
      base::AppendJsonDouble(iv[i].duration_ms, o);
    });
    out.append(",\"status\":");
    base::AppendJsonArray(iv.size(), &out, [&](size_t i, std::string* o) {
      o->push_back('"');
      o->append(query::IntervalStatusName(iv[i].status));
      o->push_back('"');
    });
    out.append(",\"device\":");
    base::AppendJsonArray(iv.size(), &out, [&](size_t i, std::string* o) {
      base::AppendJsonString(store.str(store.devices()[iv[i].device].name), o);
    });
    w.EndObject();
    const auto& s = tr.stats;
    w.Key("stats").BeginObject().Field("count", s.count).Field("minMs", s.min_ms);
    w.Field("maxMs", s.max_ms).Field("meanMs", s.mean_ms).Field("stddevMs", s.stddev_ms);
    w.Field("within", s.within).Field("above", s.above).Field("below", s.below);
    w.EndObject().EndObject();
  }
  w.EndArray();
  return JsonResponse(200, std::move(out));
}

}  // namespace

void Api::AddExportRoutes() {
  OnSession("POST", "/api/parse/:id/waveform", [this](Request& req, QueryContext& c) {
    nlohmann::json body;
    ApiError err;
    if (!ParseJsonObject(req, &body, &err)) return ErrorResponse(err);
    query::WaveformQuery q;
    std::optional<double> start, end;
    int64_t width = 1000;
    if (!JsonStringList(body, "signals", &q.signals, &err) ||
        !JsonNumber(body, "start", &start, &err) || !JsonNumber(body, "end", &end, &err) ||
        !JsonInt(body, "width", &width, &err)) {
      return ErrorResponse(err);
    }
    // The response's size is bounded before anything is computed: at most
    // max_waveform_cells (signals x width) columns.
    const uint64_t max_width =
        std::min<uint64_t>(config_.max_waveform_width, query::kMaxWaveformWidth);
    if (width < 1 || static_cast<uint64_t>(width) > max_width) {
      return ErrorResponse(
          BadParameter("width", "must be between 1 and " + std::to_string(max_width)));
    }
    if (q.signals.size() > config_.max_waveform_signals) {
      return ErrorResponse(BadParameter(
          "signals",
          "may name at most " + std::to_string(config_.max_waveform_signals) + " signals"));
    }
    // Bare names stand for that signal on every device: count what they resolve to.
    const size_t resolved = c.view().ResolveSignals(q.signals).size();
    const uint64_t cells = static_cast<uint64_t>(width) * resolved;
    if (cells > config_.max_waveform_cells) {
      return ErrorResponse(BadParameter(
          "signals", "x 'width' is " + std::to_string(resolved) + " x " + std::to_string(width) +
                         " = " + std::to_string(cells) + " cells, more than the limit of " +
                         std::to_string(config_.max_waveform_cells) +
                         " per request; ask for fewer signals or a smaller width"));
    }
    q.start_ns = start ? MsToNs(*start) : c.view().min_ts();
    q.end_ns = end ? MsToNs(*end) : c.view().max_ts();
    if (q.end_ns < q.start_ns)
      return ErrorResponse(BadParameter("end", "must not be before start"));
    q.width = static_cast<uint32_t>(width);
    // A big one is computed and written in the heavy pool, so that at most
    // heavy-queries of them are in memory at once.
    Response resp;
    auto work = [&] { resp = WaveformResponse(c, q); };
    if (!c.Run(cells > config_.heavy_waveform_cells, work, &err)) return ErrorResponse(err);
    return resp;
  });

  OnSession("POST", "/api/parse/:id/transitions", [this](Request& req, QueryContext& c) {
    nlohmann::json body;
    ApiError err;
    if (!ParseJsonObject(req, &body, &err)) return ErrorResponse(err);
    auto it = body.find("rules");
    if (it == body.end() || !it->is_array()) {
      return ErrorResponse(BadParameter("rules", "is required: an array of rules"));
    }
    if (it->size() > config_.max_transition_rules) {
      return ErrorResponse(BadParameter(
          "rules", "may hold at most " + std::to_string(config_.max_transition_rules) + " rules"));
    }
    std::vector<query::TransitionRule> rules;
    for (const auto& jr : *it) {
      if (!jr.is_object()) return ErrorResponse(BadParameter("rules", "must hold objects"));
      query::TransitionRule r;
      std::string type = "a_to_b";
      std::optional<double> target, tolerance;
      if (!JsonString(jr, "name", &r.name, &err) || !JsonString(jr, "type", &type, &err) ||
          !JsonNumber(jr, "targetMs", &target, &err) ||
          !JsonNumber(jr, "toleranceMs", &tolerance, &err)) {
        return ErrorResponse(err);
      }
      if (!query::ParseRuleType(type, &r.type)) {
        return ErrorResponse(
            BadParameter("rules[].type", "must be cycle, a_to_b or value_populated"));
      }
      if (!ParseCondition(jr, "start", &r.start, true, &err) ||
          !ParseCondition(jr, "end", &r.end, r.type == query::RuleType::kAToB, &err)) {
        return ErrorResponse(err);
      }
      r.target_ms = target;
      r.tolerance_ms = tolerance.value_or(0);
      rules.push_back(std::move(r));
    }
    // Transitions read whole signals: always heavy, written in the pool too.
    Response resp;
    auto work = [&] {
      resp = TransitionsResponse(
          c.view().store(),
          c.view().Transitions(rules, c.deadline(), config_.max_transition_intervals));
    };
    if (!c.Run(true, work, &err)) return ErrorResponse(err);
    return resp;
  });

  // Export is long by nature: its order is built first (in the heavy pool
  // when not cached, within the query deadline); the download itself holds
  // no gate ticket and stops when the client leaves.
  OnSession("GET", "/api/parse/:id/export", [this](Request& req, QueryContext& c) {
    ApiError err;
    auto view = c.shared_view();
    query::ExportQuery q;
    if (!ParseFilterParams(req, &q.filter, &err) || !ParseSortParams(req, &q.sort, &err)) {
      return ErrorResponse(err);
    }
    std::string format = "csv";
    if (const auto* v = req.Query("format"); v != nullptr && !v->empty()) format = *v;
    if (format == "csv") {
      q.format = query::ExportFormat::kCsv;
    } else if (format == "jsonl") {
      q.format = query::ExportFormat::kJsonLines;
    } else {
      return ErrorResponse(BadParameter("format", "must be csv or jsonl"));
    }
    const bool by_time = q.sort.field == query::SortField::kTimestamp;
    if (q.filter.regex || !by_time) {
      // Validate the filter (e.g. a bad regex) and build a sorted order
      // before the download starts.
      base::Status s;
      auto work = [&] {
        s = by_time ? view->Count(q.filter, c.deadline()).status()
                    : view->Prepare(q.filter, q.sort, c.deadline());
      };
      const bool heavy = !view->IsCached(q.filter, by_time ? query::Sort{} : q.sort);
      if (!c.Run(heavy, work, &err)) return ErrorResponse(err);
      if (!s.ok()) return ErrorResponse(QueryError(s));
    }
    Response r;
    r.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    r.SetHeader("Content-Disposition",
                std::string("attachment; filename=\"plcscope-export.") + format + "\"");
    const query::Deadline gone = query::Deadline::CancelledBy(c.client_gone());
    r.stream = [this, view, q, gone](StreamSink& sink) {
      base::Status s = view->Export(
          q, [&](std::string_view chunk) { return !stopping_ && sink.Write(chunk); }, gone);
      return s.ok();
    };
    return r;
  });
}

}  // namespace plcscope::http
