// `plcscope push`: each input file parsed (or its stored session reopened,
// the same cache as `parse` and `serve`) and pushed into ClickHouse
// (src/fleet, docs/clickhouse.md). One summary line per file on stdout, or
// one JSON object per file with --json.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/ingest_args.h"
#include "base/hex_clock.h"
#include "fleet/clickhouse.h"
#include "fleet/push.h"
#include "store/store_cache.h"

namespace plcscope::app {
namespace {

struct PushArgs {
  IngestArgs in;
  std::string data_dir = store::DefaultDataDir();
  std::string clickhouse;
  fleet::PushOptions push;
  bool json_out = false;
};

// Rows sent, on stderr: a bar on a terminal, a line every 10 % otherwise.
std::function<void(uint64_t, uint64_t)> PushProgress(const std::string& name) {
  const bool tty = ::isatty(2);
  auto last = std::make_shared<int>(-1);
  return [tty, last, name](uint64_t done, uint64_t total) {
    const int pct = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    if (tty) {
      const int width = 30, fill = pct * width / 100;
      std::fprintf(stderr, "\rpush %s [%.*s%.*s] %3d%%  %llu / %llu rows", name.c_str(), fill,
                   "##############################", width - fill, "..............................",
                   pct, static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (pct >= 100) std::fputc('\n', stderr);
      std::fflush(stderr);
    } else if (pct / 10 != *last / 10) {
      *last = pct;
      std::fprintf(stderr, "push %s: %d%% (%llu rows)\n", name.c_str(), pct,
                   static_cast<unsigned long long>(done));
    }
  };
}

int RunPush(PushArgs& a) {
  auto addresses = fleet::ParseNodeList(a.clickhouse);
  if (!addresses.ok()) return Fail(addresses.status());
  std::vector<fleet::ClickHouseNode> nodes;
  for (auto& addr : *addresses) nodes.emplace_back(addr);
  for (const auto& node : nodes) {
    if (auto st = node.Ping(); !st.ok()) return Fail(st);
  }
  if (auto st = fleet::EnsureSchema(nodes, a.push); !st.ok()) return Fail(st);
  store::StoreCache cache(a.data_dir);
  if (auto st = cache.Init(); !st.ok()) return Fail(st);
  auto opts = MakeOptions(a.in);
  if (!opts.ok()) return Fail(opts.status());
  // Idempotent per input file: each file is its own session and push.
  for (const std::string& file : a.in.files) {
    IngestArgs one = a.in;
    one.files = {file};
    auto key = InputKey(one);
    if (!key.ok()) return Fail(key.status());
    const auto inputs = Inputs(one.files);
    auto opened = cache.OpenOrBuild(*key, [&](const std::string& path) -> base::Status {
      auto meta = ingest::IngestToStore(inputs, *opts, path);
      return meta.ok() ? base::Status::Ok() : meta.status();
    });
    if (!opened.ok()) return Fail(opened.status());
    const store::Store& s = *opened->store;
    const uint64_t hash = s.meta().files.empty() ? 0 : s.meta().files[0].hash;
    fleet::PushOptions po = a.push;
    if (!a.json_out) po.on_progress = PushProgress(inputs[0].name);
    auto r = fleet::Push(s, hash, inputs[0].name, nodes, po);
    if (!r.ok()) return Fail(r.status());
    if (a.json_out) {
      nlohmann::json j = {{"file", file},
                          {"hash", base::Hex64(hash)},
                          {"skipped", r->skipped},
                          {"rows", r->rows},
                          {"shardRows", r->shard_rows},
                          {"seconds", r->seconds},
                          {"rowsPerSec", r->seconds > 0 ? r->rows / r->seconds : 0}};
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (r->skipped) {
      std::printf("%s: already pushed (content %s), nothing added\n", file.c_str(),
                  base::Hex64(hash).c_str());
    } else {
      std::printf("%s: %llu rows pushed to %zu node(s) in %.2f s (%.2f M rows/s)\n", file.c_str(),
                  static_cast<unsigned long long>(r->rows), nodes.size(), r->seconds,
                  r->seconds > 0 ? static_cast<double>(r->rows) / r->seconds / 1e6 : 0.0);
    }
  }
  return 0;
}

}  // namespace

void RegisterPushCommand(CLI::App& app) {
  auto args = std::make_shared<PushArgs>();
  CLI::App* push = app.add_subcommand(
      "push", "Push log files (parsed, or their stored sessions) into ClickHouse");
  AddIngestOptions(push, &args->in);
  push->add_option("--clickhouse", args->clickhouse,
                   "ClickHouse HTTP URL, http://host:port; on a cluster every shard's, in shard "
                   "order, comma-separated")
      ->required();
  push->add_option("--database", args->push.database, "ClickHouse database")->capture_default_str();
  push->add_option("--cluster", args->push.cluster,
                   "ClickHouse cluster (remote_servers) the nodes are the shards of");
  push->add_option("--jobs", args->push.jobs, "Batches in flight")->capture_default_str();
  push->add_option("--batch-rows", args->push.batch_rows, "Rows per batch")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 26));
  push->add_option("--data-dir", args->data_dir,
                   "Data directory; stored sessions in <dir>/stores (shared with parse and serve)")
      ->capture_default_str();
  push->add_flag("!--no-compress", args->push.gzip,
                 "Send batches uncompressed (a node on this machine: saves the CPU of gzip)");
  push->add_flag("--json", args->json_out, "Print one JSON object per file");
  push->callback([args] { RunPush(*args); });
}

}  // namespace plcscope::app
