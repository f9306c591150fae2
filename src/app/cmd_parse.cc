// `plcscope parse`, `dump` and `info`: ingest log files into a stored
// session, print a session's samples or errors as JSON lines (the contract in
// dump_writer.h), and describe a stored session.
#include <unistd.h>
#include <xxhash.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/dump_writer.h"
#include "base/mapped_file.h"
#include "base/time_util.h"
#include "ingest/ingest.h"
#include "store/store.h"

namespace plcscope::app {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

struct IngestArgs {
  std::vector<std::string> files;
  std::string format;
  double dedup_ms = 1000;
  int threads = 0;
};

void AddIngestOptions(CLI::App* cmd, IngestArgs* a) {
  cmd->add_option("files", a->files, "Log files (plain, .gz or .zst; several = one merged view)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", a->format, "Force a format: plc_debug, plc_tab, mcs, csv");
  cmd->add_option("--dedup-ms", a->dedup_ms,
                  "Cross-file duplicate tolerance in ms (docs/formats.md §6)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Parser threads (0: all cores)");
}

base::Result<ingest::IngestOptions> MakeOptions(const IngestArgs& a) {
  ingest::IngestOptions o;
  if (!a.format.empty()) {
    ingest::Format f;
    if (!ingest::ParseFormatName(a.format, &f)) {
      return base::InvalidArgument("unknown format '" + a.format +
                                   "' (known: plc_debug, plc_tab, mcs, csv)");
    }
    o.format = f;
  }
  o.dedup_tolerance_ms = a.dedup_ms;
  o.threads = a.threads;
  return o;
}

std::vector<ingest::InputFile> Inputs(const std::vector<std::string>& files) {
  std::vector<ingest::InputFile> in;
  for (const auto& f : files) in.push_back({f, fs::path(f).filename().string()});
  return in;
}

int Fail(const base::Status& st) {
  std::fprintf(stderr, "plcscope: %s\n", st.message().c_str());
  SetExitCode(1);
  return 1;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// What identifies a parse result besides the inputs: format, parser, dedup.
std::string Settings(const IngestArgs& a) {
  return a.format + "|" + std::to_string(store::kParserVersion) + "|" + std::to_string(a.dedup_ms);
}

// Key of the inputs as they sit on disk (path, size, mtime): lets a repeated
// parse find its store without reading the files again.
base::Result<std::string> IdentityKey(const IngestArgs& a) {
  std::string key = Settings(a);
  for (const auto& f : a.files) {
    auto st = base::StatFile(f);
    if (!st.ok()) return st.status();
    std::error_code ec;
    key += "|" + fs::weakly_canonical(f, ec).string() + "|" + std::to_string(st->size) + "|" +
           std::to_string(st->mtime_ns);
  }
  return Hex(XXH3_64bits(key.data(), key.size()));
}

// Key of the inputs' content: the store's file name.
std::string ContentKey(const IngestArgs& a, const store::SessionMeta& m) {
  std::string key = Settings(a);
  for (const auto& f : m.files) key += "|" + Hex(f.hash);
  return Hex(XXH3_64bits(key.data(), key.size()));
}

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) b /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", b, units[u]);
  return buf;
}

// Progress on stderr: a bar on a terminal, a line every 10 % otherwise.
std::function<void(const ingest::Progress&)> ProgressPrinter() {
  const bool tty = ::isatty(2);
  auto last = std::make_shared<int>(-1);
  return [tty, last](const ingest::Progress& p) {
    const int pct = static_cast<int>(p.percent);
    if (tty) {
      const int width = 30, fill = pct * width / 100;
      std::fprintf(stderr, "\r[%.*s%.*s] %3d%%  %s / %s  %llu rows", fill,
                   "##############################", width - fill, "..............................",
                   pct, HumanBytes(static_cast<double>(p.bytes_done)).c_str(),
                   HumanBytes(static_cast<double>(p.bytes_total)).c_str(),
                   static_cast<unsigned long long>(p.rows));
      if (pct >= 100) std::fputc('\n', stderr);
      std::fflush(stderr);
    } else if (pct / 10 != *last / 10) {
      *last = pct;
      std::fprintf(stderr, "progress %d%% (%llu rows)\n", pct,
                   static_cast<unsigned long long>(p.rows));
    }
  };
}

