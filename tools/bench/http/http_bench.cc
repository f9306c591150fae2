// http_bench: HTTP benchmarks of plcscope serve on loopback (docs/targets.md).
//
//   http_bench latency HOST PORT SESSION [RUNS]   p50/p99 per query kind
//   http_bench load HOST PORT SESSION [CLIENTS] [SECONDS]
//                                                 mixed pages / waveforms / at-time
//   http_bench upload HOST PORT MB                a raw upload streamed from memory
//   http_bench heavy HOST PORT SESSION [HEAVY] [SECONDS]  light pages while HEAVY heavy queries run
//   http_bench soak HOST PORT SESSION PID [CLIENTS] [SLOW] [SECONDS] [THINK_MS]
//                                                 CLIENTS keep-alive clients mixing pages,
//                                                 searches, waveforms and at-time, plus SLOW
//                                                 connections that trickle their headers (and
//                                                 reconnect when cut); errors, p99 of a plain
//                                                 page, and the server's RSS at start and end
//
// Prints one line per measurement; latencies in ms. Single-purpose tool, not
// a library; not thread-safe beyond what it does itself.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
  double min = 0, p50 = 0, p99 = 0, max = 0;
};
Stats Summarize(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  s.p50 = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  return s;
}

struct Call {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
};

httplib::Result Do(httplib::Client& cli, const Call& c) {
  if (c.method == "GET") return cli.Get(c.path);
  return cli.Post(c.path, c.body, "application/json");
}

