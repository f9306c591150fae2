#include "bench/ingest_bench.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/mapped_file.h"
#include "gen/log_generator.h"

namespace plcscope::bench {
namespace fs = std::filesystem;

namespace {

// The text after "key" and its ':' on the first line of `text` starting with key.
std::string_view FieldOf(std::string_view text, std::string_view key) {
  for (size_t at = 0; at < text.size();) {
    size_t nl = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, nl - at);
    if (line.substr(0, key.size()) == key) {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return {};
      line.remove_prefix(colon + 1);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      return line;
    }
    at = nl + 1;
  }
  return {};
}

}  // namespace

MachineInfo ReadMachineInfo() {
  MachineInfo m;
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  if (auto cpu = base::ReadFileToString("/proc/cpuinfo"); cpu.ok()) {
    m.cpu_model = std::string(FieldOf(*cpu, "model name"));
  }
  if (auto mem = base::ReadFileToString("/proc/meminfo"); mem.ok()) {
    m.mem_total_bytes =
        std::strtoull(std::string(FieldOf(*mem, "MemTotal")).c_str(), nullptr, 10) * 1024;
  }
  struct utsname u;
  if (::uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

base::Result<ChildRun> RunChild(const std::string& exe, const std::vector<std::string>& args,
                                const std::string& stderr_path) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return base::IoError(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return base::IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::dup2(pipe_fds[1], 1);
    if (!stderr_path.empty()) {
      int fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) ::dup2(fd, 2);
    }
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ChildRun run;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(pipe_fds[0], buf, sizeof(buf));
    if (n > 0) {
      run.out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  struct rusage ru {};
  while (::wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) return base::IoError(std::string("wait4: ") + std::strerror(errno));
  }
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.max_rss_bytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;  // Linux: kilobytes
  run.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return run;
}

base::Result<ParseSummary> ParseSummaryJson(std::string_view text) {
  // The summary is the last line that parses as a JSON object (progress and
  // other messages go to stderr, but be tolerant of text before it).
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    size_t start = text.rfind("\n{");
    if (start != std::string_view::npos) {
      j = nlohmann::json::parse(text.substr(start + 1), nullptr, false);
    }
  }
  if (!j.is_object()) {
    return base::InvalidArgument("`parse --json` printed no JSON object: " +
                                 std::string(text.substr(0, 200)));
  }
  std::string missing;
  auto number = [&](const char* field) -> double {
    auto it = j.find(field);
    if (it == j.end() || !it->is_number()) {
      if (missing.empty()) missing = field;
      return 0;
    }
    return it->get<double>();
  };
  ParseSummary s;
  s.entries = static_cast<uint64_t>(number("entries"));
  s.lines = static_cast<uint64_t>(number("lines"));
  s.input_bytes = static_cast<uint64_t>(number("inputBytes"));
  s.error_count = static_cast<uint64_t>(number("errorCount"));
  s.store_bytes = static_cast<uint64_t>(number("storeBytes"));
  s.wall_ms = number("wallMs");
  if (auto it = j.find("store"); it != j.end() && it->is_string()) {
    s.store = it->get<std::string>();
  } else if (missing.empty()) {
    missing = "store";
  }
  if (!missing.empty()) {
    std::string have;
    for (auto& [k, v] : j.items()) have += (have.empty() ? "" : ", ") + k;
    return base::InvalidArgument("`parse --json` output lacks the numeric field '" + missing +
                                 "' (it has: " + have + ")");
  }
  return s;
}

double ProcessCpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

Spread SpreadOf(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Spread s;
  s.min = v.front();
  s.max = v.back();
  size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return s;
}

namespace {

// Generates (or reuses) the reference file of one format; reports how.
base::Result<std::string> EnsureFile(const BenchOptions& o, gen::OutputFormat format,
                                     uint64_t lines, std::FILE* out) {
  std::string path = o.dir + "/ref-" + gen::OutputFormatName(format) + "-" + std::to_string(lines) +
                     "-s" + std::to_string(o.seed) + ".log";
  std::string params = "plcscope gen v" + std::to_string(gen::kGeneratorVersion) +
                       " format=" + gen::OutputFormatName(format) +
                       " lines=" + std::to_string(lines) + " seed=" + std::to_string(o.seed);
  std::error_code ec;
  if (fs::exists(path, ec)) {
    auto saved = base::ReadFileToString(path + ".params");
    if (saved.ok() &&
        *saved == params + " bytes=" + std::to_string(fs::file_size(path, ec)) + "\n") {
      std::fprintf(out, "generator: %-9s reusing %s\n", gen::OutputFormatName(format),
                   path.c_str());
      return path;
    }
  }
  gen::GeneratorOptions g;
  g.format = format;
  g.lines = lines;
  g.seed = o.seed;
  const double cpu0 = ProcessCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  auto stats = gen::GenerateToFile(g, path);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = ProcessCpuSeconds() - cpu0;
  if (!stats.ok()) return stats.status();
  PLCSCOPE_RETURN_IF_ERROR(base::WriteFileAtomic(
      path + ".params", params + " bytes=" + std::to_string(stats->bytes) + "\n"));
  const double mb = static_cast<double>(stats->bytes) / 1e6;
  std::fprintf(out,
               "generator: %-9s %.1f MB, %llu lines in %.2f s wall = %.0f MB/s "
               "(%.2f s CPU = %.0f MB per CPU-second)\n",
               gen::OutputFormatName(format), mb, static_cast<unsigned long long>(stats->lines),
               wall, mb / wall, cpu, cpu > 0 ? mb / cpu : 0.0);
  return path;
}

struct FormatResult {
  std::string format;
  uint64_t file_bytes = 0;
  ParseSummary summary;
  Spread wall;
  Spread cpu;
  uint64_t peak_rss = 0;
  double mb_per_s = 0;
};

base::Result<FormatResult> BenchFormat(const BenchOptions& o, const std::string& format,
                                       const std::string& file) {
  FormatResult r;
  r.format = format;
  std::error_code ec;
  r.file_bytes = fs::file_size(file, ec);
  const std::string store_dir = o.dir + "/stores";
  const std::string err_path = o.dir + "/parse-" + format + ".stderr";
  const std::vector<std::string> args = {"parse", file, "--store", store_dir, "--force", "--json"};
  std::vector<double> walls, cpus;
  for (int i = 0; i <= o.runs; ++i) {  // run 0 is the warm-up
    auto run = RunChild(o.exe, args, err_path);
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) {
      return base::Internal("`plcscope parse " + file + "` exited with " +
                            std::to_string(run->exit_code) + "; its stderr is in " + err_path);
    }
    auto summary = ParseSummaryJson(run->out);
    if (!summary.ok()) return summary.status();
    r.summary = *summary;
    if (i == 0) continue;
    walls.push_back(run->wall_s);
    cpus.push_back(run->cpu_s);
    r.peak_rss = std::max(r.peak_rss, run->max_rss_bytes);
  }
  r.wall = SpreadOf(walls);
  r.cpu = SpreadOf(cpus);
  r.mb_per_s = static_cast<double>(r.file_bytes) / 1e6 / r.wall.median;
  return r;
}

}  // namespace