json Summary(const store::Store& s, const std::string& path, bool reused, double wall_ms) {
  const store::SessionMeta& m = s.meta();
  json j;
  uint64_t in_bytes = 0, lines = 0;
  json files = json::array();
  for (const auto& f : m.files) {
    in_bytes += f.size;
    lines += f.lines;
    files.push_back({{"name", f.name},
                     {"path", f.path},
                     {"size", f.size},
                     {"format", f.format},
                     {"lines", f.lines},
                     {"samples", f.samples},
                     {"errors", f.error_count},
                     {"bytesRead", f.bytes_read},
                     {"hash", Hex(f.hash)}});
  }
  const double secs = wall_ms / 1000;
  j["store"] = path;
  j["reused"] = reused;
  j["format"] = m.parser_name;
  j["files"] = files;
  j["entries"] = s.row_count();
  j["signals"] = s.signals().size();
  j["devices"] = s.devices().size();
  j["startTime"] = base::NanosToMillis(m.min_ts);
  j["endTime"] = base::NanosToMillis(m.max_ts);
  j["wallMs"] = wall_ms;
  j["inputBytes"] = in_bytes;
  j["lines"] = lines;
  j["bytesPerSec"] = secs > 0 ? static_cast<double>(in_bytes) / secs : 0;
  j["linesPerSec"] = secs > 0 ? static_cast<double>(lines) / secs : 0;
  j["errorCount"] = m.error_count;
  j["errorsByReason"] = m.error_counts;
  json first = json::array();
  if (auto errors = s.LoadErrors(); errors.ok()) {
    for (size_t i = 0; i < errors->size() && i < 5; ++i) {
      const auto& e = (*errors)[i];
      first.push_back(
          {{"source", e.source}, {"line", e.line}, {"reason", e.reason}, {"content", e.content}});
    }
  }
  j["firstErrors"] = first;
  j["duplicatesDropped"] = m.duplicates_dropped;
  j["storeBytes"] = s.file_bytes();
  j["bytesPerSample"] =
      s.row_count() ? static_cast<double>(s.file_bytes()) / static_cast<double>(s.row_count()) : 0;
  return j;
}

void PrintSummary(const json& j) {
  std::printf("%s %zu file(s) [%s]: %llu entries, %llu signals, %llu devices\n",
              j["reused"].get<bool>() ? "reopened" : "parsed", j["files"].size(),
              j["format"].get<std::string>().c_str(), j["entries"].get<unsigned long long>(),
              j["signals"].get<unsigned long long>(), j["devices"].get<unsigned long long>());
  if (j["entries"].get<uint64_t>() > 0) {
    std::printf(
        "time range: %s .. %s UTC\n",
        base::FormatDisplayMillis(base::MillisToNanos(j["startTime"].get<double>())).c_str(),
        base::FormatDisplayMillis(base::MillisToNanos(j["endTime"].get<double>())).c_str());
  }
  std::printf("input: %s, %llu lines in %.2f s (%s/s, %.2f M lines/s)\n",
              HumanBytes(j["inputBytes"].get<double>()).c_str(),
              j["lines"].get<unsigned long long>(), j["wallMs"].get<double>() / 1000,
              HumanBytes(j["bytesPerSec"].get<double>()).c_str(),
              j["linesPerSec"].get<double>() / 1e6);
  std::printf("parse errors: %llu\n", j["errorCount"].get<unsigned long long>());
  for (auto& [reason, n] : j["errorsByReason"].items()) {
    std::printf("  %-32s %llu\n", reason.c_str(), n.get<unsigned long long>());
  }
  for (const auto& e : j["firstErrors"]) {
    std::printf(
        "  line %llu%s: %s: %.80s\n", e["line"].get<unsigned long long>(),
        j["files"].size() > 1 ? (" of file " + std::to_string(e["source"].get<int>())).c_str() : "",
        e["reason"].get<std::string>().c_str(), e["content"].get<std::string>().c_str());
  }
  std::printf("duplicates dropped: %llu\n", j["duplicatesDropped"].get<unsigned long long>());
  std::printf("store: %s (%s, %.1f bytes/sample)\n", j["store"].get<std::string>().c_str(),
              HumanBytes(j["storeBytes"].get<double>()).c_str(), j["bytesPerSample"].get<double>());
}

