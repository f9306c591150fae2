#include "fleet/push.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

#include "fleet/schema.h"

namespace plcscope::fleet {
namespace {

constexpr int64_t kNsPerDay = 86'400'000'000'000;

// RowBinary: little-endian fixed widths, strings as LEB128 length + bytes.
class RowBinary {
 public:
  explicit RowBinary(std::string* out) : out_(out) {}
  template <typename T>
  void Fixed(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_->append(b, sizeof(T));
  }
  void String(std::string_view s) {
    uint64_t n = s.size();
    while (n >= 0x80) {
      out_->push_back(static_cast<char>((n & 0x7F) | 0x80));
      n >>= 7;
    }
    out_->push_back(static_cast<char>(n));
    out_->append(s);
  }

 private:
  std::string* out_;
};

uint16_t DayOf(int64_t ts) {
  int64_t d = ts / kNsPerDay - (ts % kNsPerDay < 0 ? 1 : 0);
  return static_cast<uint16_t>(std::clamp<int64_t>(d, 0, 65535));
}

int8_t TypeEnum(base::ValueType t) {
  switch (t) {
    case base::ValueType::kBoolean:
      return 1;
    case base::ValueType::kInteger:
      return 2;
    case base::ValueType::kFloat:
      return 3;
    case base::ValueType::kString:
      return 4;
  }
  return 4;
}

double NumOf(const store::ShownValue& v) {
  switch (v.type) {
    case base::ValueType::kBoolean:
      return v.b ? 1 : 0;
    case base::ValueType::kInteger:
      return static_cast<double>(v.i);
    case base::ValueType::kFloat:
      return v.d;
    case base::ValueType::kString:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// One count from `SELECT count() ... FORMAT TSV`.
base::Result<uint64_t> Count(const ClickHouseNode& node, const std::string& sql) {
  auto r = node.Query(sql + " FORMAT TSV");
  if (!r.ok()) return r.status();
  return std::strtoull(r->c_str(), nullptr, 10);
}

std::string Hash(uint64_t h) { return std::to_string(h); }

// Removes what a push of `file` that stopped half-way left on `node`, and
// waits for the mutations to finish.
base::Status RemovePartial(const ClickHouseNode& node, const std::string& db, uint64_t file) {
  bool any = false;
  for (const std::string& t : LocalTablesWithFileRows(db)) {
    auto n = Count(node, "SELECT count() FROM " + t + " WHERE file = " + Hash(file));
    if (!n.ok()) return n.status();
    if (*n == 0) continue;
    any = true;
    auto r = node.Query("ALTER TABLE " + t + " DELETE WHERE file = " + Hash(file));
    if (!r.ok()) return r.status();
  }
  if (!any) return base::Status::Ok();
  for (int i = 0; i < 3000; ++i) {
    auto left =
        Count(node, "SELECT count() FROM system.mutations WHERE database = " + SqlString(db) +
                        " AND is_done = 0");
    if (!left.ok()) return left.status();
    if (*left == 0) return base::Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return base::IoError("ClickHouse at " + node.url() +
                       ": removing the rows of an unfinished push did not finish in 300 s");
}

}  // namespace

uint64_t ShardKey(std::string_view signal_key) {
  return XXH3_64bits(signal_key.data(), signal_key.size());
}

uint32_t ShardOf(std::string_view signal_key, size_t shards) {
  return static_cast<uint32_t>(ShardKey(signal_key) % std::max<size_t>(1, shards));
}

base::Status EnsureSchema(const std::vector<ClickHouseNode>& nodes, const PushOptions& o) {
  if (!ValidIdentifier(o.database)) {
    return base::InvalidArgument("database name '" + o.database +
                                 "' must be letters, digits and _ (not starting with a digit)");
  }
  if (!o.cluster.empty() && !ValidIdentifier(o.cluster)) {
    return base::InvalidArgument("cluster name '" + o.cluster +
                                 "' must be letters, digits and _ (not starting with a digit)");
  }
  if (nodes.empty()) return base::InvalidArgument("no ClickHouse node given");
  if (o.cluster.empty() && nodes.size() > 1) {
    return base::InvalidArgument(
        "several ClickHouse nodes need --cluster (the cluster they are the shards of)");
  }
  if (!o.cluster.empty()) {
    auto shards = Count(nodes[0],
                        "SELECT count(DISTINCT shard_num) FROM system.clusters WHERE "
                        "cluster = " +
                            SqlString(o.cluster));
    if (!shards.ok()) return shards.status();
    if (*shards == 0) {
      return base::NotFound("ClickHouse at " + nodes[0].url() + " has no cluster '" + o.cluster +
                            "' (its remote_servers)");
    }
    if (*shards != nodes.size()) {
      return base::InvalidArgument("cluster '" + o.cluster + "' has " + std::to_string(*shards) +
                                   " shards but " + std::to_string(nodes.size()) +
                                   " node URLs were given (one per shard, in shard order)");
    }
  }
  for (const ClickHouseNode& node : nodes) {
    for (const std::string& sql : SchemaStatements(o.database, o.cluster)) {
      auto r = node.Query(sql);
      if (!r.ok()) return r.status();
    }
  }
  return base::Status::Ok();
}

base::Result<PushResult> Push(const store::Store& s, uint64_t file_hash, const std::string& name,
                              const std::vector<ClickHouseNode>& nodes, const PushOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const std::string& db = o.database;
  PushResult result;
  result.shard_rows.assign(nodes.size(), 0);
  // Committed on every node: nothing to do.
  size_t committed = 0;
  for (const ClickHouseNode& node : nodes) {
    auto n =
        Count(node, "SELECT count() FROM " + db + ".files_local WHERE file = " + Hash(file_hash));
    if (!n.ok()) return n.status();
    committed += *n > 0 ? 1 : 0;
  }
  if (committed == nodes.size()) {
    result.skipped = true;
    return result;
  }
  for (const ClickHouseNode& node : nodes) {
    if (auto st = RemovePartial(node, db, file_hash); !st.ok()) return st;
  }

  // Per signal: its shard, key, names and type.
  const auto signals = s.signals();
  std::vector<uint32_t> shard_of(signals.size());
  std::vector<uint64_t> shard_key(signals.size());
  for (size_t i = 0; i < signals.size(); ++i) {
    const std::string_view key = s.str(signals[i].key);
    shard_key[i] = ShardKey(key);
    shard_of[i] = static_cast<uint32_t>(shard_key[i] % nodes.size());
  }
  const std::string insert = "INSERT INTO " + db + ".samples_local FORMAT RowBinary";
  const uint64_t rows = s.row_count();
  const uint64_t batch = std::max<uint64_t>(1, o.batch_rows);
  const uint64_t batches = (rows + batch - 1) / batch;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;  // error, progress, shard_rows
  base::Status error = base::Status::Ok();
  uint64_t done_rows = 0;
  auto worker = [&] {
    std::vector<std::string> out(nodes.size());
    std::vector<uint64_t> counts(nodes.size());
    for (uint64_t b; !failed && (b = next.fetch_add(1)) < batches;) {
      for (auto& o2 : out) o2.clear();
      std::fill(counts.begin(), counts.end(), 0);
      const uint64_t lo = b * batch, hi = std::min(rows, lo + batch);
      for (uint64_t row = lo; row < hi; ++row) {
        const store::StreamRecord& stream = s.streams()[s.row_stream()[row]];
        const uint32_t sig = stream.signal;
        const uint32_t shard = shard_of[sig];
        RowBinary w(&out[shard]);
        const int64_t ts = s.row_time()[row];
        const uint32_t value = s.row_value()[row];
        w.Fixed<uint16_t>(DayOf(ts));
        w.Fixed<int64_t>(ts);
        w.Fixed<uint64_t>(file_hash);
        w.Fixed<uint32_t>(static_cast<uint32_t>(row));
        w.Fixed<uint64_t>(shard_key[sig]);
        w.String(s.str(s.devices()[signals[sig].device].name));
        w.String(s.str(signals[sig].name));
        w.String(s.str(stream.category));  // kNoCategory is ""
        w.Fixed<int8_t>(TypeEnum(s.signal_type(sig)));
        w.String(s.str(s.values()[value].text));
        w.Fixed<double>(NumOf(s.Shown(sig, value)));
        w.Fixed<uint8_t>(s.row_changed(row) ? 1 : 0);
        ++counts[shard];
      }
      for (size_t n = 0; n < nodes.size() && !failed; ++n) {
        if (counts[n] == 0) continue;
        base::Status st = nodes[n].Insert(insert, out[n], o.gzip);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (error.ok()) error = st;
          failed = true;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      for (size_t n = 0; n < nodes.size(); ++n) result.shard_rows[n] += counts[n];
      done_rows += hi - lo;
      if (o.on_progress && !failed) o.on_progress(done_rows, rows);
    }
  };
  std::vector<std::thread> threads;
  const int jobs = std::clamp(o.jobs, 1, 64);
  threads.reserve(static_cast<size_t>(jobs));
  for (int i = 0; i < jobs; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (!error.ok()) return error;

  // The signal dictionary, on each signal's shard.
  std::vector<std::string> dict(nodes.size());
  for (size_t i = 0; i < signals.size(); ++i) {
    const auto sig_rows = s.signal_rows(static_cast<uint32_t>(i));
    if (sig_rows.empty()) continue;
    const store::StreamRecord& first = s.streams()[s.row_stream()[sig_rows.front()]];
    RowBinary w(&dict[shard_of[i]]);
    w.Fixed<uint64_t>(file_hash);
    w.Fixed<uint64_t>(shard_key[i]);
    w.String(s.str(s.devices()[signals[i].device].name));
    w.String(s.str(signals[i].name));
    w.String(s.str(first.category));
    w.Fixed<int8_t>(TypeEnum(s.signal_type(static_cast<uint32_t>(i))));
    w.Fixed<uint64_t>(sig_rows.size());
    w.Fixed<int64_t>(s.row_time()[sig_rows.front()]);
    w.Fixed<int64_t>(s.row_time()[sig_rows.back()]);
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (dict[n].empty()) continue;
    if (auto st = nodes[n].Insert("INSERT INTO " + db + ".signals_local FORMAT RowBinary", dict[n]);
        !st.ok()) {
      return st;
    }
  }
  // The commit: the file's row on every node.
  const store::SessionMeta& m = s.meta();
  const auto now = std::chrono::system_clock::now();
  const uint32_t pushed_at = static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  for (size_t n = 0; n < nodes.size(); ++n) {
    std::string row;
    RowBinary w(&row);
    w.Fixed<uint64_t>(file_hash);
    w.String(name);
    w.Fixed<uint64_t>(m.files.empty() ? 0 : m.files[0].size);
    w.String(m.parser_name);
    w.Fixed<uint64_t>(rows);
    w.Fixed<uint64_t>(result.shard_rows[n]);
    w.Fixed<uint32_t>(static_cast<uint32_t>(signals.size()));
    w.Fixed<uint32_t>(static_cast<uint32_t>(s.devices().size()));
    w.Fixed<uint64_t>(m.error_count);
    w.Fixed<int64_t>(m.min_ts);
    w.Fixed<int64_t>(m.max_ts);
    w.Fixed<uint32_t>(pushed_at);
    w.Fixed<uint16_t>(static_cast<uint16_t>(kSchemaVersion));
    if (auto st = nodes[n].Insert("INSERT INTO " + db + ".files_local FORMAT RowBinary", row);
        !st.ok()) {
      return st;
    }
  }
  result.rows = rows;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace plcscope::fleet
