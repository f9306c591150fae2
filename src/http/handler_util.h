// Helpers shared by the handler groups: JSON bodies, FileInfo, SSE and the
// /entries filter parameters (the query gate is in query_gate.h). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/json_writer.h"
#include "http/api_error.h"
#include "http/file_registry.h"
#include "http/request.h"
#include "query/query.h"

namespace plcscope::http {

// The deepest nesting of arrays and objects a JSON request body may have
// (docs/http.md "Request bodies"). The one limit for every JSON route.
inline constexpr int kMaxJsonBodyDepth = 64;

// True when `text` nests arrays and objects deeper than `max_depth`. A linear
// scan that skips strings (escapes included) and stops at the first level too
// deep: nothing recursive runs over untrusted text before it.
bool JsonNestsDeeperThan(std::string_view text, int max_depth);

// Parses req.body as JSON; 400 MALFORMED_JSON (with the parser's reason)
// when it is not, when it nests deeper than kMaxJsonBodyDepth, or when it is
// not an object. Every route that reads a JSON body uses this. Never throws.
bool ParseJsonObject(const Request& req, nlohmann::json* out, ApiError* err);

// Typed members of a JSON object: false + 400 naming the member when present
// with the wrong type. Absent members leave *out unchanged.
bool JsonString(const nlohmann::json& j, const char* key, std::string* out, ApiError* err);
bool JsonInt(const nlohmann::json& j, const char* key, int64_t* out, ApiError* err);
bool JsonNumber(const nlohmann::json& j, const char* key, std::optional<double>* out,
                ApiError* err);
bool JsonBool(const nlohmann::json& j, const char* key, bool* out, ApiError* err);
bool JsonStringList(const nlohmann::json& j, const char* key, std::vector<std::string>* out,
                    ApiError* err);

void WriteFileInfo(base::JsonWriter& w, const FileRecord& r);
std::string FileInfoJson(const FileRecord& r);

// A text/event-stream response; `producer` writes events through the sink.
Response SseResponse(StreamProducer producer);
// "data: <json>\n\n"
bool WriteSseEvent(StreamSink& sink, std::string_view json);

// Streams `obj` (an UploadJob or a ParseSession: mu, changed, version,
// Done(), ToJsonLocked()) as SSE: one event per change, a keepalive comment
// every second without one, until Done() or `*stopping`. `on_event` runs
// after each event (e.g. to count as activity).
template <typename T>
StreamProducer WatchAsSse(std::shared_ptr<T> obj, const std::atomic<bool>* stopping,
                          const std::function<void()>& on_event = nullptr) {
  return [obj, stopping, on_event](StreamSink& sink) {
    uint64_t seen = UINT64_MAX;
    while (!*stopping) {
      std::string event;
      bool done;
      {
        std::unique_lock<std::mutex> lock(obj->mu);
        obj->changed.wait_for(lock, std::chrono::seconds(1),
                              [&] { return obj->version != seen || stopping->load(); });
        if (obj->version == seen) {
          lock.unlock();
          if (!sink.Write(": keepalive\n\n")) return false;
          continue;
        }
        seen = obj->version;
        event = obj->ToJsonLocked();
        done = obj->Done();
      }
      if (on_event) on_event();
      if (!WriteSseEvent(sink, event)) return false;
      if (done) return true;
    }
    return true;
  };
}

// The /entries filter and sort parameters (docs/api.md), shared by entries,
// index-of-time, time-tree and export.
// With floats as strings (FloatsAsStringsParam), `type=string` also
// selects float signals.
bool ParseFilterParams(const Request& req, query::Filter* filter, ApiError* err);

// How float values are reported (docs/api.md "Float values"): query
// parameter `floats` or header `X-Plcscope-Floats`, "number" (the default)
// or "string" (float signals typed "string", values as their text, for
// clients that know only boolean, integer and string). 400 otherwise.
bool FloatsAsStringsParam(const Request& req, bool* as_strings, ApiError* err);
bool ParseSortParams(const Request& req, query::Sort* sort, ApiError* err);

// ms (API) -> ns (engine), saturating.
int64_t MsToNs(double ms);

}  // namespace plcscope::http
