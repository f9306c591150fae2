#include "http/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace plcscope::http {

namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;

// "a\b" -> "a\\b"; quotes too when `quotes` (label values), newlines always.
void AppendEscaped(std::string* out, std::string_view s, bool quotes) {
  for (char c : s) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '\n') {
      *out += "\\n";
    } else if (c == '"' && quotes) {
      *out += "\\\"";
    } else {
      out->push_back(c);
    }
  }
}

uint64_t Load(const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); }

}  // namespace

std::string FormatMetricValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    for (int precision = 15; precision <= 17; ++precision) {  // the shortest that reads back
      std::snprintf(buf, sizeof buf, "%.*g", precision, v);
      if (std::strtod(buf, nullptr) == v) break;
    }
  }
  return buf;
}

void MetricsText::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  AppendEscaped(&out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void MetricsText::Name(std::string_view name, const Labels& labels, std::string_view extra_key,
                       std::string_view extra_value) {
  out_ += name;
  if (labels.empty() && extra_key.empty()) return;
  out_ += '{';
  bool first = true;
  auto add = [&](std::string_view k, std::string_view v) {
    if (!first) out_ += ',';
    first = false;
    out_ += k;
    out_ += "=\"";
    AppendEscaped(&out_, v, true);
    out_ += '"';
  };
  for (const auto& [k, v] : labels) add(k, v);
  if (!extra_key.empty()) add(extra_key, extra_value);
  out_ += '}';
}

void MetricsText::Sample(std::string_view name, const Labels& labels, double value) {
  Name(name, labels);
  out_ += ' ';
  out_ += FormatMetricValue(value);
  out_ += '\n';
}

void MetricsText::Histogram(std::string_view name, const Labels& labels,
                            const std::vector<double>& bounds, const std::vector<uint64_t>& counts,
                            double sum) {
  const std::string bucket = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds.size() && i < counts.size(); ++i) {
    cumulative += counts[i];
    const std::string le = i < bounds.size() ? FormatMetricValue(bounds[i]) : "+Inf";
    Name(bucket, labels, "le", le);
    out_ += ' ';
    out_ += FormatMetricValue(static_cast<double>(cumulative));
    out_ += '\n';
  }
  Sample(std::string(name) + "_sum", labels, sum);
  Sample(std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

struct Metrics::RouteStats {
  std::string method;
  std::string route;
  std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};
  std::atomic<uint64_t> sum_ns{0};
};

Metrics::Metrics()
    : static_(new RouteStats{.method = "GET", .route = "static"}),
      websocket_(new RouteStats{.method = "GET", .route = "websocket"}),
      unmatched_(new RouteStats{.method = "*", .route = "unmatched"}) {}

Metrics::~Metrics() = default;

int Metrics::AddRoute(std::string_view method, std::string_view pattern) {
  std::lock_guard<std::mutex> lock(add_mu_);
  const int n = route_count_.load(std::memory_order_relaxed);
  if (n >= kMaxRoutes) return kUnmatched;
  routes_[n].reset(new RouteStats{.method = std::string(method), .route = std::string(pattern)});
  route_count_.store(n + 1, std::memory_order_release);
  return n;
}

Metrics::RouteStats* Metrics::Stats(int route) const {
  if (route >= 0 && route < route_count_.load(std::memory_order_acquire)) {
    return routes_[route].get();
  }
  if (route == kStatic) return static_.get();
  if (route == kWebSocket) return websocket_.get();
  return unmatched_.get();
}

void Metrics::ObserveRequest(int route, int status, double seconds) {
  RouteStats* r = Stats(route);
  if (status < kMinStatus || status > kMaxStatus) status = 500;
  r->by_status[status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kLatencyBuckets.size() && seconds > kLatencyBuckets[b]) ++b;
  r->buckets[b].fetch_add(1, std::memory_order_relaxed);
  const double ns = seconds > 0 ? seconds * 1e9 : 0;
  r->sum_ns.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
}

uint64_t Metrics::requests(int route, int status) const {
  if (status < kMinStatus || status > kMaxStatus) return 0;
  return Load(Stats(route)->by_status[status - kMinStatus]);
}

void Metrics::ParseCompleted(double seconds, uint64_t bytes) {
  parses_completed_.fetch_add(1, std::memory_order_relaxed);
  parse_ns_.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e9),
                      std::memory_order_relaxed);
  if (seconds > 0) {
    last_parse_bytes_per_s_.store(static_cast<uint64_t>(static_cast<double>(bytes) / seconds),
                                  std::memory_order_relaxed);
  }
}

