#include "http/handler_util.h"

#include <algorithm>
#include <cmath>

#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/time_util.h"
#include "http/params.h"

namespace plcscope::http {

using nlohmann::json;

bool JsonNestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool ParseJsonObject(const Request& req, json* out, ApiError* err) {
  if (req.body.empty()) {
    *err = {400, "MALFORMED_JSON", "The request body is empty; a JSON object is expected."};
    return false;
  }
  // nlohmann parses iteratively but dumps, compares and converts recursively.
  if (JsonNestsDeeperThan(req.body, kMaxJsonBodyDepth)) {
    *err = {400, "MALFORMED_JSON",
            "The body is nested deeper than " + std::to_string(kMaxJsonBodyDepth) + " levels."};
    return false;
  }
  try {
    *out = json::parse(req.body);
  } catch (const json::exception& e) {
    *err = {400, "MALFORMED_JSON",
            std::string("The request body is not valid JSON: ") + e.what() + "."};
    return false;
  }
  if (!out->is_object()) {
    *err = {400, "MALFORMED_JSON", "The request body must be a JSON object."};
    return false;
  }
  return true;
}

bool JsonString(const json& j, const char* key, std::string* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *err = BadParameter(key, "must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool JsonInt(const json& j, const char* key, int64_t* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return true;
  }
  if (it->is_number_float()) {
    const double d = it->get<double>();
    // In range before the cast (out of range, the cast is undefined: 1e300).
    if (d >= -9.2233720368547748e18 && d < 9.2233720368547748e18 &&
        d == static_cast<double>(static_cast<int64_t>(d))) {
      *out = static_cast<int64_t>(d);
      return true;
    }
  }
  if (it->is_string() && ParseInt64(it->get_ref<const std::string&>(), out)) return true;
  *err = BadParameter(key, "must be an integer");
  return false;
}

bool JsonNumber(const json& j, const char* key, std::optional<double>* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  double d;
  if (it->is_number()) {
    d = it->get<double>();
  } else if (!it->is_string() || !ParseFiniteDouble(it->get_ref<const std::string&>(), &d)) {
    *err = BadParameter(key, "must be a number");
    return false;
  }
  if (!std::isfinite(d)) {
    *err = BadParameter(key, "must be a finite number");
    return false;
  }
  *out = d;
  return true;
}

bool JsonBool(const json& j, const char* key, bool* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (it->is_boolean()) {
    *out = it->get<bool>();
    return true;
  }
  if (it->is_string() && ParseBoolText(it->get_ref<const std::string&>(), out)) return true;
  *err = BadParameter(key, "must be true or false");
  return false;
}

bool JsonStringList(const json& j, const char* key, std::vector<std::string>* out, ApiError* err) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (it->is_string()) {
    *out = SplitList(it->get_ref<const std::string&>());
    return true;
  }
  if (!it->is_array()) {
    *err = BadParameter(key, "must be an array of strings");
    return false;
  }
  out->clear();
  for (const auto& e : *it) {
    if (!e.is_string()) {
      *err = BadParameter(key, "must be an array of strings");
      return false;
    }
    out->push_back(e.get<std::string>());
  }
  return true;
}

void WriteFileInfo(base::JsonWriter& w, const FileRecord& r) {
  char ts[40];
  const size_t n = base::FormatRfc3339Millis(r.uploaded_at_ns, ts);
  w.BeginObject()
      .Field("id", r.id)
      .Field("name", r.name)
      .Field("size", r.size)
      .Field("uploadedAt", std::string_view(ts, n))
      .Field("status", r.status);
  if (r.has_hash) w.Field("contentHash", "xxh3:" + base::Hex64(r.hash));
  w.EndObject();
}

std::string FileInfoJson(const FileRecord& r) {
  std::string out;
  base::JsonWriter w(&out);
  WriteFileInfo(w, r);
  return out;
}

