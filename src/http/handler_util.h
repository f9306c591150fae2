// Helpers shared by the handler groups: JSON bodies, FileInfo, SSE, the
// query gate (503 BUSY) and the /entries filter parameters. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "http/api_error.h"
#include "http/file_registry.h"
#include "http/json_writer.h"
#include "http/request.h"
#include "query/query.h"

namespace plcscope::http {

// Parses req.body as JSON; 400 MALFORMED_JSON (with the parser's reason)
// when it is not, or when it is not an object.
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

void WriteFileInfo(JsonWriter& w, const FileRecord& r);
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
                          std::function<void()> on_event = nullptr) {
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

// QueryGate: at most `slots` queries run at once; a query that cannot start
// within the budget gets 503 BUSY instead of waiting forever.
class QueryGate {
 public:
  QueryGate(int slots, int budget_ms) : free_(slots), budget_(budget_ms) {}
  class Ticket {
   public:
    explicit Ticket(QueryGate* g) : gate_(g) {}
    Ticket(Ticket&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    ~Ticket() {
      if (gate_ != nullptr) gate_->Release();
    }
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    QueryGate* gate_;
  };
  Ticket Enter(ApiError* err);
  int budget_ms() const { return static_cast<int>(budget_.count()); }

 private:
  void Release();
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  std::chrono::milliseconds budget_;
};

// The /entries filter and sort parameters (docs/api.md), shared by entries,
// index-of-time, time-tree and export.
bool ParseFilterParams(const Request& req, query::Filter* filter, ApiError* err);
bool ParseSortParams(const Request& req, query::Sort* sort, ApiError* err);

// ms (API) -> ns (engine), saturating.
int64_t MsToNs(double ms);

}  // namespace plcscope::http
