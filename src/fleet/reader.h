// FleetReader: the questions `plcscope serve --clickhouse` asks of the pushed
// data (docs/clickhouse.md "Reading"): which files the cluster holds, and
// where one signal (or one value of it) occurs across every pushed file, and
// the cycle times of one signal's value grouped by device.
// Reads the Distributed tables through the first node that answers; a file
// counts once its push is committed on every shard.
//
// Thread safety: const methods, callable from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "fleet/clickhouse.h"

namespace plcscope::fleet {

struct FleetFile {
  uint64_t file = 0;  // content hash
  std::string name;
  uint64_t size = 0;
  std::string format;
  uint64_t rows = 0;
  uint64_t signals = 0;
  uint64_t devices = 0;
  uint64_t errors = 0;
  int64_t first_ts = 0;  // ns
  int64_t last_ts = 0;
  int64_t pushed_at_s = 0;
};

struct SearchQuery {
  std::string signal;                // a signal name, or "device::signal"
  std::optional<std::string> value;  // the text as written; none: every sample
  std::optional<int64_t> start_ns, end_ns;
  uint32_t limit = 1000;
};

struct SearchHit {
  uint64_t file = 0;
  std::string device, signal, value, type;
  int64_t ts = 0;
};

struct SearchResult {
  std::vector<SearchHit> hits;  // in time order
  bool truncated = false;       // more than `limit` matched
};

// A cycle rule across the fleet: a "match" is a sample of `signal` whose
// value is `value` (the text as written) where the signal's previous sample
// in that file had another value (or there was none); a cycle is the time
// between two consecutive matches of one device's signal in one file (the
// same semantics as a local cycle rule on "device::signal", docs/query.md).
struct CycleQuery {
  std::string signal;  // a signal name (every device that has it), or "device::signal"
  std::string value;
  std::optional<int64_t> start_ns, end_ns;  // matches inside the window
};

// One device's cycles over every committed file.
struct DeviceCycles {
  std::string device;
  uint64_t files = 0;  // files the device has at least one cycle in
  uint64_t count = 0;
  double min_ms = 0, max_ms = 0, mean_ms = 0, stddev_ms = 0;  // population stddev
  double p50_ms = 0, p95_ms = 0;                              // exact quantiles
};

class FleetReader {
 public:
  FleetReader(std::vector<ClickHouseNode> nodes, std::string database, int timeout_s = 30)
      : nodes_(std::move(nodes)), database_(std::move(database)), timeout_s_(timeout_s) {}

  const std::vector<ClickHouseNode>& nodes() const { return nodes_; }
  const std::string& database() const { return database_; }

  // The committed files, oldest data first.
  base::Result<std::vector<FleetFile>> Files() const;
  // Samples of one signal (and value) across the committed files.
  base::Result<SearchResult> Search(const SearchQuery& q) const;
  // Cycle statistics per device (devices without a cycle are left out), by device name.
  base::Result<std::vector<DeviceCycles>> Cycles(const CycleQuery& q) const;

 private:
  // The statement on the first node that answers; a node that cannot be
  // reached is passed over, and when none answers the error names each.
  base::Result<std::string> Query(const std::string& sql) const;
  // "file IN (...) AND device = ... AND signal = ... AND ts ..." over the
  // committed files; nullopt when there is none.
  base::Result<std::optional<std::string>> SignalWhere(const std::string& signal,
                                                       std::optional<int64_t> start_ns,
                                                       std::optional<int64_t> end_ns) const;
  std::vector<ClickHouseNode> nodes_;
  std::string database_;
  int timeout_s_;
};

}  // namespace plcscope::fleet