// Percent-encodes everything but unreserved characters.
std::string Enc(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

struct SessionInfo {
  std::vector<std::string> signals;
  double start = 0, end = 0;
  uint64_t total = 0;
};

SessionInfo Describe(httplib::Client& cli, const std::string& base) {
  SessionInfo info;
  auto st = cli.Get(base + "/status");
  if (!st || st->status != 200) {
    std::fprintf(stderr, "no such session\n");
    std::exit(1);
  }
  json j = json::parse(st->body);
  info.start = j["startTime"];
  info.end = j["endTime"];
  info.total = j["entryCount"];
  json sigs = json::parse(cli.Get(base + "/signals")->body);
  for (auto& s : sigs) info.signals.push_back(s);
  return info;
}

std::string Waveform(const SessionInfo& info, size_t first, size_t n, int width) {
  json j;
  j["signals"] = json::array();
  for (size_t i = 0; i < n && i < info.signals.size(); ++i) {
    j["signals"].push_back(info.signals[(first + i * 97) % info.signals.size()]);
  }
  j["start"] = info.start;
  j["end"] = info.end;
  j["width"] = width;
  return j.dump();
}

// A 20-signal, 1,000 px waveform over a random twentieth of the session.
Call RandomWaveform(const SessionInfo& info, const std::string& base, std::mt19937_64& rng) {
  const double w = (info.end - info.start) / 20;
  const double s = info.start + static_cast<double>(rng() % 19) * w;
  json j = json::parse(Waveform(info, rng() % 1000, 20, 1000));
  j["start"] = s;
  j["end"] = s + w;
  return {"waveform", "POST", base + "/waveform", j.dump()};
}

// Values of one random signal at a random instant.
Call RandomAtTime(const SessionInfo& info, const std::string& base, std::mt19937_64& rng) {
  char ts[64];
  std::snprintf(ts, sizeof ts, "%.3f",
                info.start + (info.end - info.start) * static_cast<double>(rng() % 1000) / 1000.0);
  return {"at-time", "GET",
          base + "/at-time?ts=" + std::string(ts) +
              "&signals=" + Enc(info.signals[rng() % info.signals.size()]),
          ""};
}

int Latency(const std::string& host, int port, const std::string& id, int runs) {
  httplib::Client cli(host, port);
  cli.set_read_timeout(60, 0);
  const std::string base = "/api/parse/" + id;
  SessionInfo info = Describe(cli, base);
  const uint64_t last_page = std::max<uint64_t>(1, (info.total + 199) / 200);
  // A value that exists: the most common boolean signal's name.
  const std::string sig = info.signals.empty() ? "x" : info.signals[info.signals.size() / 2];
  const std::string bare = sig.substr(sig.find("::") + 2);
  json rule = {{"rules",
                {{{"name", "a_to_b"},
                  {"type", "a_to_b"},
                  {"start", {{"signal", bare}, {"op", "equals"}, {"value", "true"}}},
                  {"end", {{"signal", bare}, {"op", "equals"}, {"value", "false"}}}}}}};
  const double mid = (info.start + info.end) / 2;
  char midbuf[64];
  std::snprintf(midbuf, sizeof midbuf, "%.3f", mid);
  std::vector<Call> calls = {
      {"entries first page", "GET", base + "/entries?page=1&pageSize=200", ""},
      {"entries middle page", "GET",
       base + "/entries?pageSize=200&page=" + std::to_string(last_page / 2), ""},
      {"entries last page", "GET", base + "/entries?pageSize=200&page=" + std::to_string(last_page),
       ""},
      {"search substring first page", "GET", base + "/entries?pageSize=200&search=TRAY_EXIST", ""},
      {"search substring page 2", "GET", base + "/entries?pageSize=200&page=2&search=TRAY_EXIST",
       ""},
      {"search regex first page", "GET",
       base + "/entries?pageSize=200&regex=true&search=" + Enc("I_(TRAY|STOP)_[A-Z]+"), ""},
      {"changedOnly first page", "GET", base + "/entries?pageSize=200&changedOnly=true", ""},
      {"sort signalName first page", "GET", base + "/entries?pageSize=200&sort=signalName", ""},
      {"sort signalName page 2", "GET", base + "/entries?pageSize=200&page=2&sort=signalName", ""},
      {"sort value first page", "GET", base + "/entries?pageSize=200&sort=value", ""},
      {"sort value page 2", "GET", base + "/entries?pageSize=200&page=2&sort=value", ""},
      {"waveform 50 signals 2000 px", "POST", base + "/waveform", Waveform(info, 0, 50, 2000)},
      {"at-time all signals", "GET", base + "/at-time?ts=" + std::string(midbuf), ""},
      {"index-of-time", "GET", base + "/index-of-time?ts=" + std::string(midbuf), ""},
      {"time-tree", "GET", base + "/time-tree", ""},
      {"transitions one A->B rule", "POST", base + "/transitions", rule.dump()},
  };
  std::printf("%-30s %9s %9s %9s %9s %10s\n", "request", "min", "p50", "p99", "max", "bytes");
  for (const Call& c : calls) {
    std::vector<double> t;
    size_t bytes = 0;
    int status = 0;
    for (int i = 0; i < runs; ++i) {
      auto t0 = Clock::now();
      auto r = Do(cli, c);
      t.push_back(Ms(Clock::now() - t0));
      status = r ? r->status : -1;
      bytes = r ? r->body.size() : 0;
    }
    Stats s = Summarize(t);
    std::printf("%-30s %9.2f %9.2f %9.2f %9.2f %10zu%s\n", c.name.c_str(), s.min, s.p50, s.p99,
                s.max, bytes, status == 200 ? "" : "  (status != 200)");
  }
  return 0;
}

int Load(const std::string& host, int port, const std::string& id, int clients, int seconds) {
  const std::string base = "/api/parse/" + id;
  SessionInfo info;
  {
    httplib::Client cli(host, port);
    info = Describe(cli, base);
  }
  const uint64_t pages = std::max<uint64_t>(1, (info.total + 199) / 200);
  std::atomic<uint64_t> ok{0}, errors{0};
  std::mutex mu;
  std::vector<double> all;
  std::map<std::string, uint64_t> error_kinds;  // "<kind> <status or transport error>"
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli(host, port);
      cli.set_keep_alive(true);
      cli.set_read_timeout(30, 0);
      std::mt19937_64 rng(c);
      std::vector<double> mine;
      while (Clock::now() < end) {
        const int kind = static_cast<int>(rng() % 10);
        Call call;
        if (kind < 6) {
          call = {"page", "GET",
                  base + "/entries?pageSize=200&page=" + std::to_string(1 + rng() % pages), ""};
        } else if (kind < 8) {
          call = RandomWaveform(info, base, rng);
        } else {
          call = RandomAtTime(info, base, rng);
        }
        auto t0 = Clock::now();
        auto r = Do(cli, call);
        mine.push_back(Ms(Clock::now() - t0));
        if (r && r->status == 200) {
          ++ok;
          continue;
        }
        ++errors;
        std::string what =
            call.name + " " + (r ? std::to_string(r->status) : httplib::to_string(r.error()));
        std::lock_guard<std::mutex> lock(mu);
        ++error_kinds[what];
      }
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  Stats s = Summarize(all);
  std::printf(
      "load: %d clients, %d s: %llu requests, %.0f requests/s, p50 %.2f ms, p99 %.2f ms, "
      "max %.2f ms, errors %llu\n",
      clients, seconds, static_cast<unsigned long long>(ok.load()) + errors.load(),
      static_cast<double>(ok + errors) / seconds, s.p50, s.p99, s.max,
      static_cast<unsigned long long>(errors.load()));
  for (const auto& [what, n] : error_kinds) {
    std::printf("  error: %s x%llu\n", what.c_str(), static_cast<unsigned long long>(n));
  }
  return errors == 0 ? 0 : 1;
}

int Upload(const std::string& host, int port, uint64_t mb) {
  httplib::Client cli(host, port);
  cli.set_write_timeout(600, 0);
  cli.set_read_timeout(600, 0);
  std::string block(1 << 20, '\0');
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>('a' + (i * 7) % 26);
  const uint64_t total = mb << 20;
  auto t0 = Clock::now();
  auto r = cli.Post(
      "/api/files/upload?name=bench-upload.bin", total,
      [&](size_t offset, size_t length, httplib::DataSink& sink) {
        const size_t off = offset % block.size();
        return sink.write(block.data() + off, std::min(length, block.size() - off));
      },
      "application/octet-stream");
  const double s = Ms(Clock::now() - t0) / 1000;
  if (!r || r->status != 201) {
    std::printf("upload failed: %s\n", r ? r->body.c_str() : httplib::to_string(r.error()).c_str());
    return 1;
  }
  std::printf("upload: %llu MB in %.2f s = %.0f MB/s; file %s\n",
              static_cast<unsigned long long>(mb), s, mb / s,
              json::parse(r->body)["id"].get<std::string>().c_str());
  return 0;
}

// The server's resident memory in kB (VmRSS of /proc/PID/status), 0 when unknown.
// The server's resident memory (kB): all of it, and its anonymous part (the
// heap; the rest is mostly pages of the mapped stores, which grow as queries
// touch them and which the kernel can drop).
struct Rss {
  long total = 0, anon = 0;
};
Rss RssOf(int pid) {
  Rss r;
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (f == nullptr) return r;
  char line[256];
  while (std::fgets(line, sizeof line, f) != nullptr) {
    std::sscanf(line, "VmRSS: %ld kB", &r.total);
    std::sscanf(line, "RssAnon: %ld kB", &r.anon);
  }
  std::fclose(f);
  return r;
}

double Growth(long from, long to) {
  return from > 0 ? 100.0 * static_cast<double>(to - from) / static_cast<double>(from) : 0.0;
}

// `heavy` uncached heavy queries at once (each a regex scan over every row
// sorted by value, distinct so no cache answers it), again and again, while one
// client reads plain 50-row pages every 10 ms: the light pages' latency is what
// the heavy pool (docs/http.md "--heavy-queries") protects. 503 BUSY on a heavy
// query is the server's answer to too many, counted apart from errors.
int Heavy(const std::string& host, int port, const std::string& id, int heavy, int seconds) {
  const std::string base = "/api/parse/" + id;
  SessionInfo info;
  {
    httplib::Client cli(host, port);
    info = Describe(cli, base);
  }
  const uint64_t pages = std::max<uint64_t>(1, (info.total + 49) / 50);
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::atomic<uint64_t> heavy_ok{0}, heavy_busy{0}, errors{0}, next{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(std::max(0, heavy)));
  for (int c = 0; c < heavy; ++c) {
    threads.emplace_back([&] {
      httplib::Client cli(host, port);
      cli.set_keep_alive(true);
      cli.set_read_timeout(120, 0);
      while (Clock::now() < end) {
        const uint64_t n = next++;
        const std::string term = std::string(n % 2 ? "[0-9]" : "[A-Z]") + "|" + std::to_string(n);
        auto r = cli.Get(
            base + "/entries?regex=true&sort=value&order=desc&pageSize=50&search=" + Enc(term));
        if (r && r->status == 200) {
          ++heavy_ok;
        } else if (r && r->status == 503) {
          ++heavy_busy;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } else {
          ++errors;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the heavy ones under way
  std::vector<double> light;
  {
    httplib::Client cli(host, port);
    cli.set_keep_alive(true);
    std::mt19937_64 rng(7);
    while (Clock::now() < end) {
      const auto t0 = Clock::now();
      auto r = cli.Get(base + "/entries?pageSize=50&page=" + std::to_string(1 + rng() % pages));
      light.push_back(Ms(Clock::now() - t0));
      if (!r || r->status != 200) ++errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (auto& t : threads) t.join();
  const Stats l = Summarize(light);
  std::printf(
      "heavy: %d heavy clients, %d s: %llu heavy queries done, %llu refused busy (503); "
      "light page (50 rows) x%zu: min %.2f  p50 %.2f  p99 %.2f  max %.2f ms; errors %llu\n",
      heavy, seconds, static_cast<unsigned long long>(heavy_ok.load()),
      static_cast<unsigned long long>(heavy_busy.load()), light.size(), l.min, l.p50, l.p99, l.max,
      static_cast<unsigned long long>(errors.load()));
  return errors == 0 ? 0 : 1;
}

// One connection that sends a request header a line at a time, a line every
// `gap`, forever; reconnects when the server cuts it. Counts the cuts.
void SlowClient(const std::string& host, int port, Clock::time_point end,
                std::chrono::milliseconds gap, std::atomic<uint64_t>* cuts) {
  while (Clock::now() < end) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      std::this_thread::sleep_for(gap);
      continue;
    }
    std::string head = "GET /api/health HTTP/1.1\r\nHost: " + host + "\r\n";
    bool open = ::send(fd, head.data(), head.size(), MSG_NOSIGNAL) > 0;
    for (int i = 0; open && Clock::now() < end; ++i) {
      std::this_thread::sleep_for(gap);
      const std::string line = "X-Slow-" + std::to_string(i) + ": x\r\n";
      open = ::send(fd, line.data(), line.size(), MSG_NOSIGNAL) > 0;
    }
    if (!open) ++*cuts;
    ::close(fd);
  }
}

// `think_ms` > 0: each client waits a random 0..2x think_ms between requests,
// as a person at the UI does; 0: back to back (the server saturated, where
// latency is queueing: clients / throughput).
int Soak(const std::string& host, int port, const std::string& id, int pid, int clients, int slow,
         int seconds, int think_ms) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  const std::string base = "/api/parse/" + id;
  SessionInfo info;
  {
    httplib::Client cli(host, port);
    info = Describe(cli, base);
  }
  const uint64_t pages = std::max<uint64_t>(1, (info.total + 199) / 200);
  const Rss rss_start = RssOf(pid);
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(seconds);
  std::atomic<uint64_t> ok{0}, errors{0}, cuts{0};
  std::mutex mu;
  std::vector<double> plain, all;
  std::map<std::string, uint64_t> error_kinds;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(slow) + static_cast<size_t>(clients));
  for (int i = 0; i < slow; ++i) {
    threads.emplace_back(SlowClient, host, port, end, std::chrono::milliseconds(2000), &cuts);
  }
  const char* terms[] = {"TRAY", "ALARM", "STOP", "I_MOVE", "O_RUN"};
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli(host, port);
      cli.set_keep_alive(true);
      cli.set_read_timeout(60, 0);
      std::mt19937_64 rng(1000 + c);
      std::vector<double> mine, mine_plain;
      while (Clock::now() < end) {
        if (think_ms > 0) {
          std::this_thread::sleep_for(
              std::chrono::microseconds(rng() % (2000 * static_cast<uint64_t>(think_ms))));
        }
        const int kind = static_cast<int>(rng() % 20);
        Call call;
        if (kind < 10) {
          call = {"page", "GET",
                  base + "/entries?pageSize=50&page=" + std::to_string(1 + rng() % pages), ""};
        } else if (kind < 12) {
          call = {"search", "GET",
                  base + "/entries?pageSize=50&search=" + std::string(terms[rng() % 5]) +
                      "&page=" + std::to_string(1 + rng() % 20),
                  ""};
        } else if (kind < 16) {
          call = RandomWaveform(info, base, rng);
        } else {
          call = RandomAtTime(info, base, rng);
        }
        auto t0 = Clock::now();
        auto r = Do(cli, call);
        const double ms = Ms(Clock::now() - t0);
        mine.push_back(ms);
        if (call.name == "page") mine_plain.push_back(ms);
        if (r && r->status == 200) {
          ++ok;
          continue;
        }
        ++errors;
        std::string what =
            call.name + " " + (r ? std::to_string(r->status) : httplib::to_string(r.error()));
        std::lock_guard<std::mutex> lock(mu);
        ++error_kinds[what];
      }
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
      plain.insert(plain.end(), mine_plain.begin(), mine_plain.end());
    });
  }
  // RSS once the clients have warmed the caches (a tenth of the run in).
  Rss rss_warm;
  std::this_thread::sleep_until(start + std::chrono::seconds(seconds) / 10);
  rss_warm = RssOf(pid);
  for (auto& t : threads) t.join();
  const Rss rss_end = RssOf(pid);
  const uint64_t requests = ok.load() + errors.load();
  const Stats p = Summarize(plain), a = Summarize(all);
  std::printf(
      "soak: %d clients (think %d ms) + %d slow connections, %d s: %llu requests (%.0f/s), "
      "errors %llu\n"
      "  plain page (50 rows): min %.2f  p50 %.2f  p99 %.2f  max %.2f ms\n"
      "  all requests:         min %.2f  p50 %.2f  p99 %.2f  max %.2f ms\n"
      "  slow connections cut by the server: %llu\n"
      "  server RSS: start %ld kB, warm %ld kB, end %ld kB (%+.1f %% from start, %+.1f %% from "
      "warm)\n"
      "  server RssAnon: start %ld kB, warm %ld kB, end %ld kB (%+.1f %% from warm)\n",
      clients, think_ms, slow, seconds, static_cast<unsigned long long>(requests),
      static_cast<double>(requests) / seconds, static_cast<unsigned long long>(errors.load()),
      p.min, p.p50, p.p99, p.max, a.min, a.p50, a.p99, a.max,
      static_cast<unsigned long long>(cuts.load()), rss_start.total, rss_warm.total, rss_end.total,
      Growth(rss_start.total, rss_end.total), Growth(rss_warm.total, rss_end.total), rss_start.anon,
      rss_warm.anon, rss_end.anon, Growth(rss_warm.anon, rss_end.anon));
  for (const auto& [what, n] : error_kinds) {
    std::printf("  error: %s x%llu\n", what.c_str(), static_cast<unsigned long long>(n));
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(
        stderr,
        "usage: http_bench latency HOST PORT SESSION [RUNS]\n"
        "       http_bench load HOST PORT SESSION [CLIENTS] [SECONDS]\n"
        "       http_bench upload HOST PORT MB\n"
        "       http_bench heavy HOST PORT SESSION [HEAVY] [SECONDS]\n"
        "       http_bench soak HOST PORT SESSION PID [CLIENTS] [SLOW] [SECONDS] [THINK_MS]\n");
    return 2;
  }
  const std::string mode = argv[1], host = argv[2];
  const int port = std::atoi(argv[3]);
  if (mode == "upload") return Upload(host, port, std::strtoull(argv[4], nullptr, 10));
  if (argc < 5) return 2;
  const std::string id = argv[4];
  if (mode == "latency") return Latency(host, port, id, argc > 5 ? std::atoi(argv[5]) : 30);
  if (mode == "soak" && argc > 5) {
    return Soak(host, port, id, std::atoi(argv[5]), argc > 6 ? std::atoi(argv[6]) : 256,
                argc > 7 ? std::atoi(argv[7]) : 500, argc > 8 ? std::atoi(argv[8]) : 300,
                argc > 9 ? std::atoi(argv[9]) : 0);
  }
  if (mode == "heavy") {
    return Heavy(host, port, id, argc > 5 ? std::atoi(argv[5]) : 40,
                 argc > 6 ? std::atoi(argv[6]) : 30);
  }
  if (mode == "load") {
    return Load(host, port, id, argc > 5 ? std::atoi(argv[5]) : 64,
                argc > 6 ? std::atoi(argv[6]) : 10);
  }
  return 2;
}
