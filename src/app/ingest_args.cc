#include "app/ingest_args.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/commands.h"
#include "base/mapped_file.h"
#include "store/store_cache.h"

namespace plcscope::app {

namespace fs = std::filesystem;

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
  in.reserve(files.size());
  for (const auto& f : files) in.push_back({f, fs::path(f).filename().string()});
  return in;
}

int Fail(const base::Status& st) {
  std::fprintf(stderr, "plcscope: %s\n", st.message().c_str());
  SetExitCode(1);
  return 1;
}

base::Result<std::string> InputKey(const IngestArgs& a) {
  std::vector<store::KeyInput> inputs;
  for (const auto& f : a.files) {
    auto st = base::StatFile(f);
    if (!st.ok()) return st.status();
    auto h = base::HashFile(f);
    if (!h.ok()) return h.status();
    inputs.push_back({*h, st->size});
  }
  return store::StoreKey(inputs, {a.format, a.dedup_ms});
}

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) b /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", b, units[u]);
  return buf;
}

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

}  // namespace plcscope::app