base::Status RunIngestBench(const BenchOptions& o, std::FILE* out) {
  if (o.runs < 1) return base::InvalidArgument("--runs must be at least 1");
  if (!(o.scale > 0)) return base::InvalidArgument("--scale must be positive");
  const uint64_t lines =
      static_cast<uint64_t>(std::llround(static_cast<double>(o.lines) * o.scale));
  std::error_code ec;
  fs::create_directories(o.dir, ec);
  if (ec) return base::IoError("cannot create " + o.dir + ": " + ec.message());

  const MachineInfo m = ReadMachineInfo();
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::fprintf(out, "plcscope ingest benchmark, %s\n", date);
  std::fprintf(out, "machine: %d cores, %s, %.1f GiB RAM, %s\n", m.cores, m.cpu_model.c_str(),
               static_cast<double>(m.mem_total_bytes) / (1 << 30), m.kernel.c_str());
  std::fprintf(out,
               "each run: plcscope parse FILE --store %s/stores --force --json as a child process; "
               "1 warm-up + %d measured runs; page cache warm\n",
               o.dir.c_str(), o.runs);

  std::vector<std::pair<std::string, std::string>> files;  // format, path
  for (const std::string& name : o.formats) {
    gen::OutputFormat f;
    if (!gen::ParseOutputFormat(name, &f)) return base::InvalidArgument("unknown format " + name);
    auto path = EnsureFile(o, f, lines, out);
    if (!path.ok()) return path.status();
    files.emplace_back(name, *path);
  }
  std::fflush(out);

  std::vector<FormatResult> results;
  for (const auto& [format, path] : files) {
    auto r = BenchFormat(o, format, path);
    if (!r.ok()) return r.status();
    results.push_back(std::move(*r));
  }

  double base_mbs = 0;
  for (const FormatResult& r : results) {
    if (r.format == "plc_debug") base_mbs = r.mb_per_s;
  }
  std::fprintf(out, "\n%-9s %9s %10s %20s %7s %6s %9s %8s %9s %7s %6s\n", "format", "file MB",
               "lines", "wall s min/med/max", "MB/s", "ratio", "Mlines/s", "CPU s", "RSS MB",
               "B/smpl", "errors");
  for (const FormatResult& r : results) {
    const ParseSummary& s = r.summary;
    char wall[48];
    std::snprintf(wall, sizeof(wall), "%.2f/%.2f/%.2f", r.wall.min, r.wall.median, r.wall.max);
    char ratio[16] = "-";
    if (base_mbs > 0) std::snprintf(ratio, sizeof(ratio), "%.2f", r.mb_per_s / base_mbs);
    std::fprintf(
        out, "%-9s %9.1f %10llu %20s %7.0f %6s %9.2f %8.2f %9.0f %7.1f %6llu\n", r.format.c_str(),
        static_cast<double>(r.file_bytes) / 1e6, static_cast<unsigned long long>(s.lines), wall,
        r.mb_per_s, ratio, static_cast<double>(s.lines) / 1e6 / r.wall.median, r.cpu.median,
        static_cast<double>(r.peak_rss) / 1e6,
        s.entries ? static_cast<double>(s.store_bytes) / static_cast<double>(s.entries) : 0.0,
        static_cast<unsigned long long>(s.error_count));
  }
  std::fprintf(out,
               "(wall: fork to exit of the child, MB/s from the median; ratio: MB/s vs plc_debug; "
               "CPU s: the child's user+sys, median; RSS: its peak resident set, wait4 ru_maxrss; "
               "B/smpl: store bytes / entries)\n");
  for (const FormatResult& r : results) {
    if (r.summary.error_count > 0) {
      std::fprintf(out, "warning: %s had %llu parse errors on generated input\n", r.format.c_str(),
                   static_cast<unsigned long long>(r.summary.error_count));
    }
  }
  if (o.clean) {
    for (const auto& [format, path] : files) {
      fs::remove(path, ec);
      fs::remove(path + ".params", ec);
    }
    fs::remove_all(o.dir + "/stores", ec);
  }
  return base::Status::Ok();
}

}  // namespace plcscope::bench