Response SseResponse(StreamProducer producer) {
  Response r;
  r.content_type = "text/event-stream";
  r.SetHeader("Cache-Control", "no-cache");
  r.SetHeader("X-Accel-Buffering", "no");
  r.stream = std::move(producer);
  return r;
}

bool WriteSseEvent(StreamSink& sink, std::string_view json) {
  std::string ev;
  ev.reserve(json.size() + 8);
  ev.append("data: ").append(json).append("\n\n");
  return sink.Write(ev);
}

int64_t MsToNs(double ms) {
  if (std::isnan(ms)) return INT64_MIN;
  return base::MillisToNanos(ms);
}

bool FloatsAsStringsParam(const Request& req, bool* as_strings, ApiError* err) {
  std::string v;
  if (const std::string* q = req.Query("floats")) {
    v = *q;
  } else {
    v = req.Header("x-plcscope-floats");
  }
  if (v.empty() || v == "number") {
    *as_strings = false;
    return true;
  }
  if (v == "string") {
    *as_strings = true;
    return true;
  }
  *err = BadParameter("floats", "must be number or string");
  return false;
}

bool ParseFilterParams(const Request& req, query::Filter* f, ApiError* err) {
  if (const auto* v = req.Query("search")) f->search = *v;
  if (const auto* v = req.Query("exclude")) f->exclude = *v;
  if (!BoolParam(req, "caseSensitive", &f->case_sensitive, err)) return false;
  if (!BoolParam(req, "regex", &f->regex, err)) return false;
  if (!BoolParam(req, "changedOnly", &f->changed_only, err)) return false;
  if (const auto* v = req.Query("category")) {
    f->categories = SplitList(*v);
    if (v->empty()) f->categories = {""};
  }
  if (const auto* v = req.Query("type"); v != nullptr && !v->empty()) {
    for (const std::string& t : SplitList(*v)) {
      base::ValueType vt;
      if (!base::ParseValueTypeName(t, &vt)) {
        *err =
            BadParameter("type", "must be boolean, integer, float or string (comma list), got '" +
                                     t.substr(0, 64) + "'");
        return false;
      }
      f->types.push_back(vt);
    }
    bool floats_as_strings = false;
    if (!FloatsAsStringsParam(req, &floats_as_strings, err)) return false;
    if (floats_as_strings &&
        std::find(f->types.begin(), f->types.end(), base::ValueType::kString) != f->types.end() &&
        std::find(f->types.begin(), f->types.end(), base::ValueType::kFloat) == f->types.end()) {
      f->types.push_back(base::ValueType::kFloat);
    }
  }
  if (const auto* v = req.Query("signals"); v != nullptr && !v->empty()) {
    f->signals = SplitList(*v);
  }
  if (const auto* v = req.Query("devices"); v != nullptr && !v->empty()) {
    f->devices = SplitList(*v);
  }
  std::optional<double> start, end;
  if (!DoubleParam(req, "start", &start, err)) return false;
  if (!DoubleParam(req, "end", &end, err)) return false;
  if (start) f->start_ns = MsToNs(*start);
  if (end) f->end_ns = MsToNs(*end);
  return true;
}

bool ParseSortParams(const Request& req, query::Sort* sort, ApiError* err) {
  if (const auto* v = req.Query("sort"); v != nullptr && !v->empty()) {
    if (!query::ParseSortField(*v, &sort->field)) {
      *err = BadParameter(
          "sort", "must be timestamp, deviceId, signalName, category, value or type, got '" +
                      v->substr(0, 64) + "'");
      return false;
    }
  }
  if (const auto* v = req.Query("order"); v != nullptr && !v->empty()) {
    if (*v == "asc") {
      sort->descending = false;
    } else if (*v == "desc") {
      sort->descending = true;
    } else {
      *err = BadParameter("order", "must be asc or desc, got '" + v->substr(0, 64) + "'");
      return false;
    }
  }
  return true;
}

}  // namespace plcscope::http
