// `plcscope gen`: writes a synthetic log (gen/log_generator.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "base/time_util.h"
#include "bench/ingest_bench.h"
#include "gen/log_generator.h"

namespace plcscope::app {
namespace {

struct GenFlags {
  std::string format = "plc_debug";
  std::string profile = "reference";
  std::string start = "2025-09-22 00:00:00";
  std::string output;
  gen::GeneratorOptions options;
  bool landmarks = false;
};

int RunGen(const GenFlags& f) {
  gen::GeneratorOptions o = f.options;
  if (!gen::ParseOutputFormat(f.format, &o.format)) {
    std::fprintf(stderr, "gen: unknown format '%s' (plc_debug, plc_tab, mcs, csv)\n",
                 f.format.c_str());
    return 2;
  }
  if (!gen::ParseProfile(f.profile, &o.profile)) {
    std::fprintf(stderr, "gen: unknown profile '%s' (reference, demo)\n", f.profile.c_str());
    return 2;
  }
  int64_t ns = 0;
  size_t used = 0;
  if (!base::ParseTimestamp(f.start, &ns, &used) || used != f.start.size()) {
    std::fprintf(stderr, "gen: --start '%s' is not a timestamp like 2025-09-22 00:00:00\n",
                 f.start.c_str());
    return 2;
  }
  o.start_us = ns / 1000;
  const double cpu0 = bench::ProcessCpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  auto stats = gen::GenerateToFile(o, f.output);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = bench::ProcessCpuSeconds() - cpu0;
  if (!stats.ok()) {
    std::fprintf(stderr, "gen: %s\n", stats.status().ToString().c_str());
    return 1;
  }
  const double mb = static_cast<double>(stats->bytes) / 1e6;
  std::fprintf(
      stderr,
      "gen: wrote %s: %llu lines, %.1f MB (%.1f bytes/line) in %.2f s wall = %.0f MB/s "
      "(%.2f s CPU = %.0f MB per CPU-second)\n",
      f.output.c_str(), static_cast<unsigned long long>(stats->lines), mb,
      stats->lines ? static_cast<double>(stats->bytes) / static_cast<double>(stats->lines) : 0.0, s,
      mb / s, cpu, cpu > 0 ? mb / cpu : 0.0);
  if (f.landmarks) {
    for (const gen::Landmark& m : stats->landmarks) {
      std::printf("%s\tline %llu\t%s\t%s::%s\t%s\n", m.what.c_str(),
                  static_cast<unsigned long long>(m.line),
                  base::FormatDisplayMillis(m.ts_us * 1000).c_str(), m.device.c_str(),
                  m.signal.c_str(), m.value.c_str());
    }
  }
  return 0;
}

}  // namespace

void RegisterGenCommands(CLI::App& app) {
  auto flags = std::make_shared<GenFlags>();
  CLI::App* gen_cmd = app.add_subcommand("gen", "Write a synthetic, reproducible PLC log");
  gen_cmd->add_option("--format", flags->format, "plc_debug, plc_tab, mcs or csv")
      ->capture_default_str();
  gen_cmd
      ->add_option("--profile", flags->profile,
                   "reference (the docs/targets.md plant) or demo (10-minute scripted line)")
      ->capture_default_str();
  gen_cmd->add_option("--lines", flags->options.lines, "Lines to write (reference profile)")
      ->capture_default_str();
  gen_cmd->add_option("--seed", flags->options.seed, "Random seed (same seed, same bytes)")
      ->capture_default_str();
  gen_cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")->required();
  gen_cmd->add_flag("--gzip", flags->options.gzip, "Write gzip");
  gen_cmd->add_option("--start", flags->start, "First timestamp")->capture_default_str();
  gen_cmd->add_option("--devices", flags->options.devices, "Devices in the reference plant")
      ->capture_default_str();
  gen_cmd->add_option("--duration", flags->options.duration_s,
                      "Seconds spanned (default: 1.8 ms a line, 12 M lines = 6 h)");
  gen_cmd->add_option("--unsorted-fraction", flags->options.unsorted_fraction,
                      "Fraction of lines stamped up to 3 s early (0..1)");
  gen_cmd->add_flag("--landmarks", flags->landmarks,
                    "Print the planted landmarks (once-changing signal, pulses) to stdout");
  gen_cmd->callback([flags] { SetExitCode(RunGen(*flags)); });

  auto bench_flags = std::make_shared<bench::BenchOptions>();
  auto formats = std::make_shared<std::string>("plc_debug,plc_tab,mcs,csv");
  CLI::App* bench_cmd =
      app.add_subcommand("bench", "Ingest benchmark: generate reference files, time `parse`");
  bench_cmd->add_option("--lines", bench_flags->lines, "Lines of the 1x reference file")
      ->capture_default_str();
  bench_cmd->add_option("--scale", bench_flags->scale, "Multiplies --lines (0.1, 1, 10)")
      ->capture_default_str();
  bench_cmd->add_option("--runs", bench_flags->runs, "Measured runs per format (after a warm-up)")
      ->capture_default_str();
  bench_cmd->add_option("--seed", bench_flags->seed, "Generator seed")->capture_default_str();
  bench_cmd->add_option("--dir", bench_flags->dir, "Where reference files and stores go")
      ->capture_default_str();
  bench_cmd->add_option("--formats", *formats, "Comma-separated formats")->capture_default_str();
  bench_cmd->add_flag("--clean", bench_flags->clean,
                      "Delete the generated files and stores afterwards");
  bench_cmd->callback([bench_flags, formats] {
    bench_flags->formats.clear();
    for (size_t start = 0; start <= formats->size();) {
      size_t comma = std::min(formats->find(',', start), formats->size());
      if (comma > start) bench_flags->formats.push_back(formats->substr(start, comma - start));
      start = comma + 1;
    }
    base::Status st = bench::RunIngestBench(*bench_flags, stdout);
    if (!st.ok()) std::fprintf(stderr, "bench: %s\n", st.ToString().c_str());
    SetExitCode(st.ok() ? 0 : 1);
  });
}

}  // namespace plcscope::app