struct ParseArgs {
  IngestArgs in;
  std::string store_dir = "plcscope-data/stores";
  bool json_out = false;
  bool force = false;
};

int RunParse(const ParseArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  auto opts = MakeOptions(a.in);
  if (!opts.ok()) return Fail(opts.status());
  std::error_code ec;
  fs::create_directories(fs::path(a.store_dir) / "by-identity", ec);
  if (ec) return Fail(base::IoError("cannot create " + a.store_dir + ": " + ec.message()));
  auto identity = IdentityKey(a.in);
  if (!identity.ok()) return Fail(identity.status());
  const fs::path identity_file = fs::path(a.store_dir) / "by-identity" / *identity;

  std::string store_path;
  bool reused = false;
  if (!a.force) {
    if (auto name = base::ReadFileToString(identity_file.string()); name.ok()) {
      const std::string p = (fs::path(a.store_dir) / *name).string();
      if (store::Store::Open(p).ok()) store_path = p, reused = true;
    }
  }
  if (!reused) {
    const std::string tmp =
        (fs::path(a.store_dir) / ("parsing-" + std::to_string(::getpid()) + ".plcs")).string();
    opts->on_progress = ProgressPrinter();
    auto meta = ingest::IngestToStore(Inputs(a.in.files), *opts, tmp);
    if (!meta.ok()) return Fail(meta.status());
    const std::string name = ContentKey(a.in, *meta) + ".plcs";
    store_path = (fs::path(a.store_dir) / name).string();
    if (!a.force && store::Store::Open(store_path).ok()) {
      fs::remove(tmp, ec);  // the same content was parsed before under another path
    } else {
      fs::rename(tmp, store_path, ec);
      if (ec) return Fail(base::IoError("cannot rename " + tmp + ": " + ec.message()));
    }
    if (auto st = base::WriteFileAtomic(identity_file.string(), name); !st.ok()) return Fail(st);
  }
  auto s = store::Store::Open(store_path);
  if (!s.ok()) return Fail(s.status());
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json j = Summary(**s, store_path, reused, wall_ms);
  if (a.json_out) {
    std::printf("%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    PrintSummary(j);
  }
  return 0;
}

// A temporary directory removed when it goes out of scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "plcscope-dump-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int RunDump(const IngestArgs& a, bool errors_only) {
  auto opts = MakeOptions(a);
  if (!opts.ok()) return Fail(opts.status());
  ScratchDir dir;
  if (dir.path().empty()) return Fail(base::IoError("cannot create a temporary directory"));
  const std::string path = dir.path() + "/dump.plcs";
  auto meta = ingest::IngestToStore(Inputs(a.files), *opts, path);
  if (!meta.ok()) return Fail(meta.status());
  auto s_or = store::Store::Open(path);
  if (!s_or.ok()) return Fail(s_or.status());
  const store::Store& s = **s_or;
  const bool with_source = a.files.size() > 1;
  std::string out;
  out.reserve(1 << 20);
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  if (errors_only) {
    auto errors = s.LoadErrors();
    if (!errors.ok()) return Fail(errors.status());
    for (const auto& e : *errors) AppendErrorJson(&out, e, with_source);
  } else {
    for (uint64_t row = 0; row < s.row_count(); ++row) {
      AppendRowJson(&out, s, row, with_source);
      if (out.size() > (1 << 20)) flush();
    }
  }
  flush();
  std::fflush(stdout);
  return 0;
}

