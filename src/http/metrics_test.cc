#include "http/metrics.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "http/router.h"

namespace plcscope::http {
namespace {

TEST(MetricsText, FamilyAndSamplesInTheTextFormat) {
  MetricsText t;
  t.Family("plcscope_x_total", "counter", "Things\\counted\nhere.");
  t.Sample("plcscope_x_total", {{"route", "/api/a\"b"}, {"code", "200"}}, 3);
  t.Sample("plcscope_y", 0.25);
  EXPECT_EQ(t.text(),
            "# HELP plcscope_x_total Things\\\\counted\\nhere.\n"
            "# TYPE plcscope_x_total counter\n"
            "plcscope_x_total{route=\"/api/a\\\"b\",code=\"200\"} 3\n"
            "plcscope_y 0.25\n");
}

TEST(MetricsText, HistogramBucketsAreCumulativeWithInf) {
  MetricsText t;
  t.Histogram("h_seconds", {{"route", "r"}}, {0.1, 1}, {2, 0, 3}, 4.5);
  EXPECT_EQ(t.text(),
            "h_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
            "h_seconds_bucket{route=\"r\",le=\"1\"} 2\n"
            "h_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n"
            "h_seconds_sum{route=\"r\"} 4.5\n"
            "h_seconds_count{route=\"r\"} 5\n");
}

TEST(MetricsText, Values) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(12345678901234.0), "12345678901234");
  EXPECT_EQ(FormatMetricValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatMetricValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatMetricValue(0.0 / 0.0), "NaN");
}

TEST(Metrics, CountsRequestsByRoutePatternAndStatus) {
  Metrics m;
  const int a = m.AddRoute("GET", "/api/parse/:id/entries");
  const int b = m.AddRoute("POST", "/api/parse");
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  m.ObserveRequest(a, 200, 0.003);
  m.ObserveRequest(a, 200, 0.2);
  m.ObserveRequest(a, 404, 50);
  m.ObserveRequest(Metrics::kStatic, 200, 0.0001);
  m.ObserveRequest(Metrics::kUnmatched, 401, 0.0001);
  m.ObserveRequest(77, 200, 0.0001);  // not a route: unmatched
  EXPECT_EQ(m.requests(a, 200), 2u);
  EXPECT_EQ(m.requests(a, 404), 1u);
  EXPECT_EQ(m.requests(b, 200), 0u);
  EXPECT_EQ(m.requests(Metrics::kUnmatched, 200), 1u);
  const std::string text = m.Render({});
  EXPECT_NE(text.find("plcscope_http_requests_total{method=\"GET\",route=\"/api/parse/:id/"
                      "entries\",code=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("plcscope_http_requests_total{method=\"GET\",route=\"static\",code=\"200\"} "
                      "1\n"),
            std::string::npos);
  // 0.003 s is in le=0.005 and above; 0.2 in le=0.25; 50 s only in +Inf.
  const std::string h =
      "plcscope_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/"
      "parse/:id/entries\",le=\"";
  EXPECT_NE(text.find(h + "0.0025\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find(h + "0.005\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find(h + "0.25\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find(h + "30\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find(h + "+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("plcscope_http_request_duration_seconds_count{method=\"GET\",route=\"/api/"
                      "parse/:id/entries\"} 3\n"),
            std::string::npos);
  // A route without requests has no histogram.
  EXPECT_EQ(text.find("route=\"/api/parse\",le="), std::string::npos);
}

TEST(Metrics, EveryLineIsACommentOrASampleAndEveryFamilyIsTyped) {
  Metrics m;
  m.ObserveRequest(m.AddRoute("GET", "/api/health"), 200, 0.01);
  m.ConnectionOpened();
  m.Ingested(1000, 10);
  m.ParseCompleted(2, 1000);
  Metrics::Gauges g;
  g.store_budget_bytes = 50ull << 30;
  const std::string text = m.Render(g);
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  std::set<std::string> typed;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("# TYPE ", 0) == 0) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_EQ(name.rfind("plcscope_", 0), 0u) << line;
      EXPECT_TRUE(typed.insert(name).second) << "typed twice: " << line;
      const std::string type = line.substr(8 + name.size());
      if (type == "counter") EXPECT_TRUE(name.ends_with("_total")) << line;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    const size_t name_end = line.find_first_of("{ ");
    ASSERT_NE(name_end, std::string::npos) << line;
    std::string name = line.substr(0, name_end);
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (!typed.count(name) && name.ends_with(suffix)) {
        name = name.substr(0, name.size() - std::string(suffix).size());
      }
    }
    EXPECT_TRUE(typed.count(name)) << "sample of an untyped family: " << line;
    const std::string value = line.substr(line.rfind(' ') + 1);
    EXPECT_FALSE(value.empty()) << line;
  }
  EXPECT_NE(text.find("plcscope_http_connections_open 1\n"), std::string::npos);
  EXPECT_NE(text.find("plcscope_ingest_bytes_total 1000\n"), std::string::npos);
  EXPECT_NE(text.find("plcscope_ingest_rows_total 10\n"), std::string::npos);
  EXPECT_NE(text.find("plcscope_ingest_last_bytes_per_second 500\n"), std::string::npos);
  EXPECT_NE(text.find("plcscope_store_budget_bytes 53687091200\n"), std::string::npos);
}

TEST(Metrics, CountsFromManyThreadsAddUp) {
  Metrics m;
  const int r = m.AddRoute("GET", "/api/x");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) m.ObserveRequest(r, 200, 0.001);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.requests(r, 200), 40000u);
}

TEST(Router, FindSetsTheRouteIndex) {
  Router router;
  router.Add("GET", "/api/health", [](Request&) { return Response(); });
  router.Add("GET", "/api/parse/:id", [](Request&) { return Response(); });
  Request req{.method = "GET", .path = "/api/parse/abc"};
  EXPECT_EQ(router.Find("GET", req.path, &req).index, 1);
  EXPECT_EQ(req.route, 1);
  EXPECT_EQ(router.pattern(1), "/api/parse/:id");
  Request miss{.method = "GET", .path = "/api/nothing"};
  router.Dispatch(miss);
  EXPECT_EQ(miss.route, -1);
}

}  // namespace
}  // namespace plcscope::http
