// `plcscope parse`, `dump` and `info`: ingest log files into a stored
// session, print a session's samples or errors as JSON lines (the contract in
// dump_writer.h), and describe a stored session.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/dump_writer.h"
#include "app/ingest_args.h"
#include "base/hex_clock.h"
#include "base/mapped_file.h"
#include "base/time_util.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "store/store_cache.h"

namespace plcscope::app {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// store::WriteFileSummary into a JSON object.
struct JsonFields {
  json* j;
  template <typename T>
  JsonFields& Field(std::string_view key, const T& value) {
    (*j)[std::string(key)] = value;
    return *this;
  }
};

json Summary(const store::Store& s, const std::string& path, bool reused, double wall_ms) {
  const store::SessionMeta& m = s.meta();
  json j;
  uint64_t in_bytes = 0, lines = 0;
  json files = json::array();
  for (const auto& f : m.files) {
    in_bytes += f.size;
    lines += f.lines;
    json file = json::object();
    JsonFields fields{&file};
    store::WriteFileSummary(f, fields);
    file["path"] = f.path;
    file["hash"] = base::Hex64(f.hash);
    files.push_back(std::move(file));
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
  std::string data_dir = store::DefaultDataDir();
  bool json_out = false;
  bool force = false;
};

int RunParse(const ParseArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  auto opts = MakeOptions(a.in);
  if (!opts.ok()) return Fail(opts.status());
  // The same cache as the server's (store/store_cache.h): `plcscope serve`
  // on this data directory reopens what is parsed here, and back.
  store::StoreCache cache(a.data_dir);
  if (auto st = cache.Init(); !st.ok()) return Fail(st);
  auto key = InputKey(a.in);
  if (!key.ok()) return Fail(key.status());
  opts->on_progress = ProgressPrinter();
  const auto inputs = Inputs(a.in.files);
  auto opened = cache.OpenOrBuild(
      *key,
      [&](const std::string& path) -> base::Status {
        auto meta = ingest::IngestToStore(inputs, *opts, path);
        return meta.ok() ? base::Status::Ok() : meta.status();
      },
      a.force);
  if (!opened.ok()) return Fail(opened.status());
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json j = Summary(*opened->store, opened->store->path(), !opened->built, wall_ms);
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

struct InfoArgs {
  std::string path;  // a store file, or a log file parsed before
  std::string data_dir = store::DefaultDataDir();
  std::string format;
  double dedup_ms = 1000;
  bool json_out = false;
};

// A store file opens as it is; a log file is looked up in the store cache
// (parsed before with the same --format and --dedup-ms), never parsed here.
base::Result<std::shared_ptr<const store::Store>> OpenForInfo(const InfoArgs& a) {
  auto file = base::MappedFile::Open(a.path);
  if (!file.ok()) return file.status();
  if ((*file)->size() >= sizeof(store::kMagic) &&
      std::memcmp((*file)->data(), store::kMagic, sizeof(store::kMagic)) == 0) {
    return store::Store::Open(a.path);
  }
  IngestArgs in;
  in.files = {a.path};
  in.format = a.format;
  in.dedup_ms = a.dedup_ms;
  auto key = InputKey(in);
  if (!key.ok()) return key.status();
  store::StoreCache cache(a.data_dir);
  auto opened = cache.OpenOrBuild(*key, nullptr);
  if (!opened.ok()) {
    return base::NotFound(a.path + " has no stored result in " + cache.stores_dir() +
                          " (run `plcscope parse` first)");
  }
  return opened->store;
}

int RunInfo(const InfoArgs& a) {
  const bool json_out = a.json_out;
  auto s_or = OpenForInfo(a);
  if (!s_or.ok()) return Fail(s_or.status());
  const store::Store& s = **s_or;
  const std::string& path = s.path();
  json j = Summary(s, s.path(), true, s.meta().processing_time_ms);
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
  parse
      ->add_option("--data-dir,--store", parse_args->data_dir,
                   "Data directory; stored sessions in <dir>/stores (shared with serve)")
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

  auto info_args = std::make_shared<InfoArgs>();
  CLI::App* info = app.add_subcommand("info", "Describe a stored session");
  info->add_option("store", info_args->path, "A store file (.store), or a log file parsed before")
      ->required()
      ->check(CLI::ExistingFile);
  info->add_option("--data-dir", info_args->data_dir, "Data directory (for a log file)")
      ->capture_default_str();
  info->add_option("--format", info_args->format, "The --format it was parsed with");
  info->add_option("--dedup-ms", info_args->dedup_ms, "The --dedup-ms it was parsed with");
  info->add_flag("--json", info_args->json_out, "Print as one JSON object");
  info->callback([info_args] { RunInfo(*info_args); });
}

}  // namespace plcscope::app
