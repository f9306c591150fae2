// Metrics: the server's counters, gauges and latency histograms, and their
// rendering in the Prometheus text exposition format 0.0.4 (GET /metrics;
// the list is in docs/operations.md "Metrics").
//
// Owns: one RequestStats per HTTP route (its method, its pattern as the
// router registered it, e.g. "/api/parse/:id/waveform", never the raw path),
// plus three synthetic routes (static UI files, WebSocket upgrades, paths no
// route matched), each counting requests by status code and timing them in
// one histogram; connection counts; parse and ingest counters bumped by the
// session manager. Gauges read at scrape time (parse queue, sessions, store
// bytes, RSS) are passed to Render by the caller.
//
// Thread safety: every Observe / Add / Connection* call is lock-free (relaxed
// atomics) and may run on any thread at any time. AddRoute takes a mutex and
// is meant for start-up; a route added after a scrape appears in the next one.
// Render may run concurrently with everything; its figures are a consistent
// enough snapshot (each value is read once, the histogram's count is derived
// from its buckets so that they always agree).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace plcscope::http {

// Upper bounds (seconds) of the request latency histogram's buckets; +Inf is
// implied.
inline constexpr std::array<double, 14> kLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

// Writes the text format: families (# HELP, # TYPE) and their samples.
// Label values and help texts are escaped as the format requires. Not
// thread-safe (one per scrape).
class MetricsText {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;
  // type: "counter", "gauge" or "histogram".
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const Labels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }
  // A histogram's _bucket (cumulative, with le="+Inf"), _sum and _count
  // samples; `counts[i]` is the number in bucket i alone, counts.size() ==
  // bounds.size() + 1 (the last is above every bound).
  void Histogram(std::string_view name, const Labels& labels, const std::vector<double>& bounds,
                 const std::vector<uint64_t>& counts, double sum);
  const std::string& text() const { return out_; }

 private:
  void Name(std::string_view name, const Labels& labels, std::string_view extra_key = {},
            std::string_view extra_value = {});
  std::string out_;
};

// The number as the format writes it: integers without a fraction, "+Inf",
// "-Inf", "NaN".
std::string FormatMetricValue(double v);

class Metrics {
 public:
  // Route ids for requests no router route matched.
  static constexpr int kStatic = -2;     // UI files (GET outside /api)
  static constexpr int kWebSocket = -3;  // upgrades
  static constexpr int kUnmatched = -1;  // 404 / 405 and refused before routing
  static constexpr int kMaxRoutes = 256;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Registers a route; returns its id (>= 0), or kUnmatched when full.
  int AddRoute(std::string_view method, std::string_view pattern);

  // One answered request: its route id (AddRoute, or one of the synthetic
  // ids above), status code and time from its header to its last byte.
  void ObserveRequest(int route, int status, double seconds);
  void ConnectionOpened() {
    connections_open_.fetch_add(1, std::memory_order_relaxed);
    connections_total_.fetch_add(1, std::memory_order_relaxed);
  }
  void ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRefused() { connections_refused_.fetch_add(1, std::memory_order_relaxed); }

  // Parse jobs and ingest (the session manager).
  void ParseStarted() { parses_started_.fetch_add(1, std::memory_order_relaxed); }
  void ParseCompleted(double seconds, uint64_t bytes);
  void ParseFailed() { parses_failed_.fetch_add(1, std::memory_order_relaxed); }
  void StoreReopened() { stores_reopened_.fetch_add(1, std::memory_order_relaxed); }
  void Ingested(uint64_t bytes, uint64_t rows) {
    ingest_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    ingest_rows_.fetch_add(rows, std::memory_order_relaxed);
  }

  // Figures read at scrape time by the caller.
  struct Gauges {
    uint64_t parse_jobs_queued = 0;
    uint64_t parse_jobs_running = 0;
    uint64_t sessions_open = 0;   // stores mapped
    uint64_t sessions_known = 0;  // in the session registry
    uint64_t store_bytes = 0;
    uint64_t store_budget_bytes = 0;
    uint64_t resident_bytes = 0;
    uint64_t resident_peak_bytes = 0;
    double uptime_seconds = 0;
  };
  // The whole exposition (Content-Type: text/plain; version=0.0.4).
  std::string Render(const Gauges& g) const;

  // Test access.
  uint64_t requests(int route, int status) const;

 private:
  struct RouteStats;
  RouteStats* Stats(int route) const;

  mutable std::mutex add_mu_;  // AddRoute only
  std::array<std::unique_ptr<RouteStats>, kMaxRoutes> routes_;
  std::atomic<int> route_count_{0};
  std::unique_ptr<RouteStats> static_, websocket_, unmatched_;

  std::atomic<int64_t> connections_open_{0};
  std::atomic<uint64_t> connections_total_{0};
  std::atomic<uint64_t> connections_refused_{0};
  std::atomic<uint64_t> parses_started_{0};
  std::atomic<uint64_t> parses_completed_{0};
  std::atomic<uint64_t> parses_failed_{0};
  std::atomic<uint64_t> stores_reopened_{0};
  std::atomic<uint64_t> parse_ns_{0};  // time spent in completed parses
  std::atomic<uint64_t> ingest_bytes_{0};
  std::atomic<uint64_t> ingest_rows_{0};
  std::atomic<uint64_t> last_parse_bytes_per_s_{0};
};

// This process's resident set and its peak (VmRSS, VmHWM of /proc/self/status), in bytes;
// zeros when unreadable.
void ReadResidentMemory(uint64_t* rss, uint64_t* peak);

}  // namespace plcscope::http