int RunInfo(const std::string& path, bool json_out) {
  auto s_or = store::Store::Open(path);
  if (!s_or.ok()) return Fail(s_or.status());
  const store::Store& s = **s_or;
  json j = Summary(s, path, true, s.meta().processing_time_ms);
  std::map<std::string, uint64_t> signal_types, row_types;
  for (const auto& sig : s.signals()) {
    ++signal_types[base::ValueTypeName(static_cast<base::ValueType>(sig.type))];
  }
  for (uint32_t i = 0; i < s.signals().size(); ++i) {
    row_types[base::ValueTypeName(s.signal_type(i))] += s.signal_rows(i).size();
  }
  j["signalTypes"] = signal_types;
  j["rowTypes"] = row_types;
  j["parserVersion"] = s.meta().parser_version;
  j["inputWasSorted"] = s.meta().input_was_sorted;
  j["strings"] = s.string_count();
  j["values"] = s.values().size();
  j["streams"] = s.streams().size();
  if (json_out) {
    std::printf("%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("store: %s (%s, %.1f bytes/sample, parser %s v%d)\n", path.c_str(),
              HumanBytes(static_cast<double>(s.file_bytes())).c_str(),
              j["bytesPerSample"].get<double>(), s.meta().parser_name.c_str(),
              s.meta().parser_version);
  for (size_t i = 0; i < s.meta().files.size(); ++i) {
    const auto& f = s.meta().files[i];
    std::printf(
        "file %zu: %s (%s, %s) %llu lines, %llu samples, %llu errors\n", i, f.name.c_str(),
        HumanBytes(static_cast<double>(f.size)).c_str(),
        f.format.empty() ? "empty" : f.format.c_str(), static_cast<unsigned long long>(f.lines),
        static_cast<unsigned long long>(f.samples), static_cast<unsigned long long>(f.error_count));
  }
  std::printf("entries: %llu, signals: %zu, devices: %zu, values: %zu, strings: %u\n",
              static_cast<unsigned long long>(s.row_count()), s.signals().size(),
              s.devices().size(), s.values().size(), s.string_count());
  if (s.row_count() > 0) {
    std::printf("time range: %s .. %s UTC\n", base::FormatDisplayMillis(s.meta().min_ts).c_str(),
                base::FormatDisplayMillis(s.meta().max_ts).c_str());
  }
  std::printf("types (signals / rows):");
  for (const auto& [t, n] : signal_types) {
    std::printf(" %s %llu / %llu", t.c_str(), static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(row_types[t]));
  }
  std::printf("\nduplicates dropped: %llu\nparse errors: %llu\n",
              static_cast<unsigned long long>(s.meta().duplicates_dropped),
              static_cast<unsigned long long>(s.meta().error_count));
  for (const auto& [reason, n] : s.meta().error_counts) {
    std::printf("  %-32s %llu\n", reason.c_str(), static_cast<unsigned long long>(n));
  }
  return 0;
}

}  // namespace

void RegisterParseCommands(CLI::App& app) {
  auto parse_args = std::make_shared<ParseArgs>();
  CLI::App* parse = app.add_subcommand("parse", "Parse log files into a stored session");
  AddIngestOptions(parse, &parse_args->in);
  parse->add_option("--store", parse_args->store_dir, "Directory of stored sessions")
      ->capture_default_str();
  parse->add_flag("--json", parse_args->json_out, "Print the summary as one JSON object");
  parse->add_flag("--force", parse_args->force, "Parse again even when a stored result exists");
  parse->callback([parse_args] { RunParse(*parse_args); });

  auto dump_args = std::make_shared<IngestArgs>();
  auto dump_errors = std::make_shared<bool>(false);
  CLI::App* dump = app.add_subcommand(
      "dump", "Parse log files and print every sample (or --errors) as JSON lines in time order");
  AddIngestOptions(dump, dump_args.get());
  dump->add_flag("--errors", *dump_errors, "Print the parse errors instead of the samples");
  dump->callback([dump_args, dump_errors] { RunDump(*dump_args, *dump_errors); });

  auto info_path = std::make_shared<std::string>();
  auto info_json = std::make_shared<bool>(false);
  CLI::App* info = app.add_subcommand("info", "Describe a stored session");
  info->add_option("store", *info_path, "A store file (.plcs)")
      ->required()
      ->check(CLI::ExistingFile);
  info->add_flag("--json", *info_json, "Print as one JSON object");
  info->callback([info_path, info_json] { RunInfo(*info_path, *info_json); });
}

}  // namespace plcscope::app
