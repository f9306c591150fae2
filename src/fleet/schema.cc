#include "fleet/schema.h"

namespace plcscope::fleet {
namespace {

// One sample a row. `file` is the input file's content hash (XXH3-64 of
// its bytes, the identity `push` is idempotent on), `seq` its row in the
// file's session (time order; ties keep file order), `shard_key` XXH3-64 of
// "device::signal" (the Distributed sharding key: one signal's samples stay
// on one shard). `value` is the text as written; `num` the number shown
// (booleans 0/1, integers, floats; NaN for strings); `changed` 1 when the
// value differs from the signal's previous sample in the file.
constexpr const char* kSampleColumns =
    "(day Date, ts Int64, file UInt64, seq UInt32, shard_key UInt64, device String, "
    "signal String, category String, "
    "type Enum8('boolean' = 1, 'integer' = 2, 'float' = 3, 'string' = 4), "
    "value String, num Float64, changed UInt8)";

}  // namespace

bool ValidIdentifier(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::vector<std::string> SchemaStatements(const std::string& db, const std::string& cluster) {
  std::vector<std::string> s;
  s.push_back("CREATE DATABASE IF NOT EXISTS " + db);
  // Per signal in time: the waveform, at-time and transitions questions.
  s.push_back("CREATE TABLE IF NOT EXISTS " + db + ".samples_local " + kSampleColumns +
              " ENGINE = MergeTree PARTITION BY day ORDER BY (device, signal, ts, file, seq)");
  // In time across signals: entries pages and time navigation.
  s.push_back("CREATE MATERIALIZED VIEW IF NOT EXISTS " + db +
              ".timeline_local ENGINE = MergeTree PARTITION BY day ORDER BY (ts, file, seq) "
              "AS SELECT * FROM " +
              db + ".samples_local");
  // The signal dictionary: one row per signal and file, on the signal's shard.
  s.push_back("CREATE TABLE IF NOT EXISTS " + db +
              ".signals_local (file UInt64, shard_key UInt64, device String, signal String, "
              "category String, type Enum8('boolean' = 1, 'integer' = 2, 'float' = 3, "
              "'string' = 4), samples UInt64, first_ts Int64, last_ts Int64) "
              "ENGINE = MergeTree ORDER BY (device, signal, file)");
  // The files pushed: written on every node last, as the commit of a push
  // (shard_rows: that node's share of the file's samples).
  s.push_back("CREATE TABLE IF NOT EXISTS " + db +
              ".files_local (file UInt64, name String, size UInt64, format String, "
              "rows UInt64, shard_rows UInt64, signals UInt32, devices UInt32, errors UInt64, "
              "first_ts Int64, last_ts Int64, pushed_at DateTime, schema_version UInt16) "
              "ENGINE = ReplacingMergeTree ORDER BY file");
  for (const char* t : {"samples", "timeline", "signals", "files"}) {
    const std::string local = db + "." + t + "_local";
    if (cluster.empty()) {
      s.push_back("CREATE VIEW IF NOT EXISTS " + db + "." + t + " AS SELECT * FROM " + local);
    } else {
      const std::string key = std::string(t) == "files" ? "file" : "shard_key";
      s.push_back("CREATE TABLE IF NOT EXISTS " + db + "." + t + " AS " + local +
                  " ENGINE = Distributed(" + cluster + ", " + db + ", " + t + "_local, " + key +
                  ")");
    }
  }
  return s;
}

std::vector<std::string> LocalTablesWithFileRows(const std::string& db) {
  return {db + ".samples_local", db + ".`.inner.timeline_local`", db + ".signals_local",
          db + ".files_local"};
}

}  // namespace plcscope::fleet