std::string Metrics::Render(const Gauges& g) const {
  MetricsText t;
  std::vector<const RouteStats*> all;
  const int n = route_count_.load(std::memory_order_acquire);
  all.reserve(static_cast<size_t>(n) + 3);
  for (int i = 0; i < n; ++i) all.push_back(routes_[i].get());
  all.push_back(static_.get());
  all.push_back(websocket_.get());
  all.push_back(unmatched_.get());

  t.Family("plcscope_http_requests_total", "counter",
           "HTTP requests answered, by method, route pattern and status code.");
  for (const RouteStats* r : all) {
    for (int s = kMinStatus; s <= kMaxStatus; ++s) {
      const uint64_t v = Load(r->by_status[s - kMinStatus]);
      if (v == 0) continue;
      const std::string code = std::to_string(s);
      t.Sample("plcscope_http_requests_total",
               {{"method", r->method}, {"route", r->route}, {"code", code}},
               static_cast<double>(v));
    }
  }
  t.Family("plcscope_http_request_duration_seconds", "histogram",
           "Time from a request's header to its response's last byte, by route.");
  const std::vector<double> bounds(kLatencyBuckets.begin(), kLatencyBuckets.end());
  for (const RouteStats* r : all) {
    std::vector<uint64_t> counts;
    uint64_t total = 0;
    for (const auto& b : r->buckets) {
      counts.push_back(Load(b));
      total += counts.back();
    }
    if (total == 0) continue;
    t.Histogram("plcscope_http_request_duration_seconds",
                {{"method", r->method}, {"route", r->route}}, bounds, counts,
                static_cast<double>(Load(r->sum_ns)) / 1e9);
  }
  auto one = [&t](std::string_view name, std::string_view type, std::string_view help,
                  double value) {
    t.Family(name, type, help);
    t.Sample(name, value);
  };
  auto u = [](uint64_t v) { return static_cast<double>(v); };
  one("plcscope_http_connections_open", "gauge", "Client connections open now.",
      static_cast<double>(connections_open_.load(std::memory_order_relaxed)));
  one("plcscope_http_connections_total", "counter", "Client connections accepted.",
      u(Load(connections_total_)));
  one("plcscope_http_connections_refused_total", "counter",
      "Connections refused with 503 TOO_MANY_CONNECTIONS (the connection caps).",
      u(Load(connections_refused_)));
  one("plcscope_parse_jobs_queued", "gauge", "Parse jobs waiting for a parse thread.",
      u(g.parse_jobs_queued));
  one("plcscope_parse_jobs_running", "gauge", "Parse jobs running now.", u(g.parse_jobs_running));
  one("plcscope_parse_jobs_started_total", "counter", "Parse jobs started (not reopened).",
      u(Load(parses_started_)));
  one("plcscope_parse_jobs_completed_total", "counter", "Parse jobs that completed.",
      u(Load(parses_completed_)));
  one("plcscope_parse_jobs_failed_total", "counter", "Parse jobs that ended in an error.",
      u(Load(parses_failed_)));
  one("plcscope_parse_reopened_total", "counter",
      "Sessions answered from a stored result on disk instead of a parse.",
      u(Load(stores_reopened_)));
  one("plcscope_parse_duration_seconds_total", "counter", "Time spent in completed parse jobs.",
      u(Load(parse_ns_)) / 1e9);
  one("plcscope_ingest_bytes_total", "counter", "Input bytes read by parse jobs.",
      u(Load(ingest_bytes_)));
  one("plcscope_ingest_rows_total", "counter", "Samples (rows) produced by parse jobs.",
      u(Load(ingest_rows_)));
  one("plcscope_ingest_last_bytes_per_second", "gauge",
      "Input bytes per second of the last completed parse job.", u(Load(last_parse_bytes_per_s_)));
  one("plcscope_sessions_open", "gauge", "Parsed sessions whose store is open (mapped).",
      u(g.sessions_open));
  one("plcscope_sessions_known", "gauge", "Sessions in the session registry.", u(g.sessions_known));
  one("plcscope_store_bytes", "gauge", "Bytes of stored sessions on disk.", u(g.store_bytes));
  one("plcscope_store_budget_bytes", "gauge",
      "The disk budget of stored sessions (--store-budget).", u(g.store_budget_bytes));
  one("plcscope_process_resident_memory_bytes", "gauge", "Resident memory of the server process.",
      u(g.resident_bytes));
  one("plcscope_process_resident_memory_peak_bytes", "gauge",
      "Peak resident memory of the server process since it started.", u(g.resident_peak_bytes));
  one("plcscope_uptime_seconds", "gauge", "Seconds since the server started.", g.uptime_seconds);
  return t.text();
}

void ReadResidentMemory(uint64_t* rss, uint64_t* peak) {
  *rss = 0;
  *peak = 0;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long kb = 0;
    if (std::sscanf(line.c_str(), "VmRSS: %llu kB", &kb) == 1) *rss = kb << 10;
    if (std::sscanf(line.c_str(), "VmHWM: %llu kB", &kb) == 1) *peak = kb << 10;
  }
}

}  // namespace plcscope::http
