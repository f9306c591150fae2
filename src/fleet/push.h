// Push: one input file's stored session into ClickHouse (docs/clickhouse.md
// "Push"). Idempotent per file content: a file whose commit row is on every
// node is skipped; the rows of a push that stopped half-way are removed
// before the file is pushed again. Rows go straight to the node of their
// shard (XXH3-64 of "device::signal" modulo the node count, the same value
// the Distributed tables shard on), in RowBinary batches, gzip-compressed,
// from `jobs` threads at once; the commit row goes to every node last.
//
// Thread safety: Push may run from one thread per call; it starts its own
// workers and joins them before it returns.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "fleet/clickhouse.h"
#include "store/store.h"

namespace plcscope::fleet {

struct PushOptions {
  std::string database = "plcscope";
  std::string cluster;            // "" : one node
  int jobs = 2;                   // batches in flight
  uint64_t batch_rows = 1 << 20;  // rows of the store per batch (split by shard)
  bool gzip = true;               // compress the batches (off: loopback, CPU-bound)
  // Called from worker threads (serialised) with rows sent so far.
  std::function<void(uint64_t rows_done, uint64_t rows_total)> on_progress;
};

struct PushResult {
  bool skipped = false;  // already on the cluster
  uint64_t rows = 0;
  std::vector<uint64_t> shard_rows;  // per node
  double seconds = 0;
};

// Creates the schema on every node (CREATE ... IF NOT EXISTS). With a
// cluster, checks first that it has as many shards as `nodes`.
base::Status EnsureSchema(const std::vector<ClickHouseNode>& nodes, const PushOptions& options);

// Pushes the session `s` made of one input file, identified by `file_hash`
// (XXH3-64 of its bytes). `name` is the file's display name.
base::Result<PushResult> Push(const store::Store& s, uint64_t file_hash, const std::string& name,
                              const std::vector<ClickHouseNode>& nodes, const PushOptions& options);

// The shard of a signal key among `shards` nodes.
uint32_t ShardOf(std::string_view signal_key, size_t shards);
uint64_t ShardKey(std::string_view signal_key);

}  // namespace plcscope::fleet
